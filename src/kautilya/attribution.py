"""Attribution: who blames whom for what, on what evidence; the treaties actors invoke; and how
third parties position themselves between two sides.

Claims are found with the same machinery as events (trigger words and dependency roles, kept
as data in ``data/claims.toml``); agreements from ``data/agreements.tsv`` plus a generic match
("the 1999 declaration"). See ``docs/attribution.md``.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span, Token

from . import coding
from .actors import ActorResolver
from .errors import DictionaryError
from .schema import Actor, Claim, Event

STANCES = ("asserts", "denies", "declines", "questions")
EVIDENCE = ("cited", "lacking", "unspecified")


# --------------------------------------------------------------------------- agreements


@dataclass(frozen=True)
class AgreementRef:
    """An agreement a sentence invokes: from the list (``known``) or matched generically."""

    name: str
    year: int | None
    text: str
    char_start: int
    char_end: int
    known: bool

    def to_record(self) -> dict[str, Any]:
        return {"name": self.name, "year": self.year, "text": self.text, "char_start": self.char_start,
                "char_end": self.char_end, "known": self.known}


_AGREEMENT_WORDS = r"(?:Declaration|Accords?|Agreements?|Treaty|Pact|Protocol|Convention|Memorandum|Armistice|Communiqu[eé]|Charter)"
_YEAR = r"(?:1[6-9]|20)\d\d"
# "the 1999 declaration", "the 1972 accord": a dated agreement the list does not know.
_GENERIC_DATED = re.compile(rf"\b[Tt]he ({_YEAR}) ([a-z]+ )?({_AGREEMENT_WORDS.lower()}|{_AGREEMENT_WORDS})\b")
# "the Astana Declaration (of 2019)": a named agreement the list does not know.
_GENERIC_NAMED = re.compile(rf"\b((?:[A-Z][\w'’-]+ ){{1,5}}{_AGREEMENT_WORDS})(?: of ({_YEAR}))?\b")
_YEAR_AFTER = re.compile(rf"^\s*(?:of|in)\s+({_YEAR})\b")
_YEAR_BEFORE = re.compile(rf"\b({_YEAR})\s*$")


@dataclass
class AgreementBook:
    entries: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # phrase -> (name, year)
    _matchers: dict[int, PhraseMatcher] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls) -> "AgreementBook":
        book = cls()
        path = resources.files("kautilya") / "data" / "agreements.tsv"
        with path.open(encoding="utf-8") as handle:
            for line_no, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
                try:
                    year = int(row["year"]) if row["year"] else None
                    for phrase in [row["name"], *(a for a in row["aliases"].split("|") if a)]:
                        book.entries[phrase.strip()] = (row["name"], year)
                except (KeyError, ValueError) as exc:
                    raise DictionaryError(f"bad agreement row ({exc})", source=str(path), line=line_no) from exc
        return book

    def find(self, nlp: Language, sent: Span) -> list[AgreementRef]:
        """Agreements named in a sentence, listed ones first, then generic matches."""
        key = id(nlp.vocab)
        if key not in self._matchers:
            matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
            for phrase, doc in zip(self.entries, nlp.tokenizer.pipe(list(self.entries))):
                matcher.add(phrase, [doc])
            self._matchers[key] = matcher
        found: list[AgreementRef] = []
        taken: list[tuple[int, int]] = []
        # Offsets are the article's; the text is the sentence's (``Doc.text`` is rebuilt on each call).
        base, text = sent.start_char, sent.text
        matches = sorted(self._matchers[key](sent, as_spans=True), key=lambda s: (-(s.end - s.start), s.start))
        for span in matches:
            if any(a < span.end_char and span.start_char < b for a, b in taken):
                continue
            name, year = self.entries[span.label_]
            tail = _YEAR_AFTER.match(text[span.end_char - base: span.end_char - base + 12])
            end = span.end_char + (tail.end() if tail else 0)
            found.append(AgreementRef(name, int(tail.group(1)) if tail else year, text[span.start_char - base:end - base],
                                      span.start_char, end, True))
            taken.append((span.start_char, end))
        for regex in (_GENERIC_NAMED, _GENERIC_DATED):
            for match in regex.finditer(text):
                start, end = base + match.start(), base + match.end()
                if any(a < end and start < b for a, b in taken):
                    continue
                if regex is _GENERIC_NAMED:
                    name = match.group(1)
                    year = int(match.group(2)) if match.group(2) else None
                    if name.split()[0] in ("The", "This", "That", "An", "A"):
                        continue
                else:
                    name = match.group(0)
                    year = int(match.group(1))
                found.append(AgreementRef(name, year, text[start - base:end - base], start, end, False))
                taken.append((start, end))
        return sorted(found, key=lambda a: a.char_start)


@lru_cache(maxsize=1)
def default_agreements() -> AgreementBook:
    return AgreementBook.load()


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class ClaimPattern:
    id: str
    stance: str
    verbs: tuple[tuple[str, ...], ...]
    nouns: tuple[tuple[str, ...], ...]
    requires: tuple[coding.Condition, ...]
    excludes: tuple[coding.Condition, ...]
    claimant: tuple[str, ...]
    accused: tuple[str, ...]
    incident: tuple[str, ...]


@dataclass
class ClaimBook:
    by_verb: dict[str, list[ClaimPattern]] = field(default_factory=dict)
    by_noun: dict[str, list[ClaimPattern]] = field(default_factory=dict)
    lacking: list[re.Pattern] = field(default_factory=list)
    cited: list[re.Pattern] = field(default_factory=list)
    hearsay: list[re.Pattern] = field(default_factory=list)

    @classmethod
    def load(cls) -> "ClaimBook":
        path = resources.files("kautilya") / "data" / "claims.toml"
        with path.open("rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                raise DictionaryError(f"invalid TOML: {exc}", source=str(path)) from exc
        book = cls()
        for index, raw in enumerate(data.get("claim", []), start=1):
            where = f"claims.toml#{index}"
            if raw.get("stance") not in STANCES:
                raise DictionaryError(f"stance must be one of {STANCES}", source=where)
            pattern = ClaimPattern(
                id=raw["id"], stance=raw["stance"],
                verbs=tuple(tuple(v.lower().split()) for v in raw.get("verbs", [])),
                nouns=tuple(tuple(n.lower().split()) for n in raw.get("nouns", [])),
                requires=coding.parse_conditions(raw.get("requires"), where),
                excludes=coding.parse_conditions(raw.get("excludes"), where),
                claimant=tuple(raw.get("claimant", ())), accused=tuple(raw.get("accused", ())),
                incident=tuple(raw.get("incident", ())),
            )
            for phrase in pattern.verbs:
                book.by_verb.setdefault(phrase[0], []).append(pattern)
            for phrase in pattern.nouns:
                book.by_noun.setdefault(phrase[-1], []).append(pattern)
        try:
            book.lacking = [re.compile(r) for r in data.get("evidence", {}).get("lacking", [])]
            book.cited = [re.compile(r) for r in data.get("evidence", {}).get("cited", [])]
            book.hearsay = [re.compile(r) for r in data.get("hearsay", {}).get("cues", [])]
        except re.error as exc:
            raise DictionaryError(f"bad regular expression: {exc}", source=str(path)) from exc
        return book

    def evidence(self, sentence: str) -> tuple[str, str | None]:
        lowered = sentence.lower()
        for name, regexes in (("lacking", self.lacking), ("cited", self.cited)):
            for regex in regexes:
                match = regex.search(lowered)
                if match:
                    return name, sentence[match.start():match.end()]
        return "unspecified", None

    def hearsay_words(self, sentence: str) -> str | None:
        lowered = sentence.lower()
        for regex in self.hearsay:
            match = regex.search(lowered)
            if match:
                return sentence[match.start():match.end()]
        return None


@lru_cache(maxsize=1)
def default_claims() -> ClaimBook:
    return ClaimBook.load()


def find_claims(sent: Span, sentence_index: int, resolver: ActorResolver, book: ClaimBook,
                doc_id: str, date: str | None, span: tuple[int, int, str], events: list[Event]) -> list[Claim]:
    """The attribution claims of one sentence (its actors already scanned by the resolver)."""
    start, end, text = span
    claims: list[Claim] = []
    for token in sent:
        candidates: list[ClaimPattern] = []
        if token.pos_ in ("VERB", "AUX"):
            candidates = book.by_verb.get(token.lemma_.lower(), [])
            nouns = False
        elif token.pos_ in ("NOUN", "PROPN"):
            candidates = book.by_noun.get(token.lemma_.lower(), [])
            nouns = True
        for pattern in candidates:
            phrases = pattern.nouns if nouns else pattern.verbs
            if not coding._trigger_matches(token, phrases, nouns=nouns):
                continue
            scope = coding._clause_scope(token)
            if not all(c.holds(token, scope) for c in pattern.requires) or any(
                    c.holds(token, scope) for c in pattern.excludes):
                continue
            claim = _make_claim(token, pattern, resolver, book, doc_id, sentence_index, date, start, end,
                                text, events)
            if claim is not None:
                claims.append(claim)
            break
    return claims


def _make_claim(token: Token, pattern: ClaimPattern, resolver: ActorResolver, book: ClaimBook, doc_id: str,
                sentence_index: int, date: str | None, start: int, end: int, text: str,
                events: list[Event]) -> Claim | None:
    stance = pattern.stance
    if coding._is_negated(token):
        if stance != "asserts":
            return None  # "did not deny" is no denial we can read reliably
        stance = "declines"
    evidence, evidence_words = book.evidence(text)
    if coding._is_hypothetical(token) and stance == "asserts" and evidence != "lacking":
        # "may blame", "would accuse", or a charge inside another claim: not a claim of its own;
        # but "struggles to produce evidence linking X to the attack" still asserts the link.
        return None
    speaker = coding._speaker(token, resolver)
    claimant = _first(_claim_role(token, pattern.claimant or _default_claimant(token), resolver, speaker))
    accused_all = _claim_role(token, pattern.accused, resolver, speaker,
                              exclude=frozenset([claimant.country]) if claimant and claimant.country else frozenset())
    accused = _first(accused_all)
    if "self" in pattern.accused or (stance == "denies" and accused is None):
        accused = claimant
    if stance == "asserts" and accused is None:
        return None
    incident_span = _incident(token, pattern.incident)
    hearsay_words = book.hearsay_words(text)
    return Claim(
        doc_id=doc_id, sentence_index=sentence_index, sentence=text, char_start=start, char_end=end,
        date=date, claimant=claimant, accused=accused,
        incident=incident_span.text if incident_span is not None else None,
        incident_event_id=_incident_event(incident_span, events, token.doc) if incident_span is not None else None,
        stance=stance, evidence=evidence, evidence_words=evidence_words,
        hearsay=hearsay_words is not None, hearsay_words=hearsay_words,
        trigger=token.text, trigger_start=token.idx, pattern_id=pattern.id,
    )


def _first(actors: list[Actor]) -> Actor | None:
    return actors[0] if actors else None


def _default_claimant(token: Token) -> tuple[str, ...]:
    if token.pos_ in ("NOUN", "PROPN"):
        return ("poss", "modifier", "governor_subject")
    return ("subject", "acl_subject")


def _claim_role(token: Token, roles: Iterable[str], resolver: ActorResolver, speaker: list[Actor] | None,
                exclude: frozenset[str] = frozenset()) -> list[Actor]:
    roles = list(roles)
    out: list[Actor] = []
    for role in roles:
        if role == "self":
            continue
        if role == "speaker":
            if speaker:
                return list(speaker)
            continue
        heads = _claim_role_heads(token, role)
        for head in heads:
            for member in coding._with_conjuncts(head):
                out.extend(a for a in resolver.resolve(member, exclude=exclude, speaker=speaker)
                           if a.country not in exclude or not a.country)
        if out:
            return out
    return out


def _claim_role_heads(token: Token, role: str) -> list[Token]:
    if role == "acl_subject":
        # "evidence linking Pakistan to the attack": whoever produces the evidence claims the link.
        if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
            verb = coding._governing_verb(token.head)
            return coding._subject_of(verb) if verb is not None else []
        return []
    if role == "clause_subject":
        # "alleged that the soldiers were killed": a passive clause's subject is the victim.
        heads = []
        for clause in (c for c in token.children if c.dep_ == "ccomp"):
            heads.extend(coding._subject_of(clause))
        return heads
    if role == "clause_object":
        return [o for c in token.children if c.dep_ == "ccomp" for o in coding._role_heads(c, "object")]
    if role.startswith("oprd_prep:"):
        words = set(role[10:].split("|"))
        return [p for c in token.children if c.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "amod")
                for p in coding._prep_objects(c, words)]
    return coding._role_heads(token, role)


def _incident(token: Token, roles: Iterable[str]) -> Span | None:
    for role in roles:
        for head in _claim_role_heads(token, role):
            if head.pos_ in ("PRON", "PROPN") and head.ent_type_ in ("GPE", "NORP"):
                continue  # a country is who, not what
            subtree = list(head.subtree)
            while subtree and subtree[-1].is_punct:
                subtree.pop()
            if subtree:
                return token.doc[subtree[0].i: subtree[-1].i + 1]
        if role == "clause_object":
            for clause in (c for c in token.children if c.dep_ == "ccomp"):
                return token.doc[clause.left_edge.i: clause.right_edge.i + 1]
    return None


def _incident_event(span: Span, events: list[Event], doc) -> str | None:
    """The coded event a claim is about: one triggered inside the incident phrase, else the
    latest earlier event whose trigger is the incident's head word ("the attack")."""
    for event in events:
        if span.start_char <= event.trigger_start < span.end_char:
            return event.event_id
    head_lemma = span.root.lemma_.lower()
    earlier = []
    for event in events:
        trig = doc.char_span(event.trigger_start, event.trigger_end)
        if trig is not None and trig.root.lemma_.lower() == head_lemma and event.trigger_start < span.start_char:
            earlier.append(event)
    return earlier[-1].event_id if earlier else None


# --------------------------------------------------------------------------- third parties

# Roots that side with the target when cooperative, against it when conflictual; appeals (02)
# and consultations (04) are contact, not siding.
SIDING_COOPERATION = {"03", "05", "06", "07", "08"}
SIDING_CONFLICT = {"10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}
EVEN_HANDED_ROOTS = {"02", "04"}  # appeals, calls for restraint, mediation offered to both


@dataclass
class StanceVerdict:
    actor: str
    verdict: str  # "towards A", "towards B", "even-handed"
    score: float
    events: list[str]
    reasons: list[str]

    def to_record(self) -> dict[str, Any]:
        return {"actor": self.actor, "verdict": self.verdict, "score": self.score, "events": self.events,
                "reasons": self.reasons}


def _country_of(actor) -> str | None:
    if actor is None:
        return None
    return actor.get("country") if isinstance(actor, dict) else actor.country


def third_party_stances(events: Iterable[dict], claims: Iterable[dict], side_a: str, side_b: str,
                        threshold: float = 1.0) -> list[StanceVerdict]:
    """How each outside actor positioned itself between ``side_a`` and ``side_b``.

    Events and claims are records (``Event.to_record()``/``Claim.to_record()``). An actor leans
    towards A when it cooperates with A (roots 03, 05-08), acts against B (roots 10-20) or
    accuses B, and the reverse; it is even-handed when it appealed to, consulted or mediated
    with both sides and its lean stays under ``threshold`` (docs/attribution.md).
    """
    sides = {side_a: 1.0, side_b: -1.0}
    per_actor: dict[str, dict] = {}
    for record in events:
        source, target = _country_of(record.get("source")), _country_of(record.get("target"))
        if not source or source in sides or target not in sides:
            continue
        entry = per_actor.setdefault(source, {"score": 0.0, "events": [], "reasons": [], "touched": {}})
        root = record["cameo_root"]
        sign = sides[target]
        if root in SIDING_COOPERATION:
            entry["score"] += sign
            entry["reasons"].append(f"{root} cooperation with {target}")
        elif root in SIDING_CONFLICT:
            entry["score"] -= sign
            entry["reasons"].append(f"{root} against {target}")
        elif root in EVEN_HANDED_ROOTS:
            entry["touched"].setdefault(root, set()).add(target)
            entry["reasons"].append(f"{root} to {target}")
        entry["events"].append(record["event_id"])
    for record in claims:
        claimant, accused = _country_of(record.get("claimant")), _country_of(record.get("accused"))
        if not claimant or claimant in sides or accused not in sides or record.get("stance") != "asserts":
            continue
        entry = per_actor.setdefault(claimant, {"score": 0.0, "events": [], "reasons": [], "touched": {}})
        entry["score"] -= sides[accused]
        entry["reasons"].append(f"accuses {accused}")
        entry["events"].append(record["claim_id"])
    verdicts = []
    for actor, entry in sorted(per_actor.items()):
        engaged = set().union(*entry["touched"].values()) if entry["touched"] else set()
        if entry["score"] >= threshold:
            verdict = f"towards {side_a}"
        elif entry["score"] <= -threshold:
            verdict = f"towards {side_b}"
        elif len(engaged) == 1:
            verdict = f"engaged {next(iter(engaged))} only"  # contact with one side is not siding
        else:
            verdict = "even-handed"
        verdicts.append(StanceVerdict(actor, verdict, entry["score"], entry["events"], entry["reasons"]))
    return verdicts
