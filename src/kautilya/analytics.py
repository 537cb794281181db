"""From coded events to the crisis picture: event clusters, time series, escalation and third parties.

Events from many articles are merged into event clusters (docs/analytics.md): the same
parties, the same CAMEO base code (first three digits), the same or the next day, and a
compatible place. A cluster counts its mentions, articles and sources the way GDELT 2.0's
NumMentions, NumArticles and NumSources do, so one event reported 366 times is one event.
Reports count clusters, never mentions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from .schema import Actor, Event
    from .store import EventStore

#: Country fields that stand for many bodies (the UN system, any IGO or NGO): such an actor is
#: its own party, named by its code (UNOSEC, IGONAT), not by the shared country field.
SHARED_COUNTRY_FIELDS = frozenset({"UNO", "IGO", "NGO", "IMG", "MNC"})
#: Sectors that fight or oppose their own state: "the Pakistani army attacked the Pakistani
#: Taliban" and "the Pakistani Taliban attacked the army" are different events.
CHALLENGER_SECTORS = frozenset({"REB", "UAF", "OPP", "CRM"})
#: Events at most this many days after a cluster's first event can join it.
MAX_DAY_GAP = 1
PERIODS = ("day", "week", "month")
#: Where a cluster happened: taken from its first mention that has a place.
CLUSTER_LOCATION_COLUMNS = ("location_name", "location_country", "location_lat", "location_lon",
                            "location_geonameid", "location_precision")
#: Trailing periods that make the escalation baseline, and the floor on its spread (Goldstein
#: points), so that one event after a quiet spell does not read as an infinite escalation.
ESCALATION_WINDOW = 8
ESCALATION_FLOOR = 1.0
#: What outside parties do that makes them third parties of a dyad: (CAMEO code prefixes, label,
#: whether it must reach both sides in the period). Mediation is between the sides, so a
#: mediator of one side's other quarrel is not a third party of this dyad; siding with a side is
#: praise, verbal defence, rallying support or recognition (051-054), not signing a trade deal.
THIRD_PARTY_ACTIONS: tuple[tuple[tuple[str, ...], str, bool], ...] = (
    (("039",), "offered to mediate", True),
    (("045",), "mediated", True),
    (("02",), "appealed to", False),
    (("04",), "consulted", False),
    (("051", "052", "053", "054"), "sided with", False),
    (("10",), "demanded of", False),
)


# ---------------------------------------------------------------------- keys


def party_key(actor: "Actor | None") -> str:
    """The party an actor belongs to for clustering: its country (RUS for Russia, Lavrov and the
    Russian army alike), plus the sector for rebels and opposition; an organisation's own code."""
    if actor is None:
        return ""
    if actor.country and actor.country not in SHARED_COUNTRY_FIELDS:
        return actor.country + (actor.sector if actor.sector in CHALLENGER_SECTORS else "")
    return actor.code or actor.country or actor.sector or ""


def cluster_key(event: "Event") -> str:
    """The partition an event is clustered in: source party, target party, CAMEO base code."""
    return f"{party_key(event.source)}|{party_key(event.target)}|{event.cameo[:3]}"


# ---------------------------------------------------------------------- clustering


@dataclass(frozen=True)
class StoredMention:
    """One stored factual event, with its article's date, publishers and URL."""

    event_id: str
    cluster_key: str
    article_id: str
    sentence_index: int
    event_date: dt.date | None
    report_date: dt.date | None
    publishers: list[str]
    url: str | None
    origin: str | None
    n_chars: int
    char_start: int
    char_end: int
    source_char_start: int | None
    target_char_start: int | None
    trigger_start: int
    trigger_end: int
    confidence: float
    source_code: str | None
    source_name: str | None
    source_country: str | None
    source_sector: str | None
    target_code: str | None
    target_name: str | None
    target_country: str | None
    target_sector: str | None
    cameo: str
    cameo_base: str
    cameo_root: str
    cameo_name: str
    quad_class: int
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    plover_contexts: list[str]
    location_name: str | None
    location_country: str | None
    location_lat: float | None
    location_lon: float | None
    location_geonameid: int | None
    location_precision: str | None

    def reporting_order(self) -> tuple:
        """First reports first; undated reports last; then article, sentence, position."""
        return (self.report_date is None, self.report_date or dt.date.max, self.article_id,
                self.sentence_index, self.trigger_start, self.event_id)


def group_mentions(mentions: Iterable[StoredMention]) -> list[list[StoredMention]]:
    """Split mentions into event clusters, deterministically.

    Within one cluster key, mentions are taken in date order; each joins the first open cluster
    whose first event is at most ``MAX_DAY_GAP`` days earlier and whose place is compatible (either
    place unknown, or the same country), else starts a new cluster. Undated mentions cluster only
    with each other. The result does not depend on the order of the input.
    """
    by_key: dict[str, list[StoredMention]] = defaultdict(list)
    for mention in mentions:
        by_key[mention.cluster_key].append(mention)
    groups: list[list[StoredMention]] = []
    for key in sorted(by_key):
        ordered = sorted(by_key[key], key=lambda m: (m.event_date is None, m.event_date or dt.date.max,
                                                     m.reporting_order()))
        open_groups: list[list[StoredMention]] = []
        for mention in ordered:
            home = next((g for g in open_groups if _same_day(g[0], mention) and _same_place(g, mention)), None)
            if home is None:
                home = []
                open_groups.append(home)
            home.append(mention)
        groups.extend(open_groups)
    return groups


def _same_day(first: StoredMention, mention: StoredMention) -> bool:
    if first.event_date is None or mention.event_date is None:
        return first.event_date is None and mention.event_date is None
    return 0 <= (mention.event_date - first.event_date).days <= MAX_DAY_GAP


def _same_place(group: list[StoredMention], mention: StoredMention) -> bool:
    place = _place_country(group)
    return place is None or mention.location_country is None or mention.location_country == place


def _place_country(group: list[StoredMention]) -> str | None:
    return next((m.location_country for m in group if m.location_country), None)


def cluster_id(key: str, first_date: dt.date | None, place: str | None) -> int:
    """A 60-bit id from what defines the cluster: it survives reruns and new reports of the event."""
    digest = hashlib.sha1(f"{key}|{first_date or ''}|{place or ''}".encode("utf-8")).hexdigest()
    return int(digest[:15], 16)


def summarize_cluster(members: list[StoredMention]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The cluster row and its mention rows (tables ``clusters`` and ``mentions``)."""
    members = sorted(members, key=StoredMention.reporting_order)
    first = members[0]
    key = first.cluster_key
    source_key, target_key, base = key.split("|")
    dates = [m.event_date for m in members if m.event_date]
    reported = [m.report_date for m in members if m.report_date]
    place = next((m for m in members if m.location_country or m.location_name), None)
    cid = cluster_id(key, min(dates) if dates else None, _place_country(members))
    sources = {p.casefold() for m in members for p in (m.publishers or [f"article {m.article_id}"])}
    source = _most_common(members, ("source_code", "source_name", "source_country", "source_sector"))
    target = _most_common(members, ("target_code", "target_name", "target_country", "target_sector"))
    action = _most_common(members, ("cameo", "cameo_root", "cameo_name", "quad_class", "goldstein",
                                    "plover_type", "plover_mode", "plover_contexts"))
    row: dict[str, Any] = {
        "cluster_id": cid, "cluster_key": key, "source_key": source_key, "target_key": target_key,
        **source, **target, **action, "cameo_base": base,
        "event_date": min(dates) if dates else None, "end_date": max(dates) if dates else None,
        "first_reported": min(reported) if reported else None,
        "last_reported": max(reported) if reported else None,
        "num_mentions": len(members), "num_sources": len(sources),
        "num_articles": len({m.article_id for m in members}),
        "is_root_event": first.sentence_index == 0,
        "confidence": max(m.confidence for m in members),
        **{column: getattr(place, column) if place else None for column in CLUSTER_LOCATION_COLUMNS},
        "first_article_id": first.article_id, "source_url": first.url or first.origin or first.article_id,
    }
    mention_rows = [{
        "cluster_id": cid, "event_id": m.event_id, "cluster_key": key, "article_id": m.article_id,
        "sentence_index": m.sentence_index, "char_start": m.char_start, "char_end": m.char_end,
        "source_char_start": m.source_char_start, "target_char_start": m.target_char_start,
        "trigger_start": m.trigger_start, "trigger_end": m.trigger_end, "confidence": m.confidence,
        "mention_date": m.report_date, "publisher": (m.publishers or [None])[0], "url": m.url,
        "n_chars": m.n_chars,
    } for m in members]
    return row, mention_rows


def _most_common(members: list[StoredMention], fields: Sequence[str]) -> dict[str, Any]:
    """The most frequent combination of ``fields``; ties go to the one reported first."""
    values = [tuple(_hashable(getattr(m, f)) for f in fields) for m in members]
    counts = Counter(values)
    best = max(counts, key=lambda v: (counts[v], -values.index(v)))
    chosen = members[values.index(best)]
    return {f: getattr(chosen, f) for f in fields}


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def rebuild_clusters(store: "EventStore", chunk: int = 2000) -> int:
    """Rebuild the clusters of every cluster key whose events changed; return how many keys.

    Clusters depend only on the events of their own key, so rebuilding just those keys gives
    the same clusters (and ids) as rebuilding everything.
    """
    keys = store.dirty_cluster_keys()
    for start in range(0, len(keys), chunk):
        part = keys[start:start + chunk]
        mentions = [StoredMention(**row) for row in store.mentions_for_keys(part)]
        clusters, mention_rows = [], []
        for members in group_mentions(mentions):
            row, rows = summarize_cluster(members)
            clusters.append(row)
            mention_rows.extend(rows)
        store.replace_clusters(part, clusters, mention_rows)
    return len(keys)


# ---------------------------------------------------------------------- periods


def period_start(day: dt.date, by: str) -> dt.date:
    """The first day of the period holding ``day``: itself, its ISO week's Monday, or the 1st."""
    if by == "day":
        return day
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {by!r} (expected one of {', '.join(PERIODS)})")


def next_period(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_period(start: dt.date, by: str) -> dt.date:
    return period_start(start - dt.timedelta(days=1), by)


def period_label(start: dt.date, by: str) -> str:
    if by == "month":
        return start.strftime("%Y-%m")
    if by == "week":
        year, week, _ = start.isocalendar()
        return f"{start.isoformat()} (W{week:02d})"
    return start.isoformat()


# ---------------------------------------------------------------------- reports


@dataclass(frozen=True)
class ThirdParty:
    """An outside party that did something to one or both sides in a period."""

    party: str
    action: str
    targets: tuple[str, ...]
    clusters: int


@dataclass
class PeriodStats:
    start: dt.date
    label: str
    clusters: int = 0
    mentions: int = 0
    quad: dict[int, int] = field(default_factory=lambda: {1: 0, 2: 0, 3: 0, 4: 0})
    plover: dict[str, int] = field(default_factory=dict)
    goldstein_sum: float = 0.0
    goldstein_mean: float | None = None
    escalation: float = 0.0
    third_parties: list[ThirdParty] = field(default_factory=list)
    events: list[str] = field(default_factory=list)  # one line per cluster, most negative first


@dataclass
class Report:
    """A time series of event clusters for a dyad or an actor."""

    subject: str
    sides: tuple[str, ...]
    by: str
    periods: list[PeriodStats]
    undated: int = 0

    @property
    def active_periods(self) -> list[PeriodStats]:
        return [p for p in self.periods if p.clusters or p.third_parties]


def parse_dyad(text: str) -> tuple[str, str]:
    """``"IND-PAK"`` -> ``("IND", "PAK")``.

    Raises:
        ValueError: not two different codes joined by a hyphen.
    """
    parts = [p.strip().upper() for p in text.split("-")]
    if len(parts) != 2 or not all(parts) or parts[0] == parts[1]:
        raise ValueError(f"dyad {text!r} must be two different actor codes joined by '-', like IND-PAK")
    return parts[0], parts[1]


#: Clusters between two parties in either direction (parameters: a, b, b, a).
DYAD_SQL = "((c.source_country = ? AND c.target_country = ?) OR (c.source_country = ? AND c.target_country = ?))"
#: Clusters with a country or actor code on either side (the parameter four times).
ACTOR_SQL = "(c.source_country = ? OR c.target_country = ? OR c.source_code = ? OR c.target_code = ?)"


def dyad_report(store: "EventStore", a: str, b: str, by: str = "week", since: dt.date | None = None,
                until: dt.date | None = None) -> Report:
    """Events between two parties (either direction), period by period, with third parties."""
    sides = (a.upper(), b.upper())
    return _build_report(store, f"{sides[0]}-{sides[1]}", sides, by, DYAD_SQL,
                         [sides[0], sides[1], sides[1], sides[0]], since, until)


def actor_report(store: "EventStore", actor: str, by: str = "week", since: dt.date | None = None,
                 until: dt.date | None = None) -> Report:
    """Every event with ``actor`` (a country or an actor code) on either side, period by period."""
    code = actor.upper()
    return _build_report(store, code, (code,), by, ACTOR_SQL, [code] * 4, since, until)


def _date_filter(since: dt.date | None, until: dt.date | None) -> tuple[str, list[Any]]:
    sql, params = "", []
    if since:
        sql += " AND c.event_date >= ?"
        params.append(since)
    if until:
        sql += " AND c.event_date <= ?"
        params.append(until)
    return sql, params


def _build_report(store: "EventStore", subject: str, sides: tuple[str, ...], by: str, where: str,
                  params: list[Any], since: dt.date | None, until: dt.date | None) -> Report:
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r} (expected one of {', '.join(PERIODS)})")
    # The escalation baseline needs the periods before --from too (as far back as the store goes).
    lead_in = None
    if since:
        lead_in = period_start(since, by)
        coverage = store.rows("SELECT min(event_date) AS first FROM clusters")[0]["first"]
        for _ in range(ESCALATION_WINDOW):
            if coverage is None or lead_in <= period_start(coverage, by):
                break
            lead_in = previous_period(lead_in, by)
    dates, date_params = _date_filter(lead_in, until)
    rows = store.rows(f"SELECT c.* FROM clusters c WHERE {where} {dates} ORDER BY c.event_date, c.cluster_id",
                      params + date_params)
    undated = sum(1 for r in rows if r["event_date"] is None)  # only without --from/--to
    dated = [r for r in rows if r["event_date"] is not None]
    helpers = third_parties_by_period(_third_party_rows(store, sides, lead_in, until), sides, by)
    starts = [period_start(r["event_date"], by) for r in dated] + list(helpers)
    if not starts and not (since and until):
        return Report(subject, sides, by, [], undated=undated)
    first = lead_in if lead_in else min(starts)
    last = period_start(until, by) if until else max(starts)
    periods: dict[dt.date, PeriodStats] = {}
    start = first
    while start <= last:
        periods[start] = PeriodStats(start, period_label(start, by))
        start = next_period(start, by)
    for row in dated:
        stats = periods[period_start(row["event_date"], by)]
        stats.clusters += 1
        stats.mentions += row["num_mentions"]
        stats.quad[row["quad_class"]] += 1
        if row["plover_type"]:
            stats.plover[row["plover_type"]] = stats.plover.get(row["plover_type"], 0) + 1
        stats.goldstein_sum += row["goldstein"]
    for stats in periods.values():
        if stats.clusters:
            stats.goldstein_mean = stats.goldstein_sum / stats.clusters
    for row in sorted(dated, key=lambda r: (r["goldstein"], r["event_date"], r["cluster_id"])):
        periods[period_start(row["event_date"], by)].events.append(describe_cluster(row))
    for start, parties in helpers.items():
        periods[start].third_parties = parties
    ordered = list(periods.values())
    for stats, value in zip(ordered, escalation_index([p.goldstein_sum for p in ordered])):
        stats.escalation = value
    shown = [p for p in ordered if since is None or p.start >= period_start(since, by)]
    return Report(subject, sides, by, shown, undated=undated)


def escalation_index(goldstein_sums: Sequence[float], window: int = ESCALATION_WINDOW,
                     floor: float = ESCALATION_FLOOR) -> list[float]:
    """How much more conflictual each period is than the periods before it (docs/analytics.md).

    E_t = (mean(H) - G_t) / max(std(H), sqrt(mean(|H|)), floor), with G_t the Goldstein sum of
    period t, H the sums of the ``window`` periods before it and std the population standard
    deviation. The square-root term is the noise a count-like series shows even when steady, so a
    short or flat history does not inflate the index. The first period has no baseline and scores
    0. Positive values mean escalation, negative de-escalation.
    """
    out = [0.0] if goldstein_sums else []
    for t in range(1, len(goldstein_sums)):
        history = goldstein_sums[max(0, t - window):t]
        spread = max(statistics.pstdev(history), math.sqrt(statistics.fmean(abs(g) for g in history)), floor)
        out.append(round((statistics.fmean(history) - goldstein_sums[t]) / spread, 3))
    return out


def _third_party_rows(store: "EventStore", sides: tuple[str, ...], since: dt.date | None,
                      until: dt.date | None) -> list[dict[str, Any]]:
    """Clusters in which an outside party does a third party's action to one of the sides."""
    marks = ", ".join("?" for _ in sides)
    dates, date_params = _date_filter(since, until)
    rows = store.rows(f"""
        SELECT c.* FROM clusters c
        WHERE c.target_country IN ({marks}) AND c.source_country IS NOT NULL
          AND c.source_country NOT IN ({marks}) AND c.event_date IS NOT NULL {dates}
        ORDER BY c.event_date, c.cluster_id""", [*sides, *sides, *date_params])
    return [r for r in rows if third_party_action(r["cameo"]) is not None]


def third_party_action(cameo: str) -> tuple[str, bool] | None:
    """What a CAMEO code makes an outside party ("mediated", "appealed to", ...) and whether the
    action must reach both sides; None for other codes."""
    for prefixes, label, both in THIRD_PARTY_ACTIONS:
        if cameo.startswith(prefixes):
            return label, both
    return None


def third_parties_by_period(rows: list[dict[str, Any]], sides: tuple[str, ...],
                            by: str) -> dict[dt.date, list[ThirdParty]]:
    """Who did what to the sides, period by period; mediation counts only when it reaches every side."""
    grouped: dict[tuple[dt.date, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        label, _ = third_party_action(row["cameo"])
        grouped[(period_start(row["event_date"], by), party_label(row["source_country"], row["source_code"]),
                 label)].append(row)
    order = {label: (i, both) for i, (_, label, both) in enumerate(THIRD_PARTY_ACTIONS)}
    out: dict[dt.date, list[ThirdParty]] = defaultdict(list)
    for (start, party, label), members in sorted(grouped.items(),
                                                 key=lambda kv: (kv[0][0], order[kv[0][2]][0], kv[0][1])):
        targets = tuple(sorted({m["target_country"] for m in members}))
        if party in sides or (order[label][1] and set(targets) != set(sides)):
            continue
        out[start].append(ThirdParty(party, label, targets, len(members)))
    return dict(out)


def party_label(country: str | None, code: str | None) -> str:
    """How a report names a party: its country, or an organisation's own code."""
    if country and country not in SHARED_COUNTRY_FIELDS:
        return country
    return code or country or "?"


def party_sql(side: str) -> str:
    """SQL naming a cluster's party on ``side`` ("source" or "target") as ``party_label`` does."""
    if side not in ("source", "target"):
        raise ValueError(f"side must be source or target, not {side!r}")
    shared = ", ".join(f"'{code}'" for code in sorted(SHARED_COUNTRY_FIELDS))
    return (f"CASE WHEN c.{side}_country IS NOT NULL AND c.{side}_country NOT IN ({shared}) "
            f"THEN c.{side}_country ELSE coalesce(c.{side}_code, c.{side}_country) END")


def describe_cluster(row: dict[str, Any]) -> str:
    """``2025-05-10 IND 0871 PAK (Declare truce, ceasefire; 3 reports)``."""
    source = row["source_code"] or party_label(row["source_country"], row["source_code"])
    target = row["target_code"] or "-"
    return (f"{row['event_date']} {source} {row['cameo']} {target} ({row['cameo_name']}; "
            f"{row['num_articles']} article{'s' if row['num_articles'] != 1 else ''})")


@dataclass(frozen=True)
class DyadActivity:
    """How active a pair of parties was: clusters between them in either direction."""

    a: str
    b: str
    clusters: int
    mentions: int
    goldstein_sum: float
    conflict_share: float  # share of clusters in QuadClass 3 or 4
    first_date: dt.date | None
    last_date: dt.date | None


def top_dyads(store: "EventStore", limit: int = 10, since: dt.date | None = None,
              until: dt.date | None = None) -> list[DyadActivity]:
    """The most active pairs of parties (most event clusters), most active first."""
    dates, params = _date_filter(since, until)
    source, target = party_sql("source"), party_sql("target")
    rows = store.rows(f"""
        WITH pairs AS (
            SELECT least({source}, {target}) AS a, greatest({source}, {target}) AS b, c.*
            FROM clusters c WHERE TRUE {dates})
        SELECT a, b, count(*) AS clusters, sum(num_mentions) AS mentions, sum(goldstein) AS goldstein_sum,
               avg(CASE WHEN quad_class >= 3 THEN 1.0 ELSE 0.0 END) AS conflict_share,
               min(event_date) AS first_date, max(event_date) AS last_date
        FROM pairs WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
        GROUP BY a, b ORDER BY clusters DESC, mentions DESC, a, b LIMIT ?""", [*params, limit])
    return [DyadActivity(**row) for row in rows]


def dyad_stances(store: "EventStore", a: str, b: str, by: str = "week", since: dt.date | None = None,
                 until: dt.date | None = None) -> list[tuple[str, list]]:
    """How outside actors positioned themselves between ``a`` and ``b``, period by period.

    Returns (period label, verdicts) pairs for the periods where an outside actor acted on either
    side or made a claim about it; verdicts come from ``attribution.third_party_stances``.
    """
    from .attribution import third_party_stances

    sides = [a.upper(), b.upper()]
    date_sql, params = _date_filter(since, until)
    date_sql = date_sql.replace("c.event_date", "e.date")
    events = store.rows(
        "SELECT e.event_id, e.date, e.cameo_root, sa.country AS source_country, ta.country AS target_country "
        "FROM events e LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id "
        "LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id "
        "WHERE NOT e.negated AND NOT e.hypothetical AND ta.country IN (?, ?) "
        "AND sa.country IS NOT NULL AND sa.country NOT IN (?, ?)" + date_sql, [*sides, *sides, *params])
    claims = store.rows(
        "SELECT claim_id, date, claimant_country, accused_country, stance FROM claims e "
        "WHERE accused_country IN (?, ?) AND claimant_country IS NOT NULL AND claimant_country NOT IN (?, ?)"
        + date_sql, [*sides, *sides, *params])
    buckets: dict[dt.date | None, tuple[list, list]] = {}
    for row in events:
        start = period_start(row["date"], by) if row["date"] else None
        buckets.setdefault(start, ([], []))[0].append({
            "event_id": row["event_id"], "cameo_root": row["cameo_root"],
            "source": {"country": row["source_country"]}, "target": {"country": row["target_country"]}})
    for row in claims:
        start = period_start(row["date"], by) if row["date"] else None
        buckets.setdefault(start, ([], []))[1].append({
            "claim_id": row["claim_id"], "stance": row["stance"],
            "claimant": {"country": row["claimant_country"]}, "accused": {"country": row["accused_country"]}})
    out = []
    for start in sorted(buckets, key=lambda d: (d is None, d or dt.date.min)):
        found, said = buckets[start]
        label = period_label(start, by) if start else "undated"
        out.append((label, third_party_stances(found, said, *sides)))
    return out


# ---------------------------------------------------------------------- browsing (the web API)
# Every query below is parameterised: user input only ever travels as a ? parameter, and the
# only SQL chosen by the caller (sort order) comes from the fixed table CLUSTER_SORTS.

#: Sort orders of ``find_clusters``: name -> column.
CLUSTER_SORTS = {"date": "c.event_date", "goldstein": "c.goldstein", "mentions": "c.num_mentions",
                 "articles": "c.num_articles", "confidence": "c.confidence"}
#: The columns of a cluster in listings (``clusters`` holds more: see docs/store.md).
CLUSTER_LIST_COLUMNS = (
    "cluster_id", "event_date", "end_date", "source_code", "source_name", "source_country", "source_sector",
    "target_code", "target_name", "target_country", "target_sector", "cameo", "cameo_root", "cameo_name",
    "quad_class", "goldstein", "plover_type", "plover_mode", "num_mentions", "num_sources", "num_articles",
    "confidence", "location_name", "location_country", "location_lat", "location_lon", "first_article_id",
    "source_url")


@dataclass(frozen=True)
class EventFilter:
    """Which event clusters to select; each field set narrows the selection (docs/web.md).

    ``actor`` is a country or actor code on either side; ``country`` the country the event
    happened in; ``cameo`` a CAMEO code or its prefix ("19", "190", "0256"); ``text`` words in
    one of the sentences that report it (case-insensitive).
    """

    dyad: tuple[str, str] | None = None
    actor: str | None = None
    country: str | None = None
    cameo_root: str | None = None
    cameo: str | None = None
    quad_class: int | None = None
    plover_type: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    text: str | None = None
    located: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        """A WHERE clause over ``clusters c`` and its parameters."""
        clauses, params = ["TRUE"], []
        if self.dyad:
            a, b = (side.upper() for side in self.dyad)
            clauses.append(DYAD_SQL)
            params += [a, b, b, a]
        if self.actor:
            clauses.append(ACTOR_SQL)
            params += [self.actor.upper()] * 4
        for column, value in (("c.location_country", self.country), ("c.cameo_root", self.cameo_root),
                              ("c.quad_class", self.quad_class), ("c.plover_type", self.plover_type)):
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value.upper() if isinstance(value, str) else value)
        if self.cameo:
            clauses.append("starts_with(c.cameo, ?)")
            params.append(self.cameo)
        dates, date_params = _date_filter(self.since, self.until)
        if dates:
            clauses.append(dates.removeprefix(" AND "))
            params += date_params
        if self.text:
            clauses.append("EXISTS (SELECT 1 FROM mentions m JOIN sentences s USING (article_id, sentence_index) "
                           "WHERE m.cluster_id = c.cluster_id AND strpos(lower(s.text), ?) > 0)")
            params.append(self.text.lower())
        if self.located:
            clauses.append("c.location_lat IS NOT NULL AND c.location_lon IS NOT NULL")
        return " AND ".join(clauses), params


def find_clusters(store: "EventStore", where: EventFilter, sort: str = "date", descending: bool = True,
                  limit: int = 50, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """One page of the event clusters ``where`` selects, with the first sentence that reports each.

    Returns (how many clusters match in all, the page's rows).

    Raises:
        ValueError: ``sort`` is not one of ``CLUSTER_SORTS``.
    """
    if sort not in CLUSTER_SORTS:
        raise ValueError(f"unknown sort {sort!r} (expected one of {', '.join(CLUSTER_SORTS)})")
    clause, params = where.sql()
    (total,) = store.con.execute(f"SELECT count(*) FROM clusters c WHERE {clause}", params).fetchone()
    direction = "DESC" if descending else "ASC"
    columns = ", ".join(f"c.{name}" for name in CLUSTER_LIST_COLUMNS)
    rows = store.rows(f"""
        WITH page AS (
            SELECT {columns} FROM clusters c WHERE {clause}
            ORDER BY {CLUSTER_SORTS[sort]} {direction} NULLS LAST, c.cluster_id LIMIT ? OFFSET ?)
        SELECT page.*, (SELECT first(s.text ORDER BY m.mention_date NULLS LAST, m.article_id, m.sentence_index)
                        FROM mentions m JOIN sentences s USING (article_id, sentence_index)
                        WHERE m.cluster_id = page.cluster_id) AS sentence
        FROM page ORDER BY {CLUSTER_SORTS[sort].replace('c.', 'page.')} {direction} NULLS LAST, page.cluster_id""",
                      [*params, limit, offset])
    return total, rows


def cluster_detail(store: "EventStore", cluster_id: int, mention_limit: int = 200) -> dict[str, Any] | None:
    """A cluster with the mentions that report it: each with its article, sentence and the spans
    (relative to the sentence) of source, target and trigger; None if there is no such cluster."""
    found = store.rows("SELECT * FROM clusters WHERE cluster_id = ?", [cluster_id])
    if not found:
        return None
    cluster = found[0]
    rows = store.rows("""
        SELECT m.article_id, a.title, a.date AS article_date, a.url, m.publisher, m.sentence_index,
               s.text AS sentence, s.char_start AS sentence_start, e.event_id, e.cameo, e.cameo_name,
               e.source_text, e.source_char_start, e.source_char_end,
               e.target_text, e.target_char_start, e.target_char_end,
               e.trigger, e.trigger_start, e.trigger_end, e.confidence
        FROM mentions m
        JOIN events e USING (event_id)
        JOIN articles a ON a.article_id = m.article_id
        JOIN sentences s ON s.article_id = m.article_id AND s.sentence_index = m.sentence_index
        WHERE m.cluster_id = ?
        ORDER BY m.mention_date NULLS LAST, m.article_id, m.sentence_index, m.trigger_start
        LIMIT ?""", [cluster_id, mention_limit])
    mentions = []
    for row in rows:
        spans = [(kind, row[f"{kind}_start" if kind == "trigger" else f"{kind}_char_start"],
                  row[f"{kind}_end" if kind == "trigger" else f"{kind}_char_end"])
                 for kind in ("source", "target", "trigger")]
        mentions.append({**{k: row[k] for k in ("article_id", "title", "article_date", "url", "publisher",
                                                 "sentence_index", "sentence", "event_id", "cameo", "cameo_name",
                                                 "source_text", "target_text", "trigger", "confidence")},
                         "highlights": sentence_highlights(row["sentence"], row["sentence_start"], spans)})
    return {"cluster": cluster, "mentions": mentions, "mentions_shown": len(mentions)}


def sentence_highlights(sentence: str, sentence_start: int,
                        spans: Iterable[tuple[str, int | None, int | None]]) -> list[dict[str, Any]]:
    """Article-offset spans ``(kind, start, end)`` as offsets into ``sentence`` (which starts at
    ``sentence_start`` in the article), in order; spans outside the sentence or overlapping an
    earlier one are left out, so the sentence can be cut into plain and marked pieces."""
    inside = sorted((start - sentence_start, end - sentence_start, kind) for kind, start, end in spans
                    if start is not None and end is not None and sentence_start <= start < end <= sentence_start + len(sentence))
    out, reached = [], 0
    for start, end, kind in inside:
        if start >= reached:
            out.append({"kind": kind, "start": start, "end": end})
            reached = end
    return out


def party_activity(store: "EventStore", contains: str | None = None, limit: int = 50,
                   since: dt.date | None = None, until: dt.date | None = None) -> list[dict[str, Any]]:
    """Parties (as reports name them: a country, or an organisation's code) by how many event
    clusters they are a side of; ``contains`` keeps parties whose code or name contains it."""
    dates, params = _date_filter(since, until)
    rows = store.rows(f"""
        WITH sides AS (
            SELECT {party_sql('source')} AS party, 1 AS as_source, 0 AS as_target, c.event_date
            FROM clusters c WHERE TRUE {dates}
            UNION ALL
            SELECT {party_sql('target')}, 0, 1, c.event_date FROM clusters c WHERE TRUE {dates})
        SELECT party, count(*) AS clusters, sum(as_source) AS as_source, sum(as_target) AS as_target,
               min(event_date) AS first_date, max(event_date) AS last_date
        FROM sides WHERE party IS NOT NULL GROUP BY party ORDER BY clusters DESC, party""", [*params, *params])
    names = party_names(row["party"] for row in rows)
    needle = contains.casefold() if contains else None
    out = []
    for row in rows:
        row["name"] = names.get(row["party"])
        if needle is None or needle in row["party"].casefold() or needle in (row["name"] or "").casefold():
            out.append(row)
    return out[:limit]


def party_names(parties: Iterable[str]) -> dict[str, str]:
    """Readable names of party codes: countries and organisations from the actor dictionary."""
    from .actors import default_dictionary

    book = default_dictionary()
    out = {}
    for party in parties:
        known = book.countries.get(party) or book.organizations.get(party)
        if known is not None:
            out[party] = known.name
    return out


def actor_network(store: "EventStore", where: EventFilter, around: Sequence[str] = (),
                  max_nodes: int = 40) -> dict[str, Any]:
    """Who acts on whom: parties as nodes, directed edges with event clusters per QuadClass and
    the Goldstein sum. With ``around``, only clusters with one of those parties on a side; the
    ``max_nodes`` most active parties are kept (those of ``around`` always)."""
    clause, params = where.sql()
    source, target = party_sql("source"), party_sql("target")
    focus = [p.upper() for p in around]
    if focus:
        marks = ", ".join("?" for _ in focus)
        clause += f" AND ({source} IN ({marks}) OR {target} IN ({marks}))"
        params = [*params, *focus, *focus]
    edges = store.rows(f"""
        SELECT {source} AS source, {target} AS target, count(*) AS clusters, sum(c.goldstein) AS goldstein_sum,
               count(*) FILTER (WHERE c.quad_class = 1) AS q1, count(*) FILTER (WHERE c.quad_class = 2) AS q2,
               count(*) FILTER (WHERE c.quad_class = 3) AS q3, count(*) FILTER (WHERE c.quad_class = 4) AS q4
        FROM clusters c WHERE {clause}
        GROUP BY 1, 2 HAVING source IS NOT NULL AND target IS NOT NULL AND source <> target
        ORDER BY clusters DESC, source, target""", params)
    degree: Counter[str] = Counter()
    for edge in edges:
        degree[edge["source"]] += edge["clusters"]
        degree[edge["target"]] += edge["clusters"]
    ranked = sorted(degree, key=lambda p: (p not in focus, -degree[p], p))[:max_nodes]
    kept = set(ranked)
    names = party_names(ranked)
    return {
        "nodes": [{"party": p, "name": names.get(p), "clusters": degree[p], "focus": p in focus} for p in ranked],
        "edges": [{**e, "goldstein_sum": float(e["goldstein_sum"])} for e in edges
                  if e["source"] in kept and e["target"] in kept],
    }


def located_clusters(store: "EventStore", where: EventFilter, limit: int = 2000) -> dict[str, Any]:
    """Clusters with a place (latitude and longitude), at most ``limit`` of them, most reported
    first, and where to label each country: the mean position of its located clusters."""
    located = EventFilter(**{**{f: getattr(where, f) for f in where.__dataclass_fields__}, "located": True})
    total, rows = find_clusters(store, located, sort="mentions", limit=limit)
    places: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for row in rows:
        if row["location_country"]:
            places[row["location_country"]].append((row["location_lat"], row["location_lon"]))
    names = party_names(places)
    labels = [{"country": country, "name": names.get(country), "lat": statistics.fmean(p[0] for p in points),
               "lon": statistics.fmean(p[1] for p in points), "clusters": len(points)}
              for country, points in sorted(places.items())]
    return {"total": total, "points": rows, "countries": labels}


def find_claims(store: "EventStore", parties: Sequence[str] = (), since: dt.date | None = None,
                until: dt.date | None = None, limit: int = 100, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """Attribution claims (docs/attribution.md), newest first; with ``parties``, only claims
    whose claimant or accused is one of them (by country or code)."""
    clauses, params = ["TRUE"], []
    if parties:
        marks = ", ".join("?" for _ in parties)
        codes = [p.upper() for p in parties]
        clauses.append(f"(claimant_country IN ({marks}) OR accused_country IN ({marks}) "
                       f"OR claimant_code IN ({marks}) OR accused_code IN ({marks}))")
        params += codes * 4
    dates, date_params = _date_filter(since, until)
    clause = " AND ".join(clauses) + dates.replace("c.event_date", "cl.date")
    params += date_params
    (total,) = store.con.execute(f"SELECT count(*) FROM claims cl WHERE {clause}", params).fetchone()
    rows = store.rows(f"""
        SELECT cl.claim_id, cl.article_id, cl.sentence_index, cl.date, cl.claimant_code, cl.claimant_country,
               cl.accused_code, cl.accused_country, cl.incident, cl.stance, cl.evidence, cl.evidence_words,
               cl.hearsay, json_extract_string(cl.record, '$.sentence') AS sentence
        FROM claims cl
        WHERE {clause} ORDER BY cl.date DESC NULLS LAST, cl.claim_id LIMIT ? OFFSET ?""",
                      [*params, limit, offset])
    return total, rows
