// Kautilya dashboard. Every piece of data is put on the page as text (textContent or text
// nodes), never as markup: article text is untrusted. Charts are SVG drawn here.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"};
const PAGE_SIZE = 25;

const state = {subject: null, from: "", to: "", by: "week", page: 0, total: 0, filters: {}};

// ---------------------------------------------------------------- DOM helpers

// An HTML element with attributes and children; strings become text nodes.
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
  return node;
}

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) throw new Error("event handlers are attached with addEventListener");
    node.setAttribute(name, String(value));
  }
}

// An SVG <title> (a native tooltip), as text.
function tip(text) { return svg("title", {}, text); }

function clear(node) { node.replaceChildren(); return node; }

function setStatus(text, isError = false) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function fmt(number, digits = 1) {
  if (number === null || number === undefined) return "-";
  const text = Number(number).toFixed(digits);
  return number > 0 ? "+" + text : text;
}

function party(code, name) { return code ? (name && name !== code ? `${code} (${name})` : code) : "-"; }

// ---------------------------------------------------------------- API

async function api(path, params = {}, options = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = path + (query.toString() ? "?" + query.toString() : "");
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({detail: response.statusText}));
  if (!response.ok) throw new Error(typeof body.detail === "string" ? body.detail : response.statusText);
  return body;
}

function periodParams() { return {from: state.from, to: state.to}; }

function subjectParams() {
  if (!state.subject) return {};
  return state.subject.kind === "dyad" ? {dyad: state.subject.code} : {actor: state.subject.code};
}

// ---------------------------------------------------------------- start

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("subject-form").addEventListener("submit", (event) => {
    event.preventDefault();
    chooseSubject();
  });
  document.getElementById("event-filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.page = 0;
    loadEvents().catch(showError);
  });
  document.getElementById("prev").addEventListener("click", () => { state.page -= 1; loadEvents().catch(showError); });
  document.getElementById("next").addEventListener("click", () => { state.page += 1; loadEvents().catch(showError); });
  document.getElementById("paste-form").addEventListener("submit", (event) => {
    event.preventDefault();
    codePasted().catch((error) => showPasteError(error));
  });
  for (const id of ["dyad", "actor"]) {
    document.getElementById(id).addEventListener("focus", () => {
      document.querySelector(`input[name=kind][value=${id}]`).checked = true;
    });
  }
  start().catch(showError);
});

async function start() {
  const [summary, dyads, actors] = await Promise.all([api("/api/summary"), api("/api/dyads", {limit: 30}),
                                                      api("/api/actors", {limit: 300})]);
  document.getElementById("store-summary").textContent =
    `${summary.store}: ${summary.articles.toLocaleString()} articles, ${summary.clusters.toLocaleString()} events ` +
    `(${summary.mentions.toLocaleString()} reports), ${summary.first_date || "?"} to ${summary.last_date || "?"}`;
  const dyadList = clear(document.getElementById("dyad-list"));
  for (const d of dyads) dyadList.append(el("option", {value: `${d.a}-${d.b}`}, `${d.clusters} events`));
  const actorList = clear(document.getElementById("actor-list"));
  for (const a of actors) actorList.append(el("option", {value: a.party}, `${a.name || a.party}: ${a.clusters} events`));

  const wanted = new URLSearchParams(location.hash.slice(1));
  for (const key of ["from", "to", "by"]) {
    if (wanted.get(key)) document.getElementById(key).value = wanted.get(key);
  }
  if (wanted.get("actor")) {
    document.getElementById("actor").value = wanted.get("actor");
    document.querySelector("input[name=kind][value=actor]").checked = true;
  } else {
    document.getElementById("dyad").value = wanted.get("dyad") || (dyads[0] ? `${dyads[0].a}-${dyads[0].b}` : "");
  }
  if (document.getElementById("dyad").value || document.getElementById("actor").value) chooseSubject();
  else setStatus("The store holds no events between two parties yet.");
}

function chooseSubject() {
  const kind = document.querySelector("input[name=kind]:checked").value;
  const input = document.getElementById(kind);
  if (!input.checkValidity() || !input.value.trim()) {
    setStatus(`Enter ${kind === "dyad" ? "two codes joined by a hyphen, like IND-PAK" : "an actor code, like RUS"}.`, true);
    return;
  }
  state.subject = {kind, code: input.value.trim().toUpperCase()};
  state.from = document.getElementById("from").value;
  state.to = document.getElementById("to").value;
  state.by = document.getElementById("by").value;
  state.page = 0;
  const hash = new URLSearchParams({[kind]: state.subject.code, by: state.by});
  if (state.from) hash.set("from", state.from);
  if (state.to) hash.set("to", state.to);
  history.replaceState(null, "", "#" + hash.toString());
  refresh();
}

async function refresh() {
  // aria-busy tells assistive technology (and the browser tests) when every panel is drawn.
  const main = document.querySelector("main");
  main.setAttribute("aria-busy", "true");
  main.dataset.subject = state.subject.code;
  setStatus(`Loading ${state.subject.code}...`);
  const jobs = [loadTimeline(), loadNetwork(), loadMap(), loadClaims(), loadEvents()];
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) showError(failed.reason);
  else setStatus(`${state.subject.code}: ${state.total.toLocaleString()} events.`);
  main.setAttribute("aria-busy", "false");
}

function showError(error) { setStatus(String(error.message || error), true); }

// ---------------------------------------------------------------- timeline

async function loadTimeline() {
  const path = state.subject.kind === "dyad" ? `/api/dyads/${encodeURIComponent(state.subject.code)}/timeline`
                                             : `/api/actors/${encodeURIComponent(state.subject.code)}/timeline`;
  const timeline = await api(path, {...periodParams(), by: state.by});
  document.getElementById("timeline-title").textContent = `${timeline.subject}: events per ${timeline.by}`;
  drawTimeline(clear(document.getElementById("timeline")), timeline);
  drawStances(clear(document.getElementById("stances")), timeline);
}

function drawTimeline(box, timeline) {
  const periods = timeline.periods;
  if (!periods.some((p) => p.clusters)) {
    box.append(el("p", {class: "empty"}, "No events in this period."));
    return;
  }
  const width = 960, height = 280, left = 40, right = 48, top = 12, bottom = 46;
  const plotW = width - left - right, plotH = height - top - bottom;
  const step = plotW / periods.length;
  const maxCount = Math.max(1, ...periods.map((p) => p.clusters));
  const maxTone = Math.max(1, ...periods.map((p) => Math.abs(p.goldstein_sum)));
  const y = (count) => top + plotH - (count / maxCount) * plotH;
  const toneY = (value) => top + plotH / 2 - (value / maxTone) * (plotH / 2);
  const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "timeline",
                            "data-testid": "timeline-chart"});
  for (const tick of niceTicks(maxCount)) {
    chart.append(svg("line", {class: "grid", x1: left, x2: left + plotW, y1: y(tick), y2: y(tick)}),
                 svg("text", {x: left - 6, y: y(tick) + 4, "text-anchor": "end"}, tick));
  }
  chart.append(svg("text", {x: width - right + 6, y: toneY(maxTone) + 4}, fmt(maxTone, 0)),
               svg("text", {x: width - right + 6, y: toneY(0) + 4}, "0"),
               svg("text", {x: width - right + 6, y: toneY(-maxTone) + 4}, fmt(-maxTone, 0)));
  const labelEvery = Math.ceil(periods.length / 12);
  periods.forEach((p, i) => {
    const x = left + i * step;
    let base = 0;
    const group = svg("g", {class: "period", "data-period": p.start});
    for (const q of ["1", "2", "3", "4"]) {
      const count = p.quad[q] || 0;
      if (!count) continue;
      group.append(svg("rect", {class: `q${q} bar`, x: x + step * 0.1, width: Math.max(1, step * 0.8),
                                y: y(base + count), height: y(base) - y(base + count)}));
      base += count;
    }
    const parties = p.third_parties.map((t) => `${t.party} ${t.action} ${t.targets.join(", ")}`);
    group.append(tip([`${p.label}: ${p.clusters} events`,
                      ...["1", "2", "3", "4"].map((q) => `  Q${q} ${QUAD_NAMES[q]}: ${p.quad[q] || 0}`),
                      `Goldstein sum ${fmt(p.goldstein_sum)}, escalation ${fmt(p.escalation, 2)}`,
                      ...parties, ...p.events.slice(0, 5)].join("\n")));
    chart.append(group);
    if (i % labelEvery === 0) {
      chart.append(svg("text", {x: x + step / 2, y: height - bottom + 14, "text-anchor": "middle"},
                       p.label.split(" ")[0]));
    }
  });
  chart.append(svg("line", {class: "zero-line", x1: left, x2: left + plotW, y1: toneY(0), y2: toneY(0)}));
  const points = periods.map((p, i) => `${(left + (i + 0.5) * step).toFixed(1)},${toneY(p.goldstein_sum).toFixed(1)}`);
  chart.append(svg("polyline", {class: "goldstein-line", points: points.join(" ")}));
  chart.append(svg("text", {x: left, y: height - 6}, "event clusters (left axis)"),
               svg("text", {x: width - right, y: height - 6, "text-anchor": "end"}, "Goldstein sum (right axis)"));
  box.append(chart, legend());
}

function legend() {
  const items = ["1", "2", "3", "4"].map((q) => el("span", {}, el("span", {class: `swatch q${q}`}), `Q${q} ${QUAD_NAMES[q]}`));
  items.push(el("span", {}, el("span", {class: "swatch line"}), "Goldstein sum"));
  return el("div", {class: "legend"}, items);
}

function niceTicks(max) {
  const step = Math.max(1, Math.ceil(max / 4));
  const ticks = [];
  for (let t = 0; t <= max; t += step) ticks.push(t);
  return ticks;
}

// ---------------------------------------------------------------- third parties and claims

function drawStances(box, timeline) {
  if (state.subject.kind !== "dyad") {
    box.append(el("p", {class: "empty"}, "Stances are shown for a dyad."));
    return;
  }
  const rows = [];
  for (const period of timeline.stances) {
    for (const v of period.verdicts) {
      rows.push(el("tr", {}, el("td", {}, period.period), el("td", {}, v.actor), el("td", {class: "stance"}, v.verdict),
                   el("td", {}, v.reasons.join("; "))));
    }
  }
  const helpers = timeline.periods.flatMap((p) => p.third_parties.map((t) =>
    el("li", {}, `${p.label}: ${t.party} ${t.action} ${t.targets.join(", ")} (${t.clusters})`)));
  if (!rows.length && !helpers.length) {
    box.append(el("p", {class: "empty"}, "No outside party acted on either side in this period."));
    return;
  }
  if (rows.length) {
    box.append(el("table", {"data-testid": "stances-table"},
                  el("thead", {}, el("tr", {}, ["period", "actor", "stance", "because"].map((h) => el("th", {}, h)))),
                  el("tbody", {}, rows)));
  }
  if (helpers.length) box.append(el("h3", {}, "What they did"), el("ul", {}, helpers));
}

async function loadClaims() {
  const page = await api("/api/claims", {...subjectParams(), ...periodParams(), limit: 50});
  const box = clear(document.getElementById("claims"));
  if (!page.claims.length) {
    box.append(el("p", {class: "empty"}, "No attribution claims involve this subject in this period."));
    return;
  }
  box.append(el("p", {class: "muted"}, `${page.total} claims${page.total > page.claims.length ? `, the ${page.claims.length} newest shown` : ""}.`));
  for (const c of page.claims) {
    box.append(el("div", {class: "claim"},
      el("div", {}, `${c.date || "undated"}: `, el("strong", {}, c.claimant_code || "someone"), " ",
         el("span", {class: "stance"}, c.stance), " ", el("strong", {}, c.accused_code || "-"),
         c.incident ? ` (${c.incident})` : "", `; evidence ${c.evidence}`, c.hearsay ? ", hearsay" : ""),
      c.sentence ? el("div", {class: "sentence muted"}, c.sentence) : null));
  }
}

// ---------------------------------------------------------------- network

async function loadNetwork() {
  const around = state.subject.kind === "dyad" ? {around_dyad: state.subject.code} : {around: state.subject.code};
  const network = await api("/api/network", {...periodParams(), ...around, max_nodes: 24});
  drawNetwork(clear(document.getElementById("network")), network);
}

function drawNetwork(box, network) {
  if (!network.edges.length) {
    box.append(el("p", {class: "empty"}, "No events between parties in this period."));
    return;
  }
  const size = 520, centre = size / 2, radius = size / 2 - 60;
  const focus = network.nodes.filter((n) => n.focus);
  const others = network.nodes.filter((n) => !n.focus);
  const place = new Map();
  focus.forEach((n, i) => place.set(n.party, focus.length === 1 ? [centre, centre]
    : [centre + (i === 0 ? -70 : 70), centre]));
  others.forEach((n, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / others.length;
    place.set(n.party, [centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)]);
  });
  const maxNode = Math.max(...network.nodes.map((n) => n.clusters));
  const nodeRadius = (n) => 6 + 14 * Math.sqrt(n.clusters / maxNode);
  const radii = new Map(network.nodes.map((n) => [n.party, nodeRadius(n)]));
  const chart = svg("svg", {viewBox: `0 0 ${size} ${size}`, role: "img", "aria-label": "actor network",
                            "data-testid": "network-chart"});
  const defs = svg("defs");
  for (const kind of ["coop", "conflict"]) {
    defs.append(svg("marker", {id: `arrow-${kind}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6,
                               markerHeight: 6, orient: "auto-start-reverse"},
                    svg("path", {d: "M0,0 L10,5 L0,10 z", class: kind === "coop" ? "q2" : "q4"})));
  }
  chart.append(defs);
  for (const e of network.edges) {
    const [x1, y1] = place.get(e.source), [x2, y2] = place.get(e.target);
    const dx = x2 - x1, dy = y2 - y1, length = Math.hypot(dx, dy) || 1;
    const ux = dx / length, uy = dy / length;
    const sx = x1 + ux * radii.get(e.source), sy = y1 + uy * radii.get(e.source);
    const tx = x2 - ux * (radii.get(e.target) + 2), ty = y2 - uy * (radii.get(e.target) + 2);
    const bend = 0.12 * length;  // curve each direction its own way so A->B and B->A stay apart
    const cx = (sx + tx) / 2 - uy * bend, cy = (sy + ty) / 2 + ux * bend;
    const kind = e.q3 + e.q4 > e.q1 + e.q2 ? "conflict" : "coop";
    chart.append(svg("path", {class: `edge ${kind}`, d: `M${sx},${sy} Q${cx},${cy} ${tx},${ty}`,
                              "stroke-width": 1 + Math.log2(e.clusters), "marker-end": `url(#arrow-${kind})`},
                     tip(`${e.source} -> ${e.target}: ${e.clusters} events (Q1 ${e.q1}, Q2 ${e.q2}, Q3 ${e.q3}, ` +
                         `Q4 ${e.q4}); Goldstein sum ${fmt(e.goldstein_sum)}`)));
  }
  for (const n of network.nodes) {
    const [x, y] = place.get(n.party);
    chart.append(svg("g", {class: `node${n.focus ? " focus" : ""}`, "data-party": n.party},
                     svg("circle", {cx: x, cy: y, r: radii.get(n.party)}),
                     svg("text", {x: x, y: y - radii.get(n.party) - 4, "text-anchor": "middle"}, n.party),
                     tip(`${party(n.party, n.name)}: ${n.clusters} events`)));
  }
  box.append(chart);
}

// ---------------------------------------------------------------- map

async function loadMap() {
  const found = await api("/api/locations", {...subjectParams(), ...periodParams(), limit: 2000});
  drawMap(clear(document.getElementById("map")), found);
}

function drawMap(box, found) {
  if (!found.points.length) {
    box.append(el("p", {class: "empty", "data-testid": "map-empty"},
                  "No located events: none of the events in this selection has a place with coordinates."));
    return;
  }
  const width = 720, height = 360;
  const x = (lon) => (lon + 180) * 2, y = (lat) => (90 - lat) * 2;
  const chart = svg("svg", {viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": "map of located events",
                            "data-testid": "map-chart"});
  chart.append(svg("rect", {class: "map-frame", x: 0, y: 0, width, height}));
  for (let lon = -180; lon <= 180; lon += 30) {
    chart.append(svg("line", {class: "graticule", x1: x(lon), x2: x(lon), y1: 0, y2: height}));
  }
  for (let lat = -90; lat <= 90; lat += 30) {
    chart.append(svg("line", {class: "graticule", x1: 0, x2: width, y1: y(lat), y2: y(lat)}));
    if (lat > -90 && lat < 90) chart.append(svg("text", {x: 3, y: y(lat) - 2, class: "muted"}, `${lat}°`));
  }
  for (const p of found.points) {
    chart.append(svg("circle", {class: `dot q${p.quad_class}`, cx: x(p.location_lon), cy: y(p.location_lat),
                                r: 2.5 + Math.log2(p.num_mentions)},
                     tip(`${p.location_name || "?"} (${p.location_country || "?"}), ${p.event_date || "undated"}: ` +
                         `${p.source_code || "-"} ${p.cameo} ${p.target_code || "-"}, ${p.cameo_name}`)));
  }
  for (const c of found.countries) {
    chart.append(svg("text", {class: "country-label", x: x(c.lon) + 5, y: y(c.lat) - 5}, c.name || c.country));
  }
  box.append(chart);
  if (found.total > found.points.length) {
    box.append(el("p", {class: "muted"}, `${found.points.length} of ${found.total} located events shown.`));
  }
}

// ---------------------------------------------------------------- events table

async function loadEvents() {
  const filters = {q: document.getElementById("q").value.trim(), quad_class: document.getElementById("quad").value,
                   cameo: document.getElementById("cameo").value.trim(), sort: document.getElementById("sort").value};
  const page = await api("/api/events", {...subjectParams(), ...periodParams(), ...filters,
                                          limit: PAGE_SIZE, offset: state.page * PAGE_SIZE});
  state.total = page.total;
  const body = clear(document.querySelector("#events tbody"));
  if (!page.events.length) {
    body.append(el("tr", {}, el("td", {colspan: 8, class: "empty"}, "No events match.")));
  }
  for (const e of page.events) {
    const row = el("tr", {class: "event-row", "data-cluster": e.cluster_id, tabindex: 0},
      el("td", {class: "date"}, e.event_date || "undated"),
      el("td", {}, party(e.source_code, e.source_name)),
      el("td", {}, `${e.cameo} ${e.cameo_name}`),
      el("td", {}, party(e.target_code, e.target_name)),
      el("td", {}, el("span", {class: `quad-badge q${e.quad_class}`, title: QUAD_NAMES[e.quad_class]}, e.quad_class)),
      el("td", {class: "num"}, fmt(e.goldstein)),
      el("td", {class: "num"}, e.num_mentions),
      el("td", {class: "snippet", title: e.sentence || ""}, e.sentence || ""));
    row.addEventListener("click", () => toggleDetail(row, e.cluster_id).catch(showError));
    row.addEventListener("keydown", (event) => { if (event.key === "Enter") row.click(); });
    body.append(row);
  }
  const first = page.total ? page.offset + 1 : 0;
  document.getElementById("page-info").textContent =
    `${first}-${page.offset + page.events.length} of ${page.total.toLocaleString()} events`;
  document.getElementById("prev").disabled = state.page === 0;
  document.getElementById("next").disabled = page.offset + page.events.length >= page.total;
}

async function toggleDetail(row, clusterId) {
  const next = row.nextElementSibling;
  if (next && next.classList.contains("detail")) {
    next.remove();
    row.classList.remove("open");
    return;
  }
  const detail = await api(`/api/events/${encodeURIComponent(clusterId)}`);
  const cell = el("td", {colspan: 8, "data-testid": "event-detail"});
  const c = detail.cluster;
  cell.append(el("p", {class: "meta"},
    `${c.num_mentions} report${c.num_mentions === 1 ? "" : "s"} in ${c.num_articles} article${c.num_articles === 1 ? "" : "s"} ` +
    `from ${c.num_sources} source${c.num_sources === 1 ? "" : "s"}; PLOVER ${c.plover_type || "-"}` +
    `${c.plover_mode ? "/" + c.plover_mode : ""}; first reported ${detail.first_reported || "?"}` +
    `${c.location_name ? "; place " + c.location_name : ""}`));
  for (const m of detail.mentions) cell.append(mentionBlock(m));
  if (detail.mentions_shown < c.num_mentions) {
    cell.append(el("p", {class: "muted"}, `${detail.mentions_shown} of ${c.num_mentions} reports shown.`));
  }
  row.after(el("tr", {class: "detail"}, cell));
  row.classList.add("open");
}

function mentionBlock(m) {
  const source = m.url && /^https?:\/\//i.test(m.url) ? el("a", {href: m.url, rel: "noopener noreferrer", target: "_blank"}, m.title || m.url)
                                                       : el("span", {}, m.title || m.article_id);
  return el("div", {class: "mention", "data-testid": "mention"},
    el("div", {class: "meta"}, source, ` (${m.article_date || "undated"}${m.publisher ? ", " + m.publisher : ""}): `,
       `${m.source_text || "-"} / ${m.trigger} / ${m.target_text || "-"} = ${m.cameo} ${m.cameo_name}`),
    highlightedSentence(m.sentence, m.highlights));
}

// The sentence as text nodes, with <mark> around the source, target and trigger words.
function highlightedSentence(sentence, highlights) {
  const block = el("p", {class: "sentence", "data-testid": "sentence"});
  let at = 0;
  for (const h of highlights) {
    if (h.start < at) continue;
    block.append(document.createTextNode(sentence.slice(at, h.start)));
    block.append(el("mark", {class: `hl-${h.kind}`, title: h.kind}, sentence.slice(h.start, h.end)));
    at = h.end;
  }
  block.append(document.createTextNode(sentence.slice(at)));
  return block;
}

// ---------------------------------------------------------------- pasted text

async function codePasted() {
  const text = document.getElementById("paste-text").value;
  const box = clear(document.getElementById("paste-result"));
  if (!text.trim()) {
    box.append(el("p", {class: "empty"}, "Paste a text first."));
    return;
  }
  const button = document.querySelector("#paste-form button");
  button.disabled = true;
  box.append(el("p", {class: "muted"}, "Coding..."));
  try {
    const date = document.getElementById("paste-date").value;
    const result = await api("/api/code", {}, {
      method: "POST", headers: {"content-type": "application/json"},
      body: JSON.stringify(date ? {text, date} : {text})});
    clear(box);
    box.append(el("p", {class: "muted", "data-testid": "paste-count"},
                  `${result.events.length} event${result.events.length === 1 ? "" : "s"} and ${result.claims.length} ` +
                  `claim${result.claims.length === 1 ? "" : "s"} in ${result.seconds.toFixed(2)} s.`));
    const table = el("table", {"data-testid": "paste-events"},
      el("thead", {}, el("tr", {}, ["source", "event", "target", "Q", "Goldstein", "sentence"].map((h) => el("th", {}, h)))));
    const body = el("tbody");
    for (const e of result.events) {
      body.append(el("tr", {},
        el("td", {}, e.source ? party(e.source.code, e.source.name) : "-"),
        el("td", {}, `${e.cameo} ${e.cameo_name}`),
        el("td", {}, e.target ? party(e.target.code, e.target.name) : "-"),
        el("td", {}, el("span", {class: `quad-badge q${e.quad_class}`}, e.quad_class)),
        el("td", {class: "num"}, fmt(e.goldstein)),
        el("td", {}, highlightedSentence(e.sentence, e.highlights))));
    }
    table.append(body);
    box.append(table);
  } finally {
    button.disabled = false;
  }
}

function showPasteError(error) {
  clear(document.getElementById("paste-result")).append(el("p", {class: "empty"}, String(error.message || error)));
}
