"""The one event schema every stage shares.

Stages hand these dataclasses to each other; only readers, config and (later) the web API
validate outside input. ``Event.to_record`` is the stable JSON contract described in
``docs/schema.md``: other tools read it, so keys are only ever added, never renamed.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

#: Bumped whenever a record key is added or its meaning changes.
SCHEMA_VERSION = "2"


@dataclass(frozen=True)
class Article:
    """One news article as read from an input file."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO date, YYYY-MM-DD
    url: str | None = None
    source: str | None = None  # the publisher, e.g. "Reuters"
    origin: str | None = None  # the file (and line) it was read from
    # The publishers a digest item cites (Wikipedia's current events cite Reuters, BBC, ...):
    # each counts as a source of the events it reports.
    cited_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Actor:
    """A resolved actor: who, as written, and what it stands for.

    ``country`` is an ISO 3166 alpha-3 code or one of EUR, UNO, IGO, NGO, IMG, MNC;
    ``sector`` a CAMEO sector (GOV, MIL, REB, ...); ``code`` the CAMEO actor code
    built from both (RUSGOV) or an organisation's own code (IGONAT).
    """

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    code: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    via: str = "name"  # how it was resolved: name, title, agent, coreference

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "name": self.name,
            "country": self.country,
            "sector": self.sector,
            "code": self.code,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "via": self.via,
        }


@dataclass(frozen=True)
class Location:
    """Where an event happened (filled by geolocation; null until then)."""

    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str | None = None  # city, region, country


@dataclass(frozen=True)
class Plover:
    type: str | None
    mode: str | None = None
    contexts: tuple[str, ...] = ()


@dataclass
class Reported:
    """Where a coded fact was read: the article, the sentence (its index and text, its character
    span in the article) and the date it is dated to. Events and claims both start so."""

    doc_id: str
    sentence_index: int
    sentence: str
    char_start: int
    char_end: int
    date: str | None

    def where(self) -> dict[str, Any]:
        """The record keys these fields give, in the output contract's order."""
        return {"doc_id": self.doc_id, "sentence_index": self.sentence_index, "sentence": self.sentence,
                "char_start": self.char_start, "char_end": self.char_end, "date": self.date}


@dataclass
class Event(Reported):
    """One coded event, tied to the sentence and character span it came from."""

    source: Actor | None
    target: Actor | None
    cameo: str
    cameo_name: str
    quad_class: int
    goldstein: float
    plover: Plover
    trigger: str
    trigger_start: int
    trigger_end: int
    pattern_id: str
    confidence: float
    negated: bool = False
    hypothetical: bool = False
    location: Location | None = None
    agreements: list[dict[str, Any]] = field(default_factory=list)  # treaties the sentence invokes
    date_precision: str | None = None  # day, week, month, year
    article_date: str | None = None
    coder_version: str = ""
    dictionary_version: str = ""
    origin: str | None = None
    event_id: str = field(default="")

    def __post_init__(self) -> None:
        if not self.event_id:
            self.event_id = make_event_id(self)

    @property
    def cameo_root(self) -> str:
        return self.cameo[:2]

    def to_record(self) -> dict[str, Any]:
        """The JSON record of the stable output contract (one line of JSONL)."""
        return {
            "event_id": self.event_id,
            **self.where(),
            "date_precision": self.date_precision,
            "article_date": self.article_date,
            "source": self.source.to_record() if self.source else None,
            "target": self.target.to_record() if self.target else None,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "cameo_name": self.cameo_name,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": {
                "type": self.plover.type,
                "mode": self.plover.mode,
                "contexts": list(self.plover.contexts),
            },
            "trigger": {"text": self.trigger, "char_start": self.trigger_start, "char_end": self.trigger_end},
            "location": asdict(self.location) if self.location else None,
            "agreements": self.agreements,
            "negated": self.negated,
            "hypothetical": self.hypothetical,
            "confidence": self.confidence,
            "pattern_id": self.pattern_id,
            "coder_version": self.coder_version,
            "dictionary_version": self.dictionary_version,
            "origin": self.origin,
            "schema_version": SCHEMA_VERSION,
        }


def make_event_id(event: Event) -> str:
    """A hash of the fields that define an event, so a rerun reproduces the same id."""
    parts = [
        event.doc_id,
        str(event.sentence_index),
        str(event.trigger_start),
        event.source.code or event.source.text if event.source else "",
        event.target.code or event.target.text if event.target else "",
        event.cameo,
    ]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass
class Claim(Reported):
    """One attribution claim: who blames (or refuses to blame) whom, for what, on what evidence."""

    claimant: Actor | None
    accused: Actor | None
    incident: str | None
    incident_event_id: str | None
    stance: str
    evidence: str
    evidence_words: str | None
    hearsay: bool
    hearsay_words: str | None
    trigger: str
    trigger_start: int
    pattern_id: str

    @property
    def claim_id(self) -> str:
        parts = [self.doc_id, str(self.sentence_index), str(self.trigger_start), self.stance,
                 self.claimant.code or "" if self.claimant else "", self.accused.code or "" if self.accused else ""]
        return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]

    def to_record(self) -> dict[str, Any]:
        return {
            "claim_id": self.claim_id, **self.where(),
            "claimant": self.claimant.to_record() if self.claimant else None,
            "accused": self.accused.to_record() if self.accused else None,
            "incident": {"text": self.incident, "event_id": self.incident_event_id},
            "stance": self.stance,
            "evidence": self.evidence, "evidence_words": self.evidence_words,
            "hearsay": self.hearsay, "hearsay_words": self.hearsay_words,
            "trigger": self.trigger, "pattern_id": self.pattern_id,
        }
