"""Scoring the coder against gold files, so that accuracy is measured, published and gated.

Document-level pattern files (``required``, ``optional`` and ``forbidden`` event patterns for
one article, as in ``shared/seed/expected_events.json``) are scored with the rule stated in
their ``about`` field: an event matches a pattern when its source country, target country and
CAMEO root are among the pattern's; each gold event is matched at most once; optional events
are neither required nor false positives; events matching a forbidden pattern are errors.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import Event


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
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def summary(self) -> str:
        return (f"{self.gold}: precision {self.precision:.3f} recall {self.recall:.3f} F1 {self.f1:.3f} "
                f"(matched {self.true_positives}/{self.required} required, {self.false_positives} false "
                f"positives, {self.forbidden} forbidden)")


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


def score_gold_file(path: Path, text_path: Path | None = None, settings=None):
    """Score a gold file of any kind Kautilya reads, told by its content.

    Returns a ``PatternScore`` (document-level pattern file), ``LocationScore`` (PLOVER gold
    records) or ``ActorScore`` (actor-coding expectations); each has ``summary()`` and
    ``mismatches``.
    """
    if is_actor_expectations(path):
        return score_actor_expectations(path)
    if is_plover_gold(path):
        return score_plover_locations(path)
    return score_pattern_file(path, text_path=text_path, settings=settings)
