"""Event coding: dependency patterns, kept as data, turn a parsed sentence into CAMEO events.

A pattern (``data/patterns/*.toml``, documented in ``docs/patterns.md``) names trigger verbs or
event nouns, the conditions on their dependents, the roles that give the source and target,
and refinements to a more specific CAMEO code. The coder here is generic: it knows grammar
(passive voice, control, coordination, negation, modality, reported speech), never event
types.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Protocol

from spacy.tokens import Span, Token

from .actors import ActorResolver
from .errors import DictionaryError
from .geo import EventLocator
from .ontology import lookup_cameo
from .schema import Actor, Event

# Verbs whose clausal complement reports what someone said: "Pakistan said it would respond".
SPEECH_VERBS = {"say", "tell", "state", "announce", "add", "claim", "insist", "stress", "note",
                "declare", "assert", "report", "confirm", "affirm", "reiterate", "write", "tweet"}
# A trigger under these did not happen: "refused to meet", "stopped short of assigning blame".
NEGATING_GOVERNORS = {"refuse", "decline", "fail", "avoid", "refrain", "reject", "deny", "resist"}
NEGATING_PREPOSITIONS = {"without", "instead"}
# A trigger under these has not happened (yet): "threatened to strike", "urged India to talk".
MODAL_GOVERNORS = {"threaten", "plan", "intend", "want", "seek", "hope", "urge", "ask", "call", "demand",
                   "expect", "vow", "pledge", "promise", "consider", "prepare", "warn", "propose", "offer",
                   "try", "aim", "mull", "weigh", "wish", "push", "press", "encourage", "appeal", "invite",
                   "need", "agree", "ready", "likely", "able", "set", "plot", "fear", "could", "would",
                   # claims: "accused Pakistan of violating the truce" reports an allegation, not a violation
                   "accuse", "allege", "blame", "suspect", "charge"}
MODAL_AUXILIARIES = {"would", "could", "might", "may", "should", "will", "must", "can", "shall", "'d", "'ll", "wo"}
CONDITIONAL_MARKERS = {"if", "unless", "whether"}
# Object-control verbs: the subject of their "to" clause is their object ("urged India to talk").
OBJECT_CONTROL = {"urge", "ask", "call", "press", "push", "encourage", "invite", "tell", "force",
                  "persuade", "allow", "order", "appeal", "want", "expect"}
# Nominal events in these positions are background, not news: "after the attack", "triggered by".
BACKGROUND_PREPOSITIONS = {"after", "following", "since", "before", "despite", "by", "amid", "about",
                           "like", "from", "over", "during", "of"}
# Verbs that only report an event noun: "launched airstrikes", "carried out an attack".
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "execute", "perpetrate", "commit", "unleash",
               "begin", "start", "continue", "resume", "intensify", "step", "escalate", "order", "make",
               "undertake", "claim"}
# Verbs of blame: an event noun as their object is what is blamed, not a fresh report.
CLAIM_VERBS = {"blame", "accuse", "attribute", "deny", "condemn"}
DEFAULT_VERB_SOURCE = ("subject",)
DEFAULT_NOUN_SOURCE = ("poss", "modifier", "governor_subject")


@dataclass(frozen=True)
class Condition:
    """A dependent that must (or must not) be there: ``{dep = ["prep"], lemma = ["with"]}``."""

    deps: frozenset[str]
    lemmas: frozenset[str]
    deep: bool = False  # search the whole clause rather than direct dependents

    def holds(self, trigger: Token, scope: list[Token]) -> bool:
        candidates = scope if self.deep else list(trigger.children)
        for token in candidates:
            if self.deps and token.dep_ not in self.deps:
                continue
            if self.lemmas and token.lemma_.lower() not in self.lemmas and token.lower_ not in self.lemmas:
                continue
            return True
        return False


@dataclass(frozen=True)
class Refinement:
    cameo: str
    conditions: tuple[Condition, ...] = ()
    source_sectors: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Pattern:
    id: str
    cameo: str
    verbs: tuple[tuple[str, ...], ...] = ()
    nouns: tuple[tuple[str, ...], ...] = ()
    requires: tuple[Condition, ...] = ()
    excludes: tuple[Condition, ...] = ()
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    refine: tuple[Refinement, ...] = ()
    channel: bool = False  # "reached out ..., urging restraint": the content event replaces it
    reciprocal: bool = False  # "X and Y held talks": X -> Y when no target is named
    needs_target: bool = False
    foreign_target: bool = False  # the target must be another country than the source's
    outside_source: bool = False  # sources that are among the targets are parties, not the actor
    recalled: bool = False  # coded in background positions too when the event is placed
    note: str = ""
    origin: str = ""


class DictionaryCoder(Protocol):
    """Codes a sentence from outside dictionaries (``petrarch.VerbMatcher``) before the patterns."""

    version: str

    def code_sentence(self, sent: Span, resolver: ActorResolver) -> tuple[list["Candidate"], set[int]]:
        """The sentence's events and the token indices they claim from the patterns."""


@dataclass
class PatternBook:
    patterns: list[Pattern] = field(default_factory=list)
    by_verb: dict[str, list[Pattern]] = field(default_factory=dict)
    by_noun: dict[str, list[Pattern]] = field(default_factory=dict)
    version: str = ""
    dictionary: DictionaryCoder | None = None  # consulted first when set (--dictionaries)

    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), builtin: bool = True) -> "PatternBook":
        """Load the built-in pattern files (unless ``builtin`` is False), then the user's, in
        order (later files come first)."""
        book = cls()
        folder = resources.files("kautilya") / "data" / "patterns"
        files = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
        files = files if builtin else []
        versions = []
        for path in [*files, *map(Path, extra)]:
            with path.open("rb") as handle:
                try:
                    data = tomllib.load(handle)
                except tomllib.TOMLDecodeError as exc:
                    raise DictionaryError(f"invalid TOML: {exc}", source=str(path)) from exc
            versions.append(f"{path.name}@{data.get('version', '0')}")
            user = str(path) in map(str, extra)
            for index, raw in enumerate(data.get("pattern", []), start=1):
                pattern = _parse_pattern(raw, f"{path.name}#{index}")
                book.add(pattern, first=user)
        book.version = "+".join(versions)
        return book

    def add(self, pattern: Pattern, first: bool = False) -> None:
        self.patterns.append(pattern)
        for words, index in ((pattern.verbs, self.by_verb), (pattern.nouns, self.by_noun)):
            for phrase in words:
                bucket = index.setdefault(phrase[-1] if index is self.by_noun else phrase[0], [])
                bucket.insert(0, pattern) if first else bucket.append(pattern)


def parse_conditions(items, where: str) -> tuple[Condition, ...]:
    """``[{dep = [...], lemma = [...], deep = true}]`` from a data file, checked."""
    out = []
    for item in items or ():
        if not isinstance(item, dict):
            raise DictionaryError(f"condition must be a table, got {item!r}", source=where)
        out.append(Condition(frozenset(_listify(item.get("dep"))),
                             frozenset(w.lower() for w in _listify(item.get("lemma"))),
                             bool(item.get("deep", False))))
    return tuple(out)


def _parse_pattern(raw: dict, where: str) -> Pattern:
    def conditions(items) -> tuple[Condition, ...]:
        return parse_conditions(items, where)

    try:
        pid, cameo = raw["id"], str(raw["cameo"])
    except KeyError as exc:
        raise DictionaryError(f"pattern lacks {exc}", source=where) from None
    lookup_cameo(cameo)  # fails loudly on a code that is not in the codebook
    refine = []
    for item in raw.get("refine", []):
        lookup_cameo(str(item["cameo"]))
        refine.append(Refinement(str(item["cameo"]), conditions(item.get("when")),
                                 frozenset(_listify(item.get("source_sector")))))
    if not raw.get("verbs") and not raw.get("nouns"):
        raise DictionaryError(f"pattern {pid!r} has neither verbs nor nouns", source=where)
    return Pattern(
        id=pid, cameo=cameo,
        verbs=tuple(tuple(v.lower().split()) for v in raw.get("verbs", [])),
        nouns=tuple(tuple(n.lower().split()) for n in raw.get("nouns", [])),
        requires=conditions(raw.get("requires")), excludes=conditions(raw.get("excludes")),
        source=tuple(raw.get("source", ())), target=tuple(raw.get("target", ())),
        refine=tuple(refine), channel=bool(raw.get("channel", False)),
        reciprocal=bool(raw.get("reciprocal", False)), needs_target=bool(raw.get("needs_target", False)),
        foreign_target=bool(raw.get("foreign_target", False)), recalled=bool(raw.get("recalled", False)),
        outside_source=bool(raw.get("outside_source", False)),
        note=raw.get("note", ""), origin=where,
    )


def _listify(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=1)
def default_patterns() -> PatternBook:
    return PatternBook.load()


# --------------------------------------------------------------------------- coding


@dataclass
class Candidate:
    """An event before it becomes an ``Event``: the trigger, the pattern and the actors."""

    trigger: Token
    pattern: Pattern
    cameo: str
    source: Actor | None
    target: Actor | None
    negated: bool
    hypothetical: bool
    confidence: float
    background: bool = False  # recalled ("after the attack in Pahalgam"), not reported as news


def code_sentence(sent: Span, resolver: ActorResolver, patterns: PatternBook,
                  locator: EventLocator | None = None) -> list[Candidate]:
    """Find every event of one sentence (its actors must already be scanned by the resolver).

    With a ``locator``, the ``location`` role can give a target (the country where an attack
    took place) and ``recalled`` patterns also code placed events named in the background.
    """
    found: list[Candidate] = []
    claimed: set[int] = set()
    if patterns.dictionary is not None:
        found, claimed = patterns.dictionary.code_sentence(sent, resolver)
    for token in sent:
        if token.i in claimed:
            continue
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and token.dep_ == "ROOT" and token.tag_.startswith("VB")):
            for pattern in patterns.by_verb.get(token.lemma_.lower(), ()):
                if _trigger_matches(token, pattern.verbs, nouns=False) and _conditions_hold(token, pattern):
                    found.extend(_code_trigger(token, pattern, resolver, locator))
                    break
        if token.pos_ in ("NOUN", "PROPN"):
            news = _nominal_event_position(token)
            for pattern in patterns.by_noun.get(token.lemma_.lower(), ()) or patterns.by_noun.get(token.lower_, ()):
                if not news and not (pattern.recalled and _recalled_position(token)
                                     and locator is not None and locator.locate(token) is not None):
                    continue
                if _trigger_matches(token, pattern.nouns, nouns=True) and _conditions_hold(token, pattern):
                    candidates = _code_trigger(token, pattern, resolver, locator)
                    for candidate in candidates:
                        candidate.background = not news
                    found.extend(candidates)
                    break
    return _drop_channels(found)


def _trigger_matches(token: Token, phrases: tuple[tuple[str, ...], ...], nouns: bool) -> bool:
    lemma, lower = token.lemma_.lower(), token.lower_
    for phrase in phrases:
        if nouns:
            if phrase[-1] not in (lemma, lower):
                continue
            if len(phrase) == 1:
                return True
            mods = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
            if all(word in mods for word in phrase[:-1]):
                return True
        else:
            if phrase[0] != lemma:
                continue
            if len(phrase) == 1:
                return True
            particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod", "acomp", "dobj")}
            if all(word in particles for word in phrase[1:]):
                return True
    return False


def _conditions_hold(token: Token, pattern: Pattern) -> bool:
    scope = _clause_scope(token)
    return all(c.holds(token, scope) for c in pattern.requires) and not any(
        c.holds(token, scope) for c in pattern.excludes)


def _clause_scope(token: Token) -> list[Token]:
    """The trigger's clause without its subject: where refinements look for their words."""
    anchor = token
    if token.pos_ in ("NOUN", "PROPN"):
        anchor = _governing_verb(token) or token
    subject_tokens = set()
    for child in anchor.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            subject_tokens.update(t.i for t in child.subtree)
    return [t for t in anchor.subtree if t.i not in subject_tokens]


def _recalled_position(token: Token) -> bool:
    """An event noun recalled as the cause or setting of the news: "after the attack in X"."""
    return token.dep_ in ("pobj", "dobj", "nsubj") and not any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "any", "no", "every") for c in token.children)


def _nominal_event_position(token: Token) -> bool:
    """Event nouns count where news reports them, not as the topic of commentary."""
    if token.dep_ in ("nsubj", "compound", "amod", "poss"):
        return False  # "Russia's call for calm comes despite ..." comments on an earlier event
    if token.dep_ == "pobj" and token.head.lower_ in BACKGROUND_PREPOSITIONS:
        return False
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return False
    if token.dep_ == "dobj" and token.head.lemma_.lower() in CLAIM_VERBS:
        return False  # "blamed the attack on Hamas": the attack is the claim's incident, coded once
    return True


def _code_trigger(trigger: Token, pattern: Pattern, resolver: ActorResolver,
                  locator: EventLocator | None = None) -> list[Candidate]:
    speaker = _speaker(trigger, resolver)
    is_noun = trigger.pos_ in ("NOUN", "PROPN")
    source_roles = pattern.source or (DEFAULT_NOUN_SOURCE if is_noun else DEFAULT_VERB_SOURCE)
    sources = _fill_role(trigger, source_roles, resolver, frozenset(), speaker)
    exclude = frozenset(a.country for a in sources if a.country)
    targets = _fill_role(trigger, pattern.target, resolver, exclude, speaker,
                         drop_excluded=pattern.foreign_target, locator=locator) if pattern.target else []
    if pattern.outside_source:
        parties = {t.country for t in targets}
        sources = [s for s in sources if s.country not in parties]
        if not sources:
            return []
    if pattern.reciprocal and not targets and len(sources) == 2:
        sources, targets = sources[:1], sources[1:]
    if pattern.needs_target and not targets:
        return []
    if not sources and not targets:
        return []
    if not any(a.country for a in (*sources, *targets)):
        return []  # no state or organisation involved: nothing an analyst can place
    cameo = _refined_code(trigger, pattern, sources)
    negated = _is_negated(trigger)
    hypothetical = _is_hypothetical(trigger)
    if pattern.foreign_target:
        own = {a.country for a in sources}
        targets = [t for t in targets if t.country not in own]
    pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])]
    out = []
    for source, target in pairs:
        if source and target and source.code == target.code and source.text == target.text:
            continue
        out.append(Candidate(trigger, pattern, cameo, source, target, negated, hypothetical,
                             _confidence(pattern, source, target, cameo)))
    return out


def _refined_code(trigger: Token, pattern: Pattern, sources: list[Actor]) -> str:
    scope = _clause_scope(trigger)
    sectors = {a.sector for a in sources}
    for refinement in pattern.refine:
        if refinement.source_sectors and not (sectors & refinement.source_sectors):
            continue
        if all(c.holds(trigger, scope) for c in refinement.conditions):
            return refinement.cameo
    return pattern.cameo


def _confidence(pattern: Pattern, source: Actor | None, target: Actor | None, cameo: str) -> float:
    """A documented heuristic (docs/schema.md): how much of the event the text pinned down."""
    score = 0.45
    if source and source.country:
        score += 0.2
    if target and target.country:
        score += 0.15
    elif not pattern.target:
        score += 0.1  # the pattern expects no target ("condemned the violence")
    if pattern.requires or cameo != pattern.cameo:
        score += 0.1
    for actor in (source, target):
        if actor and actor.via == "coreference":
            score -= 0.1
    return round(max(0.05, min(0.95, score)), 2)


# --------------------------------------------------------------------------- roles


def _fill_role(trigger: Token, roles: Iterable[str], resolver: ActorResolver,
               exclude: frozenset[str], speaker: list[Actor] | None, drop_excluded: bool = False,
               locator: EventLocator | None = None) -> list[Actor]:
    fallback: list[Actor] = []
    for role in roles:
        if role == "location":
            # "the attack in Pahalgam": the country where it happened, when no one is named;
            # "attacked a police post in Punjab": the victims are of the country they were in.
            found = locator.locate(trigger) if locator is not None else None
            if found is None or found.place.country in exclude:
                continue
            if fallback:
                return [resolver.with_country(actor, found.place.country) for actor in fallback]
            return [resolver.place_actor(found.place.country, found.span)]
        heads = _role_heads(trigger, role)
        actors: list[Actor] = []
        for head in heads:
            for member in _with_conjuncts(head):
                for actor in resolver.resolve(member, exclude=exclude, speaker=speaker):
                    if actor not in actors:
                        actors.append(actor)
            if not actors and role != "subject" and head.pos_ in ("NOUN", "PROPN"):
                # "shelled Indian posts", "condemned Pakistani aggression": the country that owns
                # the thing acted upon.
                actors.extend(resolver.resolve_owner(head))
            if role == "clause_subject" and not actors:
                for child in head.children:
                    if child.dep_ == "poss":
                        actors.extend(resolver.resolve(child, exclude=exclude, speaker=speaker))
        if role == "place":
            # Where the blows fell is a country, not its government ("strikes in Kabul"), and
            # the locator has told homonyms apart ("Tripoli", beside "Lebanese").
            found = locator.locate(trigger) if locator is not None else None
            if found is not None and any(_within(found.span, head) for head in heads):
                if fallback and found.place.country not in exclude:  # "a police post in Punjab"
                    return [resolver.with_country(actor, found.place.country) for actor in fallback]
                actors = [resolver.place_actor(found.place.country, found.span)]
            else:
                actors = [replace(a, sector=None, code=a.country) for a in actors if a.country]
        if drop_excluded:
            actors = [a for a in actors if a.country not in exclude]
        if actors and any(a.country for a in actors):
            return actors
        # "a military strike": a sector without a country; keep looking for a better role.
        fallback = fallback or actors
    return fallback


def _within(span: Span, head: Token) -> bool:
    return head.left_edge.i <= span.start and span.end - 1 <= head.right_edge.i


def _with_conjuncts(head: Token) -> list[Token]:
    members = [head]
    for token in head.conjuncts:
        if token.i > head.i and token.pos_ in ("NOUN", "PROPN", "PRON"):
            members.append(token)
    return members


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
        return True
    # "talks brokered by the United States": a participle with a "by" agent.
    return verb.tag_ == "VBN" and any(c.dep_ == "agent" for c in verb.children)


def _role_heads(trigger: Token, role: str) -> list[Token]:
    """The tokens that head the phrase filling ``role`` for this trigger."""
    if role in ("subject", "subject_owner"):
        # subject_owner: the subject's owner when the subject is a thing ("Russian missiles hit ...")
        return _subject_of(trigger)
    if role == "object":
        deps = ("nsubjpass",) if _is_passive(trigger) else ("dobj", "dative", "iobj")
        return [c for c in trigger.children if c.dep_ in deps]
    if role.startswith("prep:"):
        words = set(role[5:].split("|"))
        return _prep_objects(trigger, words)
    if role == "poss":
        return [c for c in trigger.children if c.dep_ == "poss"]
    if role == "modifier":
        return [c for c in trigger.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "PROPN")]
    if role == "governor_subject":
        verb = _governing_verb(trigger)
        return _subject_of(verb) if verb is not None else []
    if role == "light_verb_subject":
        verb = _governing_verb(trigger)
        if verb is not None and verb.lemma_.lower() in LIGHT_VERBS:
            return _subject_of(verb)
        return []
    if role.startswith("governor_prep:"):
        verb = _governing_verb(trigger)
        return _prep_objects(verb, set(role[14:].split("|"))) if verb is not None else []
    if role == "clause_subject":
        heads = []
        for node in [trigger, *[c for c in trigger.children if c.dep_ == "dobj"]]:
            for clause in node.children:
                if clause.dep_ in ("ccomp", "acl", "relcl", "advcl"):
                    heads.extend(c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass"))
        return heads
    if role.startswith("xcomp_prep:"):
        words = set(role[11:].split("|"))
        return [h for c in trigger.children if c.dep_ in ("xcomp", "advcl") for h in _prep_objects(c, words)]
    if role.startswith("object_prep:"):
        words = set(role[12:].split("|"))
        return [h for c in trigger.children if c.dep_ in ("dobj", "nsubjpass") for h in _prep_objects(c, words)]
    if role == "place":
        # "strikes on nine sites in Pakistan": the country where the blows fell.
        nodes = [trigger, *[c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]]
        nodes += [p for n in list(nodes) for p in _prep_objects(n, {"on", "at", "against", "in", "into", "inside"})]
        return [p for n in nodes for p in _prep_objects(n, {"in", "inside", "into", "across"})]
    if role == "for_clause_subject":
        nodes = [trigger] + ([_governing_verb(trigger)] if trigger.pos_ == "NOUN" else [])
        return [s for n in nodes if n is not None for c in n.children
                if c.dep_ in ("advcl", "acl", "relcl") and any(m.lower_ == "for" for m in c.children)
                for s in c.children if s.dep_ == "nsubj"]
    if role == "xcomp_object":
        return [o for c in trigger.children if c.dep_ == "xcomp" for o in _role_heads(c, "object")]
    if role == "inherit_object":
        head = trigger.head
        if trigger.dep_ in ("advcl", "xcomp", "conj") and head is not trigger:
            return _role_heads(head, "object") or _prep_objects(head, {"to", "with"})
        return []
    if role.startswith("head_prep:"):
        # "a ceasefire between India and Pakistan, mediated by the US": the parties of the noun
        # that the participle describes (or hangs on: "between A and B, brokered by C").
        if trigger.dep_ != "acl":
            return []
        words = set(role[10:].split("|"))
        noun = trigger.head
        while noun.dep_ == "conj" and noun.head is not noun:
            noun = noun.head
        if noun.dep_ == "pobj" and noun.head.lower_ in words:
            return [noun]
        return _prep_objects(noun, words)
    if role == "head_governor_subject":
        # "A and B agreed to a ceasefire brokered by C": who did what the participle's noun names.
        verb = _governing_verb(trigger.head) if trigger.dep_ == "acl" else None
        return _subject_of(verb) if verb is not None else []
    if role == "object_owner":
        return [g for c in trigger.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "poss"]
    raise DictionaryError(f"unknown role {role!r}")


def _prep_objects(token: Token, words: set[str]) -> list[Token]:
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in words:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _subject_of(verb: Token) -> list[Token]:
    passive = _is_passive(verb)
    if passive:
        return [pobj for c in verb.children if c.dep_ == "agent" for pobj in c.children if pobj.dep_ == "pobj"]
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        return subjects
    if verb.dep_ not in ("xcomp", "advcl", "conj", "pcomp") and not (verb.dep_ == "prep" and verb.tag_ == "VBG"):
        return []
    # Climb to the governing verb through "of", "short of", "to": "stopped short of blaming X".
    head = verb.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ in ("prep", "advmod", "pcomp", "acomp") \
            and head.head is not head:
        head = head.head
    if head is verb or head.pos_ not in ("VERB", "AUX"):
        return []
    if verb.dep_ == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
        return [c for c in head.children if c.dep_ in ("dobj", "dative")]
    return _subject_of(head)


def _governing_verb(noun: Token) -> Token | None:
    """Climb from an event noun through prepositions and gerunds to the verb that reports it."""
    node = noun
    for _ in range(4):
        if node.head is node:
            return None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("amod",):
            if _subject_of(node) or node.dep_ in ("ROOT", "ccomp", "advcl", "xcomp", "conj", "relcl"):
                if not _subject_of(node) and node.dep_ == "pcomp":
                    continue
                return node
        if node.pos_ not in ("ADP", "VERB", "AUX", "NOUN") or node.dep_ == "nsubj":
            return None
    return None


# ------------------------------------------------------------------ factuality


def _ancestors_in_clause(token: Token) -> list[Token]:
    """Governors reached through complement, preposition and coordination links only."""
    chain = []
    node = token
    # Not through advcl or conj: "While X condemned ..., they stopped short of ..." does not
    # negate the condemnation.
    while node.head is not node and node.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj",
                                                   "acomp", "attr", "advmod"):
        node = node.head
        chain.append(node)
    return chain


def _is_negated(trigger: Token) -> bool:
    if any(c.dep_ == "neg" for c in trigger.children):
        return True
    if any(c.dep_ == "det" and c.lower_ in ("no",) for c in trigger.children):
        return True
    for node in _ancestors_in_clause(trigger):
        lemma = node.lemma_.lower()
        if node.pos_ == "ADP" and lemma in NEGATING_PREPOSITIONS:
            return True
        if lemma in NEGATING_GOVERNORS:
            return True
        if lemma == "stop" and any(c.lower_ == "short" for c in node.children):
            return True
        if node.pos_ in ("VERB", "AUX") and node.dep_ not in ("conj",):
            if any(c.dep_ == "neg" for c in node.children) and node.lemma_.lower() in SPEECH_VERBS | {"do"}:
                return True
    return False


def _is_hypothetical(trigger: Token) -> bool:
    def modal(node: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in MODAL_AUXILIARIES for c in node.children) or any(
            c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKERS for c in node.children)

    if modal(trigger):
        return True
    if trigger.pos_ in ("NOUN", "PROPN"):
        verb = _governing_verb(trigger)
        if verb is not None and modal(verb):
            return True
    node = trigger
    for ancestor in _ancestors_in_clause(trigger):
        if node.dep_ in ("xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep") and \
                ancestor.lemma_.lower() in MODAL_GOVERNORS and node is not trigger or \
                (node is trigger and node.dep_ in ("xcomp", "ccomp") and ancestor.lemma_.lower() in MODAL_GOVERNORS):
            return True
        if ancestor.dep_ == "advcl" and modal(ancestor):
            return True
        node = ancestor
    return False


def _speaker(trigger: Token, resolver: ActorResolver) -> list[Actor] | None:
    """Whoever a reported clause is attributed to: "Pakistan said it would ..."."""
    node = trigger
    while node.head is not node and node.dep_ in ("ccomp", "xcomp", "conj", "advcl"):
        node = node.head
        if node.lemma_.lower() in SPEECH_VERBS:
            heads = _subject_of(node)
            actors = [a for h in heads for a in resolver.resolve(h)]
            return actors or None
    for child in trigger.children:
        if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in SPEECH_VERBS:
            actors = [a for h in _subject_of(child) for a in resolver.resolve(h)]
            return actors or None
    return None


def _drop_channels(found: list[Candidate]) -> list[Candidate]:
    """"Kallas reached out to X, urging restraint" is one appeal, not a contact plus an appeal."""
    content_heads = {c.trigger.head.i for c in found if c.trigger.dep_ in ("advcl", "xcomp", "conj")}
    return [c for c in found if not (c.pattern.channel and c.trigger.i in content_heads)]
