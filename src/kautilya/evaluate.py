"""Scoring the coder against gold files, so that accuracy is measured, published and gated.

Three kinds of gold are read (``read_gold`` tells them apart by content):

- sentence gold in PETRARCH's validation XML (``<Sentence>`` with ``<EventCoding>``, ``<Config>``
  changes, ``noevents`` and ``error`` expectations), or the same parsed to JSONL;
- PLOVER gold records (a JSON list of records with ``event``, ``source``, ``target``, ``text``);
- document-level pattern files (see below).

Document-level pattern files (``required``, ``optional`` and ``forbidden`` event patterns for
one article, as in ``shared/seed/expected_events.json``) are scored with the rule stated in
their ``about`` field: an event matches a pattern when its source country, target country and
CAMEO root are among the pattern's; each gold event is matched at most once; optional events
are neither required nor false positives; events matching a forbidden pattern are errors.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .errors import InputError
from .schema import Event

# PLOVER's gold records use the 2016 type names; these are their 2021 successors.
PLOVER_RENAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO country codes that differ from ISO 3166 alpha-3 (facts of the CAMEO actor codebook).
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "ROM": "ROU", "TMP": "TLS", "ZAR": "COD",
                "BUR": "MMR", "GER": "DEU", "SUD": "SDN"}
# Gold "IGO" is any international body; the coder is more specific (EU as EUR, the UN as UNO,
# international NGOs such as Amnesty International or the Red Cross as NGO).
INTERNATIONAL = {"IGO", "UNO", "EUR", "NGO"}
FIELDS = ("source_country", "target_country", "cameo_root", "cameo_code", "plover_type")


@dataclass
class PatternScore:
    gold: str
    true_positives: int = 0
    false_positives: int = 0
    forbidden: int = 0
    required: int = 0
    mismatches: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        produced = self.true_positives + self.false_positives + self.forbidden
        return self.true_positives / produced if produced else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        return harmonic_mean(self.precision, self.recall)

    def summary(self) -> str:
        return (f"{self.gold}: precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} "
                f"(matched {self.true_positives}/{self.required} required, {self.false_positives} false "
                f"positives, {self.forbidden} forbidden)")


def harmonic_mean(precision: float, recall: float) -> float:
    """F1: the harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _country(actor) -> str | None:
    return actor.country if actor is not None else None


def pattern_matches(event: Event, pattern: dict) -> bool:
    """True when the event fits a gold pattern under the file's matching rule."""
    if _country(event.source) not in pattern.get("source", [None]):
        return False
    if not pattern.get("any_target"):
        allowed = pattern.get("target")
        if allowed is None:
            if event.target is not None:
                return False
        elif _country(event.target) not in allowed:
            return False
    return event.cameo_root in pattern.get("cameo_root", [])


def score_patterns(events: list[Event], gold: dict, name: str = "gold") -> PatternScore:
    """Score events of one document against its required/optional/forbidden patterns."""
    required, optional = gold.get("required", []), gold.get("optional", [])
    score = PatternScore(gold=name, required=len(required))
    remaining = []
    for event in events:
        hit = next((f for f in gold.get("forbidden", []) if pattern_matches(event, f)), None)
        if hit:
            score.forbidden += 1
            score.mismatches.append(_mismatch("forbidden", event, hit))
        else:
            remaining.append(event)
    matched_required = _max_matching(remaining, required)
    score.true_positives = len(matched_required)
    left = [e for i, e in enumerate(remaining) if i not in matched_required]
    matched_optional = _max_matching(left, optional)
    for i, event in enumerate(left):
        if i not in matched_optional:
            score.false_positives += 1
            score.mismatches.append(_mismatch("false_positive", event, None))
    used = set(matched_required.values())
    for j, pattern in enumerate(required):
        if j not in used:
            score.mismatches.append({"kind": "missed", "gold": pattern})
    return score


def _max_matching(events: list[Event], patterns: list[dict]) -> dict[int, int]:
    """Maximum bipartite matching of events to patterns (event index -> pattern index)."""
    owner: dict[int, int] = {}  # pattern -> event

    def augment(i: int, seen: set[int]) -> bool:
        for j, pattern in enumerate(patterns):
            if j in seen or not pattern_matches(events[i], pattern):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(events)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _mismatch(kind: str, event: Event, pattern: dict | None) -> dict:
    return {
        "kind": kind,
        "sentence": event.sentence,
        "source": _country(event.source),
        "target": _country(event.target),
        "cameo": event.cameo,
        "pattern_id": event.pattern_id,
        "gold": pattern,
    }


def score_pattern_file(path: Path, text_path: Path | None = None, settings=None) -> PatternScore:
    """Code the article a pattern file describes and score it.

    The article is ``text_path`` or the file named by the gold file's ``doc`` key, beside it.
    """
    from .pipeline import code_text

    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", source=str(path)) from exc
    text_path = text_path or path.with_name(gold.get("doc", ""))
    try:
        text = text_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the article {text_path}: {exc}", source=str(path)) from exc
    events = code_text(text, doc_id=text_path.stem, settings=settings)
    return score_patterns(events, gold, name=str(path))


# --------------------------------------------------------------------------- sentence gold


@dataclass(frozen=True)
class GoldEvent:
    source: str | None  # actor code as the gold file writes it ("USAGOV", "ARN", "---")
    target: str | None
    code: str

    @property
    def source_country(self) -> str | None:
        return gold_country(self.source)

    @property
    def target_country(self) -> str | None:
        return gold_country(self.target)


@dataclass
class GoldSentence:
    id: str
    text: str
    date: str | None
    events: list[GoldEvent]
    category: str = ""
    noevents: bool = False
    error: str | None = None
    config: dict[str, str] = field(default_factory=dict)


def gold_country(code: str | None) -> str | None:
    """The country part of a CAMEO actor code: "USAGOV" -> USA, "---REB" -> None, "IGOEUREEC" -> IGO."""
    if not code or code.startswith("---"):
        return None
    head = code[:3].upper()
    return CAMEO_TO_ISO.get(head, head)


_TAG = re.compile(r"<!--.*?-->|<(Sentence|EventCoding|Config|Stop)\b([^>]*)>|<Text>(.*?)</Text>"
                  r"|<Parse>(.*?)</Parse>", re.S)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')


def read_petrarch_xml(path: Path) -> list[GoldSentence]:
    """PETRARCH validation XML: sentences in order, with the <Config> changes met before each.

    Read tag by tag in document order rather than as a tree: some published files close
    ``<Sentence/>`` at once and put its ``<EventCoding>`` and ``<Text>`` after it, which an XML
    parser rejects; here they attach to the sentence last opened.
    """
    try:
        content = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"cannot read PETRARCH XML: {exc}", source=str(path)) from exc
    config: dict[str, str] = {}
    out: list[GoldSentence] = []
    current: GoldSentence | None = None
    for match in _TAG.finditer(content):
        tag, attrs_text, text, parse = match.group(1), match.group(2) or "", match.group(3), match.group(4)
        attrs = dict(_ATTR.findall(attrs_text))
        if text is not None and current is not None:
            current.text = " ".join(text.split())
        elif parse is not None and current is not None and not current.text:
            current.text = _text_from_conllu(parse)
        elif tag == "Config" and attrs.get("option"):
            config[attrs["option"]] = attrs.get("value", "")
        elif tag == "Stop":
            break
        elif tag == "Sentence":
            raw_date = attrs.get("date", "")
            date = f"{raw_date[:4]}-{raw_date[4:6]}-{raw_date[6:8]}" if re.fullmatch(r"\d{8}", raw_date) else None
            current = GoldSentence(attrs.get("id", f"s{len(out)}"), "", date, [], attrs.get("category", ""),
                                   config=dict(config))
            out.append(current)
        elif tag == "EventCoding" and current is not None:
            if attrs.get("noevents", "").lower() == "true":
                current.noevents = True
            elif attrs.get("error"):
                current.error = attrs["error"]
            elif attrs.get("eventcode"):
                current.events.append(GoldEvent(attrs.get("sourcecode"), attrs.get("targetcode"),
                                                attrs["eventcode"]))
    if not out:
        raise InputError("no <Sentence> records found", source=str(path))
    return [s for s in out if s.text]


def _text_from_conllu(parse: str) -> str:
    """Rebuild a sentence from a CoNLL-U parse when its <Text> is empty."""
    out = []
    for line in parse.splitlines():
        cols = line.split("\t")
        if len(cols) >= 10 and cols[0].isdigit():
            out.append(cols[1] + ("" if "SpaceAfter=No" in cols[9] else " "))
    return "".join(out).strip()


def read_sentence_jsonl(path: Path) -> list[GoldSentence]:
    """The same sentence gold, parsed to JSONL (``expected_events``, ``noevents``, ``active_config``)."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                events = [GoldEvent(e.get("source"), e.get("target"), str(e["code"]))
                          for e in row.get("expected_events", [])]
                out.append(GoldSentence(str(row["id"]), row["text"], row.get("date_iso"), events,
                                        row.get("category", ""), bool(row.get("noevents")),
                                        row.get("expected_error"), dict(row.get("active_config") or {})))
            except (KeyError, TypeError, json.JSONDecodeError) as exc:
                raise InputError(f"bad gold record ({exc})", source=str(path), line=line_no) from exc
    return out


@dataclass
class FieldScore:
    matched: int = 0
    produced: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.produced if self.produced else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        return harmonic_mean(self.precision, self.recall)

    def add(self, produced: Iterable, gold: Iterable) -> int:
        produced, gold = Counter(produced), Counter(gold)
        hit = sum((produced & gold).values())
        self.matched += hit
        self.produced += sum(produced.values())
        self.gold += sum(gold.values())
        return hit


@dataclass
class SentenceReport:
    gold: str
    sentences: int = 0
    exact: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    triple: FieldScore = field(default_factory=FieldScore)
    categories: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    mismatches: list[dict] = field(default_factory=list)

    @property
    def exact_share(self) -> float:
        return self.exact / self.sentences if self.sentences else 0.0

    def summary(self) -> str:
        lines = [f"{self.gold}: {self.sentences} sentences, exactly right {self.exact} "
                 f"({self.exact_share:.1%}); (source country, target country, CAMEO root) "
                 f"P {self.triple.precision:.3f} R {self.triple.recall:.3f} F1 {self.triple.f1:.3f}",
                 f"  {'field':16} {'precision':>9} {'recall':>7} {'F1':>6}"]
        for name, score in self.fields.items():
            lines.append(f"  {name:16} {score.precision:9.3f} {score.recall:7.3f} {score.f1:6.3f}")
        lines.append("  per category (exactly right / sentences):")
        for name, (right, total) in sorted(self.categories.items()):
            lines.append(f"    {name or '-':16} {right:4d} / {total:<4d} {right / total:6.1%}")
        return "\n".join(lines)


def _event_fields(e: Event) -> dict[str, str | None]:
    return {"source_country": e.source.country if e.source else None,
            "target_country": e.target.country if e.target else None,
            "cameo_root": e.cameo_root, "cameo_code": e.cameo, "plover_type": e.plover.type}


def _gold_fields(g: GoldEvent, plover_of: Callable[[str], str | None]) -> dict[str, str | None]:
    return {"source_country": g.source_country, "target_country": g.target_country,
            "cameo_root": g.code[:2], "cameo_code": g.code, "plover_type": plover_of(g.code)}


def _same_country(produced: str | None, gold: str | None) -> bool:
    return produced == gold or (gold == "IGO" and produced in INTERNATIONAL)


def score_sentences(sentences: list[GoldSentence], code: Callable[[GoldSentence], list[Event]],
                    name: str) -> SentenceReport:
    """Code each gold sentence and score it.

    A sentence is exactly right when the set of (source code, target code, event code) equals the
    gold set, or when gold expects no event (``noevents``, or an input ``error``) and none is coded.
    Field scores count matches per sentence (multiset intersection), so two events that share a
    source country count twice only if the gold has it twice.
    """
    from .ontology import load_cameo_table

    table = load_cameo_table()

    def plover_of(code: str) -> str | None:
        entry = table.get(code) or table.get(code[:3]) or table.get(code[:2])
        return entry.plover.type if entry else None

    report = SentenceReport(gold=name)
    for sentence in sentences:
        events = code(sentence)
        if sentence.config.get("require_dyad", "true").lower() != "false" and not _one_sided(sentence):
            events = [e for e in events if e.source is not None and e.target is not None]
        events = _joint_acts_as_gold(events, [(g.source_country, g.target_country, g.code[:2])
                                              for g in sentence.events])
        report.sentences += 1
        produced_fields = [_event_fields(e) for e in events]
        gold_fields = [_gold_fields(g, plover_of) for g in sentence.events]
        for f in FIELDS:
            produced = [_normalise(p[f], [g[f] for g in gold_fields]) for p in produced_fields]
            report.fields[f].add(produced, [g[f] for g in gold_fields])
        triples_p = [(p["source_country"], p["target_country"], p["cameo_root"]) for p in produced_fields]
        triples_g = [(g["source_country"], g["target_country"], g["cameo_root"]) for g in gold_fields]
        triples_p = [_normalise_triple(t, triples_g) for t in triples_p]
        report.triple.add(triples_p, triples_g)
        produced_set = {(e.source.code if e.source else None, e.target.code if e.target else None, e.cameo)
                        for e in events}
        gold_set = {(_actor_or_none(g.source), _actor_or_none(g.target), g.code) for g in sentence.events}
        right = produced_set == gold_set if sentence.events else not events
        report.exact += right
        report.categories[sentence.category][0] += right
        report.categories[sentence.category][1] += 1
        if not right:
            report.mismatches.append({"id": sentence.id, "category": sentence.category, "text": sentence.text,
                                      "gold": [list(g) for g in sorted(gold_set, key=str)],
                                      "produced": [list(p) for p in sorted(produced_set, key=str)],
                                      "patterns": sorted({e.pattern_id for e in events})})
    return report


def _one_sided(sentence: GoldSentence) -> bool:
    """A gold event with a side written "---" was coded with ``require_dyad`` off, whatever the
    file's settings say (PETRARCH writes "---" only then): the sentence is scored that way."""
    return any(_actor_or_none(g.source) is None or _actor_or_none(g.target) is None for g in sentence.events)


def _joint_acts_as_gold(events: list[Event], gold_triples: list[tuple]) -> list[Event]:
    """A joint act ("X met Y") is coded both ways (docs/patterns.md); a gold that writes it one
    way only ("X met Y": X -> Y) is matched by that direction, and the mirror of the same trigger
    and code is the same act spelled again, not a false event. A pair the gold does not have at
    all stays, both directions counted wrong."""
    def triple(e: Event) -> tuple:
        return _normalise_triple((e.source.country if e.source else None, e.target.country if e.target else None,
                                  e.cameo_root), gold_triples)

    drop = set()
    for i, e in enumerate(events):
        for j, m in enumerate(events):
            if j <= i or i in drop or j in drop or (e.trigger_start, e.cameo) != (m.trigger_start, m.cameo):
                continue
            if not (e.source and e.target and m.source and m.target and e.source.code == m.target.code
                    and e.target.code == m.source.code):
                continue
            there = (triple(e) in gold_triples, triple(m) in gold_triples)
            if there == (True, False):
                drop.add(j)
            elif there == (False, True):
                drop.add(i)
    return [e for i, e in enumerate(events) if i not in drop]


def _actor_or_none(code: str | None) -> str | None:
    """PETRARCH writes "---" for a side it could not identify (with ``require_dyad`` off)."""
    return None if code == "---" else code


def _normalise(value, gold_values):
    """Count "UNO" as right where the gold says "IGO"."""
    if value in INTERNATIONAL and "IGO" in gold_values and value not in gold_values:
        return "IGO"
    return value


def _normalise_triple(triple, gold_triples):
    for gold in gold_triples:
        if all(_same_country(p, g) if i < 2 else p == g for i, (p, g) in enumerate(zip(triple, gold))):
            return gold
    return triple


# --------------------------------------------------------------------------- PLOVER records


@dataclass
class PloverReport:
    gold: str
    records: int = 0
    type_right: int = 0
    source_right: int = 0
    source_scored: int = 0
    per_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    mismatches: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.gold}: {self.records} records; PLOVER type right {self.type_right} "
                 f"({self.type_right / max(self.records, 1):.1%}); source country right {self.source_right} "
                 f"of {self.source_scored} ({self.source_right / max(self.source_scored, 1):.1%})",
                 "  per type (type right / records):"]
        for name, (right, total) in sorted(self.per_type.items()):
            lines.append(f"    {name:10} {right:4d} / {total:<4d} {right / total:6.1%}")
        return "\n".join(lines)


def read_plover_records(path: Path) -> list[dict]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read PLOVER gold: {exc}", source=str(path)) from exc
    return [r for r in records if r.get("text") and r.get("event") not in (None, "DOCUMENT")]


def _actor_codes(value) -> list[str]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return []
    return [gold_country(a.get("code")) for a in value if isinstance(a, dict) and a.get("code")]


def main_event(events: list[Event]) -> Event | None:
    """The event a one-event record is about.

    News puts its event in the main clause: the event whose trigger stands highest in the
    sentence's parse wins ("Hungary said it will support a resolution that aims to tighten a
    blockade" is about the support, not the blockade). Reporting verbs ("said") and
    coordination do not count as levels. Ties go to the most confident, then the earliest.
    """
    if not events:
        return None
    return min(events, key=lambda e: (clause_depth(e), -e.confidence, e.trigger_start))


def clause_depth(event: Event) -> int:
    """How many governing words stand above the event's trigger in its sentence."""
    doc = _parsed_sentence(event.sentence)
    offset = event.trigger_start - event.char_start
    token = next((t for t in doc if t.idx == offset), None)
    if token is None:
        return 0
    from .coding import LIGHT_VERBS, SPEECH_VERBS

    if token.dep_ == "dobj" and token.head.lemma_.lower() in LIGHT_VERBS:
        token = token.head  # "began a hunger strike to protest ...": the strike is the main act
    depth = 0
    while token.head.i != token.i:
        head = token.head
        if token.dep_ != "conj" and not (head.lemma_.lower() in SPEECH_VERBS and head.dep_ == "ROOT"):
            depth += 1
        token = head
    return depth


@lru_cache(maxsize=4096)
def _parsed_sentence(text: str):
    from .nlp import load_pipeline

    return load_pipeline()(text)


def score_plover(records: list[dict], code: Callable[[dict], list[Event]], name: str) -> PloverReport:
    """Per record: is the main event's PLOVER type the gold type, and its source a gold source?"""
    report = PloverReport(gold=name)
    for record in records:
        gold_type = PLOVER_RENAMES.get(record["event"], record["event"])
        event = main_event(code(record))
        report.records += 1
        got_type = event.plover.type if event else None
        type_ok = got_type == gold_type
        report.type_right += type_ok
        report.per_type[gold_type][0] += type_ok
        report.per_type[gold_type][1] += 1
        sources = [c for c in _actor_codes(record.get("source")) if c]
        source_ok = None
        if sources:
            report.source_scored += 1
            got = event.source.country if event and event.source else None
            source_ok = any(_same_country(got, c) for c in sources)
            report.source_right += source_ok
        if not type_ok or source_ok is False:
            report.mismatches.append({"id": record["id"], "text": record["text"], "gold_type": gold_type,
                                      "gold_sources": sources, "type": got_type,
                                      "source": event.source.country if event and event.source else None,
                                      "cameo": event.cameo if event else None,
                                      "pattern": event.pattern_id if event else None})
    return report


# ------------------------------------------------------------------------ PLOVER gold records


@dataclass(frozen=True)
class PloverRecord:
    """One record of a PLOVER gold file (``PLOVER_GSR_CAMEO.txt``: a JSON list of records).

    Sources and targets keep the file's actor dicts (``actorText``, ``code``, ``sector``); the
    event location is ``(name, ISO alpha-2 country or None)`` when the record carries one.
    """

    id: str
    text: str
    date: str | None
    event: str
    event_text: str | None
    mode: str | None
    context: str | None
    sources: tuple[dict, ...]
    targets: tuple[dict, ...]
    location: tuple[str, str | None] | None
    markup: str | None = None  # the text with "(SRC: ...)", "(EVT: ...)", "(TAR: ...)" spans

    @property
    def trigger_words(self) -> list[str]:
        """The marked event words ("(EVT: extradited)"), or the words of ``eventText``."""
        marked = [m.strip() for m in re.findall(r"\(EVT:\s*([^()]+?)\s*\)", self.markup or "") if m.strip()]
        return marked or ([self.event_text] if self.event_text else [])


def read_plover_gold(path: Path) -> list[PloverRecord]:
    """Read the PLOVER gold records that carry a text (documentation records are skipped).

    Raises:
        InputError: the file is not a JSON list, or a record lacks its id or event.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read PLOVER gold file: {exc}", source=str(path)) from exc
    if not isinstance(data, list):
        raise InputError("a PLOVER gold file is a JSON list of records", source=str(path))
    records = []
    for index, raw in enumerate(data):
        if not isinstance(raw, dict) or not raw.get("text"):
            continue
        if not raw.get("id") or not raw.get("event"):
            raise InputError("record lacks 'id' or 'event'", source=str(path), record=str(raw.get("id") or index))
        loc = raw.get("eventLoc")
        location = (loc["name"], loc.get("country code")) if isinstance(loc, dict) and loc.get("name") else None
        records.append(PloverRecord(
            id=raw["id"], text=raw["text"], date=raw.get("date"), event=raw["event"],
            event_text=raw.get("eventText"), mode=raw.get("mode"), context=raw.get("context"),
            sources=tuple(_actor_list(raw.get("source"))), targets=tuple(_actor_list(raw.get("target"))),
            location=location, markup=(raw.get("textInfo") or {}).get("markup")
            if isinstance(raw.get("textInfo"), dict) else None))
    return records


def _actor_list(value) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def is_plover_gold(path: Path) -> bool:
    """A JSON list whose records have PLOVER's ``event`` and ``text`` keys."""
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.lstrip().startswith("[") and '"event"' in head


@dataclass
class LocationScore:
    """Location-country accuracy on gold records that carry an event location."""

    gold: str
    records: int = 0  # records with a location whose country is known
    unresolved_gold: int = 0  # gold place names the gazetteer does not know
    placed: int = 0  # gold trigger found and placed by the locator
    correct: int = 0
    coded: int = 0  # records where the coder produced an event with a location
    coded_correct: int = 0
    mismatches: list[dict] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.records if self.records else 0.0

    def summary(self) -> str:
        coded = f"{self.coded_correct}/{self.coded}" if self.coded else "0/0"
        return (f"{self.gold}: event location country {self.correct}/{self.records} = {self.accuracy:.3f} "
                f"(gold trigger placed by the locator; {self.placed} placed, {self.unresolved_gold} gold places "
                f"unknown to the gazetteer and left out); end to end, coded events with a location: "
                f"{coded} right")


def score_plover_locations(path: Path, coder=None) -> LocationScore:
    """Score where events are placed against the PLOVER gold records that carry ``eventLoc``.

    Two measures: (1) the gold event's trigger word (the first word of ``eventText``) is found
    in the parse and placed by ``geo.EventLocator``; its country is compared with the gold
    location's (the record's ISO code, or its name looked up in the gazetteer with the
    countries the text names); records without a placement count as wrong. (2) End to end: of
    the records where the coder produced an event that carries a location, how many put the
    first such location in the right country.
    """
    from .actors import ActorResolver
    from .geo import EventLocator, load_gazetteer
    from .pipeline import Coder
    from .schema import Article

    coder = coder or Coder.from_settings()
    gazetteer = load_gazetteer()
    iso3_of = {c.iso2: c.iso3 for c in coder.actors.countries.values()}
    score = LocationScore(gold=str(path))
    for record in read_plover_gold(path):
        if record.location is None:
            continue
        doc = coder.nlp(record.text)
        resolver = ActorResolver(coder.actors, coder.nlp, doc, record.date)
        countries = resolver.country_tokens()
        name, iso2 = record.location
        gold = iso3_of.get(iso2) if iso2 else None
        if gold is None:
            place = gazetteer.best(name, set(countries.values()))
            gold = place.country if place else None
        if gold is None:
            score.unresolved_gold += 1
            continue
        score.records += 1
        locator = EventLocator(gazetteer, doc, countries, resolver.actor_tokens())
        trigger = _gold_trigger(doc, record.trigger_words)
        found = locator.locate(trigger) if trigger is not None else None
        predicted = found.place.country if found else None
        score.placed += found is not None
        score.correct += predicted == gold
        events = coder.code_doc(Article(id=record.id, text=record.text, date=record.date), doc)
        located = [e for e in events if e.location is not None]
        if located:
            score.coded += 1
            score.coded_correct += located[0].location.country == gold
        if predicted != gold:
            score.mismatches.append({"kind": "location", "id": record.id, "gold_place": name, "gold": gold,
                                     "predicted": predicted, "place": found.span.text if found else None,
                                     "trigger": trigger.text if trigger is not None else None,
                                     "text": record.text})
    return score


def _gold_trigger(doc, phrases: list[str]):
    """The main word of the gold event's first marked phrase: its verb, else its noun
    ("(EVT: has been killed in)" -> killed, "(EVT: tanks fired)" -> fired)."""
    for phrase in phrases:
        words = {w.lower() for w in phrase.split()}
        tokens = [t for t in doc if t.lower_ in words]
        for pos in ("VERB", "NOUN", "PROPN", "ADJ"):
            for token in tokens:
                if token.pos_ == pos:
                    return token
    return None


# ------------------------------------------------------------------- actor expectations (NGEC)

#: NGEC's agent codes that name the same sector as a different CAMEO code of ours: its MED is
#: medical (our HLH), its JRN journalists and news agencies (our MED, media), its PRM
#: paramilitaries (CAMEO's UAF, "unaligned armed forces: paramilitaries, militias"); UNK and JNK
#: say that no sector should be given.
NGEC_SECTOR_CROSSWALK = {"MED": "HLH", "JRN": "MED", "PRM": "UAF", "UNK": "", "JNK": ""}
ACTOR_METHODS = ("agent_to_code", "short_text_to_agent", "search_nat")


@dataclass(frozen=True)
class ActorExpectation:
    """One actor-coding expectation: a phrase (with an optional country context and date) and
    the country and sector it should resolve to (None: not checked; "": none expected)."""

    id: str
    line: int
    text: str
    context: str | None
    date: str | None
    country: str | None
    sector: str | None
    not_country: str | None = None


def is_actor_expectations(path: Path) -> bool:
    """A JSONL file whose first record has a ``method`` and an ``expect`` (NGEC's actor tests)."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = json.loads(handle.readline())
    except (OSError, ValueError):
        return False
    return isinstance(first, dict) and "method" in first and "expect" in first


def read_actor_expectations(path: Path, today: str | None = None) -> tuple[list[ActorExpectation], int]:
    """Read the expectations that check a country or a sector; also count the others skipped.

    Dates as written ("10 May 2015", "today") are read with ``dates.parse_date_phrase``.
    "Today" means the day the expectations were written, not the day they are scored: unless
    ``today`` is given, the latest full date the file itself mentions stands for it. An
    expectation without a date is read without one (the latest term of an office holder).

    Raises:
        InputError: a line is not JSON, or an expectation has no text.
    """
    import datetime as dt

    from .dates import parse_date_phrase

    records = []
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append((line_no, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON: {exc.msg}", source=str(path), line=line_no) from exc
    when_of = {line_no: _date_argument(raw) for line_no, raw in records}
    if today is None:
        written = [parse_date_phrase(when) for when in when_of.values() if when]
        today = max((w.date for w in written if w and w.precision == "day"), default=dt.date.today().isoformat())
    out, skipped = [], 0
    for line_no, raw in records:
        expect, args = raw.get("expect") or {}, list(raw.get("args") or [])
        not_country = (raw.get("expect_not") or {}).get("country")
        if raw.get("method") not in ACTOR_METHODS or not ({"country", "code_1"} & set(expect) or not_country):
            skipped += 1
            continue
        if not args or not isinstance(args[0], str) or not args[0].strip():
            raise InputError("expectation has no text", source=str(path), line=line_no)
        parsed = parse_date_phrase(when_of[line_no], today) if when_of[line_no] else None
        sector = expect.get("code_1")
        out.append(ActorExpectation(
            id=str(raw.get("test", line_no)), line=line_no, text=args[0].strip(),
            context=(args[1] or None) if len(args) > 1 else None, date=parsed.date if parsed else None,
            country=expect.get("country"),
            sector=NGEC_SECTOR_CROSSWALK.get(sector, sector) if sector is not None else None,
            not_country=not_country))
    return out, skipped


def _date_argument(raw: dict) -> str:
    args = raw.get("args") or []
    return args[2].strip() if len(args) > 2 and isinstance(args[2], str) else ""


@dataclass
class ActorScore:
    gold: str
    country_total: int = 0
    country_correct: int = 0
    sector_total: int = 0
    sector_correct: int = 0
    both_total: int = 0
    both_correct: int = 0
    skipped: int = 0
    mismatches: list[dict] = field(default_factory=list)

    def summary(self) -> str:
        def share(right: int, total: int) -> str:
            return f"{right}/{total} = {right / total:.3f}" if total else "0/0"

        return (f"{self.gold}: actor country {share(self.country_correct, self.country_total)}, "
                f"sector {share(self.sector_correct, self.sector_total)}, both "
                f"{share(self.both_correct, self.both_total)} ({self.skipped} expectations of other kinds skipped)")


def score_actor_expectations(path: Path, today: str | None = None) -> ActorScore:
    """Resolve each expectation's phrase with ``actors.lookup_actor`` and score it.

    A country is right when the first resolution's country equals the expected one ("" means
    none) or, for ``expect_not``, differs from the forbidden one; a sector likewise, after
    ``NGEC_SECTOR_CROSSWALK``. ``both`` counts expectations that check both and get both right.
    """
    from .actors import lookup_actor

    expectations, skipped = read_actor_expectations(path, today)
    score = ActorScore(gold=str(path), skipped=skipped)
    for item in expectations:
        found = lookup_actor(item.text, item.date, context=item.context)[0].actor
        country = (found.country if found else None) or ""
        sector = (found.sector if found else None) or ""
        checks = []
        if item.country is not None or item.not_country is not None:
            ok = country == item.country if item.country is not None else country != item.not_country
            score.country_total += 1
            score.country_correct += ok
            checks.append(ok)
        if item.sector is not None:
            ok = sector == item.sector
            score.sector_total += 1
            score.sector_correct += ok
            checks.append(ok)
        if len(checks) == 2:
            score.both_total += 1
            score.both_correct += all(checks)
        if not all(checks):
            score.mismatches.append({"kind": "actor", "id": item.id, "line": item.line, "text": item.text,
                                     "date": item.date, "expected": [item.country, item.sector],
                                     "got": [country, sector], "via": found.via if found else None})
    return score



# --------------------------------------------------------------------------- dispatch


def detect_gold(path: Path) -> str:
    """"petrarch-xml", "sentence-jsonl", "plover", "actors" or "patterns", from the file's content."""
    if is_actor_expectations(path):
        return "actors"
    head = path.read_text(encoding="utf-8", errors="replace")[:4000].lstrip()
    if head.startswith("<"):
        return "petrarch-xml"
    if head.startswith("["):
        return "plover"
    if head.startswith("{") and '"expected_events"' in head:
        return "sentence-jsonl"
    if head.startswith("{") and '"required"' in head:
        return "patterns"
    raise InputError("unknown gold format (expected PETRARCH XML, sentence JSONL, PLOVER records or a "
                     "document pattern file)", source=str(path))


def evaluate_file(path: Path, settings=None, limit: int | None = None):
    """Score the coder on one gold file of any supported kind; returns a report with ``summary()``."""
    from .pipeline import code_text

    kind = detect_gold(path)
    if kind == "patterns":
        return score_pattern_file(path, settings=settings)
    if kind == "actors":
        return score_actor_expectations(path)
    if kind == "plover":
        records = read_plover_records(path)[:limit]
        types = score_plover(records, lambda r: code_text(r["text"], r.get("date"), doc_id=r["id"],
                                                          settings=settings), str(path))
        return CombinedReport([types, score_plover_locations(path)])
    sentences = read_petrarch_xml(path) if kind == "petrarch-xml" else read_sentence_jsonl(path)
    sentences = sentences[:limit]
    return score_sentences(sentences, lambda s: code_text(s.text, s.date, doc_id=s.id, settings=settings),
                           str(path))


@dataclass
class CombinedReport:
    """Several scores of one gold file (PLOVER records: event types and sources, and locations)."""

    parts: list

    @property
    def mismatches(self) -> list[dict]:
        return [row for part in self.parts for row in part.mismatches]

    def summary(self) -> str:
        return "\n".join(part.summary() for part in self.parts)
