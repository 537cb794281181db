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

from .actors import ActorResolver, actor_code
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
                   "aim", "mull", "weigh", "wish", "push", "press", "encourage", "appeal", "invite",
                   "need", "agree", "ready", "likely", "able", "set", "plot", "fear", "could", "would",
                   "struggle", "strive", "pressure", "pressurize", "pressurise", "lobby",
                   # claims: "accused Pakistan of violating the truce" reports an allegation, not a violation
                   "accuse", "allege", "blame", "suspect", "charge"}
MODAL_AUXILIARIES = {"would", "could", "might", "may", "should", "will", "must", "can", "shall", "'d", "'ll", "wo"}
CONDITIONAL_MARKERS = {"if", "unless", "whether"}
# An action stated as its own actor's commitment is a statement of intent (CAMEO 03; for hostile
# actions a threat, 13), and refused it is a rejection (12): "will provide aid", "agreed to
# release", "is ready to send troops", "refused to meet". data/moods.tsv maps the action's code to
# the code of the statement.
INTENT_AUXILIARIES = {"will", "shall", "'ll", "wo"}
INTENT_GOVERNORS = {"agree", "offer", "promise", "pledge", "vow", "swear", "commit", "plan", "intend",
                    "ready", "willing", "prepared", "determined", "committed", "seek",
                    "want", "threaten", "volunteer", "undertake", "eager", "keen", "set", "resolve"}
# These also take a "that" clause for the promise: "agreed that their countries should cooperate".
CLAUSE_INTENT_GOVERNORS = {"agree", "promise", "pledge", "vow", "decide", "undertake", "threaten", "warn"}
REFUSAL_GOVERNORS = {"refuse", "decline"}
# Object-control verbs: the subject of their "to" clause is their object ("urged India to talk").
OBJECT_CONTROL = {"urge", "ask", "call", "press", "push", "encourage", "invite", "tell", "force",
                  "persuade", "allow", "order", "appeal", "want", "expect"}
# Nominal events in these positions are background, not news: "after the attack", "triggered by".
BACKGROUND_PREPOSITIONS = {"after", "following", "since", "before", "despite", "by", "amid", "about",
                           "like", "from", "over", "during", "of"}
# Verbs that only report an event noun: "launched airstrikes", "carried out an attack".
LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "execute", "perpetrate", "commit", "unleash",
               "begin", "start", "continue", "resume", "intensify", "step", "escalate", "order", "make",
               "undertake", "claim", "complete", "finish", "speed", "accelerate", "hasten", "renew", "announce",
               "hold", "give", "issue"}
# Verbs of blame: an event noun as their object is what is blamed, not a fresh report.
CLAIM_VERBS = {"blame", "accuse", "attribute", "deny", "condemn"}
# A clause introduced by these sets the news in time; its own events are background.
TIME_MARKERS = {"after", "since", "before", "until", "following", "once"}
# An event noun as the subject of these is reported as happening: "Fighting erupted".
OCCURRENCE_VERBS = {"erupt", "break", "continue", "rage", "spread", "flare", "intensify", "resume", "occur",
                    "escalate", "persist"}
LOCATIVE_PREPOSITIONS = {"in", "across", "throughout", "within", "inside", "around", "near"}
# Participles that describe their subject's state, not something done to it.
STATIVE_PARTICIPLES = {"oppose", "commit", "determine", "prepare", "engage", "involve", "dedicate", "devote",
                       "resolve", "poise", "set"}
# Sectors of people and bodies that act for a state (see _placed_by_context).
STATE_SECTORS = {"GOV", "MIL", "JUD", "LEG", "COP", "SPY"}
# "a pause in the bombing", "a halt to the shelling": an event noun after these did not happen.
CESSATION_NOUNS = {"pause", "halt", "lull", "cessation", "suspension", "stop", "end"}
# The roots of violence (assault, fight, mass violence): their unnamed perpetrators are placed
# where it happened, and a side that reports them as fact accuses.
VIOLENCE_ROOTS = frozenset({"18", "19", "20"})
# What "strikes", "hits" or "targets" without being violence: nature, and the measures of
# governments ("an earthquake strikes Istanbul", "measures targeting Pakistan", "tariffs hit").
NOT_VIOLENT_AGENTS = frozenset({
    "earthquake", "quake", "aftershock", "tremor", "storm", "hurricane", "typhoon", "cyclone", "tornado",
    "flood", "flooding", "wildfire", "blaze", "landslide", "avalanche", "tsunami", "drought",
    "heatwave", "lightning", "rain", "snow", "disease", "virus", "outbreak", "epidemic", "pandemic",
    "exposure", "accident", "crash", "collapse", "stampede",
    "measure", "sanction", "tariff", "duty", "tax", "policy", "law", "legislation", "bill", "rule",
    "regulation", "ban", "restriction", "decree", "order", "campaign", "reform", "step", "programme",
    "program", "plan", "initiative", "investigation", "probe", "inflation", "crisis", "recession",
})
DEFAULT_VERB_SOURCE = ("subject",)
DEFAULT_NOUN_SOURCE = ("poss", "modifier", "governor_subject")


@dataclass(frozen=True)
class Condition:
    """A dependent that must (or must not) be there: ``{dep = ["prep"], lemma = ["with"]}``."""

    deps: frozenset[str]
    lemmas: frozenset[str]
    deep: bool = False  # search the whole clause rather than direct dependents
    subject: bool = False  # search the subject's phrase ("peacekeeping troops arrived")

    def holds(self, trigger: Token, scope: list[Token]) -> bool:
        if self.subject:
            candidates = [(t, t.dep_) for s in _subject_of(trigger) for t in s.subtree]
        elif self.deep:
            candidates = [(t, t.dep_) for t in scope]
        else:
            # A conjunct fills its head's role: in "sent arms and ammunition", both are objects;
            # so does what a measure counts: "25,000 tons of food aid", "two of its nationals".
            candidates = [(t, c.dep_) for c in trigger.children for t in (c, *c.conjuncts, *_measured(c))
                          if t.i >= c.i]
            candidates += [(t, "nsubjpass") for t in _existential_subject(trigger)]
        for token, dep in candidates:
            if self.deps and dep not in self.deps:
                continue
            if self.lemmas and not self.lemmas.intersection(_word_forms(token)):
                continue
            return True
        return False


def _measured(token: Token) -> list[Token]:
    """The "of" phrase of a number or measure: "25,000 tons of aid" -> aid."""
    if not (token.pos_ == "NUM" or token.like_num or any(c.pos_ == "NUM" or c.like_num for c in token.children)):
        return []
    return [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
            for p in c.children if p.dep_ == "pobj"]


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
    reciprocal: bool = False  # a joint act ("X held talks with Y"): coded in both directions
    needs_target: bool = False
    foreign_target: bool = False  # the target must be another country than the source's
    outside_source: bool = False  # sources that are among the targets are parties, not the actor
    recalled: bool = False  # coded in background positions too when the event is placed
    # the other side's code of a two-sided act (CAMEO's "[042:043]": a visit is hosted)
    complement: str = ""
    complement_verbs: tuple[str, ...] = ()
    note: str = ""
    origin: str = ""


class DictionaryCoder(Protocol):
    """Codes a sentence from outside dictionaries (``petrarch.VerbMatcher``) before the patterns."""

    version: str

    def code_sentence(self, sent: Span, resolver: ActorResolver) -> tuple[list["Candidate"], set[int]]:
        """The sentence's events and the token indices they claim from the patterns."""


@dataclass(frozen=True)
class Moods:
    """``data/moods.tsv``: the code of an action promised (``intent``) or refused (``refusal``).

    Looked up by the longest prefix of the action's code that has an entry: 0841 (release a
    person) promised is 0353, and any 19 (fight) threatened is 138.
    """

    intent: dict[str, str] = field(default_factory=dict)
    refusal: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Moods":
        path = resources.files("kautilya") / "data" / "moods.tsv"
        moods = cls()
        with path.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip() or line.startswith(("#", "action\t")):
                    continue
                action, intent, refusal, *_ = (line.rstrip("\n").split("\t") + ["", ""])[:4]
                try:
                    for code in (action, intent, refusal):
                        if code:
                            lookup_cameo(code)
                except DictionaryError as exc:
                    raise DictionaryError(exc.message, source="kautilya/data/moods.tsv", line=line_no) from None
                if intent:
                    moods.intent[action] = intent
                if refusal:
                    moods.refusal[action] = refusal
        return moods

    def derive(self, kind: str, cameo: str) -> str | None:
        table = self.intent if kind == "intent" else self.refusal
        for size in range(len(cameo), 1, -1):
            if cameo[:size] in table:
                return table[cameo[:size]]
        return None


@dataclass
class PatternBook:
    patterns: list[Pattern] = field(default_factory=list)
    by_verb: dict[str, list[Pattern]] = field(default_factory=dict)
    by_noun: dict[str, list[Pattern]] = field(default_factory=dict)
    moods: Moods = field(default_factory=Moods)
    version: str = ""
    dictionary: DictionaryCoder | None = None  # consulted first when set (--dictionaries)

    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), builtin: bool = True) -> "PatternBook":
        """Load the built-in pattern files (unless ``builtin`` is False), then the user's, in
        order (later files come first)."""
        book = cls(moods=_default_moods())
        folder = resources.files("kautilya") / "data" / "patterns"
        files = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
        files = files if builtin else []
        versions = []
        loaded: list[tuple[bool, Pattern]] = []
        for path in [*files, *map(Path, extra)]:
            with path.open("rb") as handle:
                try:
                    data = tomllib.load(handle)
                except tomllib.TOMLDecodeError as exc:
                    raise DictionaryError(f"invalid TOML: {exc}", source=str(path)) from exc
            versions.append(f"{path.name}@{data.get('version', '0')}")
            user = str(path) in map(str, extra)
            for index, raw in enumerate(data.get("pattern", []), start=1):
                loaded.append((user, _parse_pattern(raw, f"{path.name}#{index}")))
        # The user's patterns first; then, among the user's and among the built-in ones, those
        # with requirements before those without ("offered aid" before a bare "offer"), each
        # group in file order.
        for _, pattern in sorted(loaded, key=lambda item: (not item[0], not item[1].requires)):
            book.add(pattern)
        book.version = "+".join(versions)
        return book

    def add(self, pattern: Pattern) -> None:
        self.patterns.append(pattern)
        for words, index in ((pattern.verbs, self.by_verb), (pattern.nouns, self.by_noun)):
            for phrase in words:
                index.setdefault(phrase[-1] if index is self.by_noun else phrase[0], []).append(pattern)


def parse_conditions(items, where: str) -> tuple[Condition, ...]:
    """``[{dep = [...], lemma = [...], deep = true, subject = true}]`` from a data file, checked."""
    out = []
    for item in items or ():
        if not isinstance(item, dict):
            raise DictionaryError(f"condition must be a table, got {item!r}", source=where)
        out.append(Condition(frozenset(_listify(item.get("dep"))),
                             frozenset(w.lower() for w in _listify(item.get("lemma"))),
                             bool(item.get("deep", False)), bool(item.get("subject", False))))
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
    complement = raw.get("complement", {})
    if complement:
        lookup_cameo(str(complement.get("cameo", "")))
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
        complement=complement.get("cameo", ""), complement_verbs=tuple(complement.get("verbs", ())),
        note=raw.get("note", ""), origin=where,
    )


def _listify(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@lru_cache(maxsize=1)
def default_patterns() -> PatternBook:
    return PatternBook.load()


@lru_cache(maxsize=1)
def _default_moods() -> Moods:
    return Moods.load()


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
    # The word that states the intent or refusal ("agreed", "threatened", "will"), when the code
    # was derived from the action through data/moods.tsv.
    anchor: Token | None = None


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
        # The first pattern whose trigger and requirements match and that finds its actors wins.
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "NOUN" and token.dep_ == "ROOT" and (
                token.tag_.startswith("VB") or {"nsubj", "dobj"} <= {c.dep_ for c in token.children})):
            # (a headline verb the tagger took for a plural noun: "Iran summons the envoy")
            if not _background_clause(token, resolver):
                bucket = next((patterns.by_verb[f] for f in _word_forms(token) if f in patterns.by_verb), ())  # lemma first
                for pattern in bucket:
                    if _trigger_matches(token, pattern.verbs, nouns=False) and _conditions_hold(token, pattern):
                        candidates = _code_trigger(token, pattern, resolver, locator, patterns.moods, as_noun=False)
                        if candidates:
                            found.extend(candidates)
                            break
        nominal = token.pos_ in ("NOUN", "PROPN") or (token.tag_ == "VBG" and any(
            c.dep_ in ("amod", "compound", "poss", "det") for c in token.children))  # "Israeli tank shelling"
        if nominal:
            news = _nominal_event_position(token) and not (
                token.dep_ in ("dobj", "attr") and _background_clause(token.head, resolver))
            for pattern in patterns.by_noun.get(token.lemma_.lower(), ()) or patterns.by_noun.get(token.lower_, ()):
                if not news and not (pattern.recalled and _recalled_position(token)
                                     and locator is not None and locator.locate(token) is not None):
                    continue
                if _trigger_matches(token, pattern.nouns, nouns=True) and _conditions_hold(token, pattern):
                    candidates = _code_trigger(token, pattern, resolver, locator, patterns.moods)
                    for candidate in candidates:
                        candidate.background = not news
                    if candidates:
                        found.extend(candidates)
                        break
    found = _drop_elaborations(_drop_superseded(_drop_channels(found)))
    return found + _reported_accusations(found, resolver)


# "Israel said a rocket was fired at it from Gaza", "Kyiv said Russia shelled the city": a state
# or group that reports another's violence as fact accuses it (CAMEO 112), besides the violence
# itself being coded. Not the media or rescuers reporting, and not a side reporting its own act.
REPORTED_ACCUSATION = Pattern(id="accuse.reported_violence", cameo="112", verbs=(("say",),),
                              note="'Pakistan said Indian troops shelled its posts': Pakistan accuses India",
                              origin="coding.py")
NEUTRAL_REPORTERS = {"MED", "HLH", "EDU"}
DOCUMENT_NOUNS = {"report", "study", "dossier", "document", "inquiry"}
ISSUING_VERBS = {"release", "publish", "issue", "present", "unveil", "make"}
# A side that claims its own violence claims responsibility (CAMEO 015), as "claimed
# responsibility for the attack" does; "said it had struck" stays the act alone.
RESPONSIBILITY_VERBS = {"claim"}
CLAIMED_ACT = Pattern(id="statement.claimed_own_act", cameo="015", verbs=(("claim",),),
                      note="'Hamas claimed it had fired the rockets at Israel': Hamas claims responsibility",
                      origin="coding.py")


def _reported_accusations(found: list[Candidate], resolver: ActorResolver) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[tuple] = set()
    for c in found:
        if c.cameo[:2] not in VIOLENCE_ROOTS or c.negated or c.hypothetical or c.source is None \
                or not (c.source.country or c.source.sector):
            continue
        if c.source.via == "unattributed" and not _prep_objects(c.trigger, {"from"}):
            continue  # where it fell stands in for nobody the speaker named ("fired from Gaza" does)
        report = _speech_verb(c.trigger)
        if report is None or report.i > c.trigger.i:
            # only a claim put first, not an attribution after the news it sources
            # ("Indian troops shelled ..., officials said")
            continue
        speakers = _speaker(c.trigger, resolver) or []
        claims = report.lemma_.lower() in RESPONSIBILITY_VERBS
        for speaker in speakers:
            if claims and speaker.country and speaker.country == c.source.country and c.target is not None:
                key = ("015", speaker.code, c.target.code)
                if key not in seen:  # "Hamas claimed it had fired the rockets": a claim of responsibility
                    seen.add(key)
                    out.append(Candidate(c.trigger, CLAIMED_ACT, "015", speaker, c.target, False, False,
                                         round(max(0.05, c.confidence - 0.1), 2)))
                continue
            if not speaker.country or speaker.sector in NEUTRAL_REPORTERS or speaker.country == c.source.country:
                continue
            key = (speaker.code, c.source.code)
            if key in seen:
                continue
            seen.add(key)
            out.append(Candidate(c.trigger, REPORTED_ACCUSATION, "112", speaker, c.source, False, False,
                                 round(max(0.05, c.confidence - 0.1), 2)))
    return out


def _speech_verb(trigger: Token) -> Token | None:
    """The speech verb that reports the trigger's clause ("Pakistan said Indian troops shelled
    ..."), if any."""
    node = _predicate(trigger)
    while node.head.i != node.i and node.dep_ in ("ccomp", "xcomp", "conj", "advcl", "acomp"):
        node = node.head
        if node.lemma_.lower() in SPEECH_VERBS:
            return node
    return None


def _background_clause(verb: Token, resolver: ActorResolver) -> bool:
    """A clause that describes or dates rather than reports: a relative clause describing an
    actor ("the militant group that has seized parts of Iraq"; not "a move that Pakistan
    condemned", which reports the condemnation) or one introduced by "after", "since",
    "before" ("two weeks after rebels kidnapped peacekeepers"), like event nouns after those
    words."""
    if verb.dep_ == "pcomp" and verb.head.lower_ == "for" and verb.head.head.pos_ in ("VERB", "AUX"):
        return True  # the reason for an act: "jailed him for helping militants", "thanked X for sending aid"
    node = verb
    for _ in range(3):
        if node.dep_ == "relcl" and _names_an_actor(node.head, resolver):
            return True
        if any(c.dep_ == "mark" and c.lower_ in TIME_MARKERS for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _word_forms(token: Token) -> tuple[str, ...]:
    """The token's lemma, its spelling, and for verbs the stems of its inflections, in that
    order, since the tagger's lemma is sometimes wrong ("staged" -> "stag")."""
    lemma, lower = token.lemma_.lower(), token.lower_
    forms = [lemma, lower]
    if token.tag_ == "NNPS" and lower.endswith("s"):
        forms.append(lower[:-1])  # proper plurals keep their "s": "the Israel Defense Forces"
    if token.tag_ in ("VBD", "VBN", "VBZ", "VBG"):
        for suffix, replacement in (("ied", "y"), ("ed", "e"), ("ed", ""), ("ies", "y"), ("es", ""), ("s", ""),
                                    ("ing", "e"), ("ing", "")):
            if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
                forms.append(lower[: -len(suffix)] + replacement)
    return tuple(dict.fromkeys(forms))


def _names_an_actor(head: Token, resolver: ActorResolver) -> bool:
    if head.pos_ in ("PROPN", "PRON"):
        return True
    return resolver.book.agent_sector(head)[0] is not None or bool(resolver.resolve(head, allow_coref=False))


def _trigger_matches(token: Token, phrases: tuple[tuple[str, ...], ...], nouns: bool) -> bool:
    lemma, lower = token.lemma_.lower(), token.lower_
    forms = _word_forms(token)
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
            if phrase[0] not in forms:
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
        # The passive's subject is what is acted on ("Evidence against Russia was presented"):
        # it stays in the clause, and the agent ("by the US") is the subject left out.
        if child.dep_ in ("nsubj", "csubj", "agent"):
            subject_tokens.update(t.i for t in child.subtree)
    return [t for t in anchor.subtree if t.i not in subject_tokens]


def _recalled_position(token: Token) -> bool:
    """An event noun recalled as the cause or setting of the news: "after the attack in X"."""
    return token.dep_ in ("pobj", "dobj", "nsubj") and not any(
        c.dep_ == "det" and c.lower_ in ("a", "an", "any", "no", "every") for c in token.children)


def _nominal_event_position(token: Token) -> bool:
    """Event nouns count where news reports them, not as the topic of commentary."""
    if token.dep_ == "nsubj" and token.head.lemma_.lower() in OCCURRENCE_VERBS:
        return True  # "Clashes erupted in Gaza", "Palestinian riots continued"
    if token.dep_ in ("nsubj", "compound", "amod", "poss"):
        return False  # "Russia's call for calm comes despite ..." comments on an earlier event
    if token.dep_ == "pobj" and token.head.lower_ in BACKGROUND_PREPOSITIONS:
        return False
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return False
    if token.dep_ == "pobj" and token.head.head.lemma_.lower() in CESSATION_NOUNS:
        return False  # "a pause in the bombing": what stopped is not reported as happening
    if token.dep_ == "dobj" and token.head.lemma_.lower() in CLAIM_VERBS:
        return False  # "blamed the attack on Hamas": the attack is the claim's incident, coded once
    return True


def _code_trigger(trigger: Token, pattern: Pattern, resolver: ActorResolver,
                  locator: EventLocator | None = None, moods: Moods | None = None,
                  as_noun: bool | None = None) -> list[Candidate]:
    speaker = _speaker(trigger, resolver)
    is_noun = trigger.pos_ in ("NOUN", "PROPN") if as_noun is None else as_noun
    if pattern.cameo[:2] in VIOLENCE_ROOTS and not is_noun and _not_violent_agent(trigger):
        return []
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
    dissent = pattern.cameo[:2] == "14"
    if dissent and locator is not None and any(a.sector and not a.country for a in sources):
        found = locator.locate(trigger)
        if found is not None:
            # Protesters protest where they live: "prisoners rioted at a jail in Dili" (placed by
            # context, as _placed_by_context would).
            sources = [replace(resolver.with_country(a, found.place.country), via="context") if a.sector else a
                       for a in sources]
    # the state that is itself the other side is not the setting ("appreciation for China's aid")
    other_side = frozenset(t.char_start for t in targets if t.country and (t.sector is None or t.sector in STATE_SECTORS))
    sources = _most_specific([_placed_by_context(a, trigger, resolver, dissent, other_side) for a in sources])
    targets = _most_specific(targets)
    if pattern.needs_target and not targets and not (pattern.reciprocal and len(sources) > 1):
        return []
    if not sources and not targets:
        return []
    if not (any(a.country for a in (*sources, *targets)) or any(a.sector for a in sources)
            or any(a.sector in STATE_SECTORS | {"OPP"} for a in targets)):
        # Someone must act (a kind of actor will do: "Gunmen kidnapped ...") or a state, an
        # official or the opposition be acted on ("an attempt to assassinate the deputy
        # governor"); "four people were killed in a landslide" has no actor at all.
        return []
    cameo = _refined_code(trigger, pattern, sources)
    negated = _is_negated(trigger)
    hypothetical = _is_hypothetical(trigger)
    anchor = None  # once set, the act is a statement of intent or refusal: only its subject makes it
    frame = _intent_frame(trigger) if moods is not None else None
    if frame is not None:
        kind, frame_anchor = frame
        derived = moods.derive(kind, cameo)
        if derived is not None and (derived[:2] != "13" or _own_statement(sources, speaker)):
            cameo, anchor = derived, frame_anchor
            own = frame_anchor.i in (trigger.i, _predicate(trigger).i)
            negated = _is_negated(frame_anchor, own=not own and kind == "intent")
            hypothetical = _is_hypothetical(frame_anchor, own=not own)
    if pattern.foreign_target:
        own_countries = {a.country for a in sources}
        targets = [t for t in targets if t.country not in own_countries]
    if not sources and cameo[:2] in VIOLENCE_ROOTS and locator is not None:
        # fire that came "from" a place is taken to be of that place's side, before the place
        # where it fell: "a rocket was fired at Israel from Gaza"
        origins = [f for f in (locator.locate(p) for p in _prep_objects(trigger, {"from"})) if f is not None]
        found = origins[0] if origins else locator.locate(trigger)
        # (not when the place itself already stands in for the target: "the attack in Pahalgam")
        if found is not None and not any((t.char_start, t.char_end) == (found.span.start_char, found.span.end_char)
                                         for t in targets) and not _names_an_attacker(trigger, resolver, targets, found.span):
            # "A roadside bomb near Samarra killed a US soldier": no attacker named; they are
            # taken to be of the country where it happened, as event data codes unidentified
            # gunmen (via "unattributed", at lower confidence).
            sources = [replace(resolver.place_actor(found.place.country, found.span), via="unattributed")]
    if pattern.reciprocal and not (anchor is not None and targets):
        pairs = _reciprocal_pairs(sources, targets)
    else:
        pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])]
    out = []
    for source, target in pairs:
        if source and target and source.code == target.code and source.text == target.text:
            continue
        out.append(Candidate(trigger, pattern, cameo, source, target, negated, hypothetical,
                             _confidence(pattern, source, target, cameo), anchor=anchor))
        if pattern.complement and cameo == pattern.cameo and anchor is None and source and target \
                and any(f in pattern.complement_verbs for f in _word_forms(trigger)):
            # the other side of the same act, a little less sure, so never the main event
            out.append(Candidate(trigger, pattern, pattern.complement, target, source, negated, hypothetical,
                                 round(max(0.05, _confidence(pattern, target, source, cameo) - 0.1), 2)))
    return out


def _most_specific(actors: list[Actor]) -> list[Actor]:
    """One actor named twice in a side, once generally and once by name ("the Somali militant
    group al-Shabab", which the parser may split into two subjects: SOMREB and SOMREBSHB), is
    the named one."""
    return [a for a in actors if not (a.code and any(
        b.code and b.code != a.code and b.code.startswith(a.code) and b.country == a.country for b in actors))]


def _placed_by_context(actor: Actor, trigger: Token, resolver: ActorResolver, dissent: bool = False,
                       other_side: frozenset[int] = frozenset()) -> Actor:
    """An office or state body whose country is not named ("President Avril declared a state of
    siege in Haiti", "the government lifted the curfew in Sudan") acts for the one state the
    sentence names as a place or as the country of a non-state group ("banned Ugandan
    opposition candidates"); with none or several, it stays unplaced. So do an ethnic group
    ("ethnic Albanians demonstrated in Serbia") and protesters, who protest where they live
    ("people blocked streets in Hong Kong")."""
    if actor.country or not (actor.sector in STATE_SECTORS or actor.via == "ethnic" or (dissent and actor.sector)):
        return actor
    sent = trigger.sent
    named = {iso3 for index, iso3 in resolver.place_mentions
             if sent.start <= index < sent.end and _setting_mention(trigger.doc[index], resolver, dissent)
             and (dissent or trigger.doc[index].idx not in other_side or trigger.doc[index].dep_ == "pobj")}
    if len(named) != 1:
        return actor
    (iso3,) = named
    return replace(actor, country=iso3, code=actor_code(iso3, actor.sector), via="context",
                   name=actor.name or resolver.book.countries[iso3].name)


def _setting_mention(token: Token, resolver: ActorResolver, dissent: bool = False) -> bool:
    """A country named as the setting of the news: a place ("in Haiti") or the country of a
    group that is not a state body ("Ugandan candidates"). Not the other side of an event
    ("threatened Russia", "welcomed the South African leader"), unless the event is dissent,
    which is aimed at one's own rulers ("a hunger strike to demand the resignation of the
    Algerian President"); never the source of the report ("a spokeswoman for the US embassy
    said", "according to Iraqi police")."""
    for ancestor in token.ancestors:
        if ancestor.lower_ == "according" or (ancestor.dep_ in ("nsubj", "nsubjpass")
                                               and ancestor.head.lemma_.lower() in SPEECH_VERBS):
            return False
    if token.dep_ == "pobj":
        return token.head.lower_ in LOCATIVE_PREPOSITIONS
    if token.dep_ in ("amod", "compound", "poss", "nmod") and token.head.pos_ in ("NOUN", "PROPN"):
        sector, _ = resolver.book.agent_sector(token.head)
        return dissent or sector not in STATE_SECTORS
    return False


def _reciprocal_pairs(sources: list[Actor], targets: list[Actor]) -> list[tuple[Actor | None, Actor | None]]:
    """A joint act is coded for each side towards each other side, as CAMEO codes it.

    "X held talks with Y": X -> Y and Y -> X; "X, Y and Z met": every ordered pair of the three.
    """
    if targets:
        return [pair for s in (sources or [None]) for t in targets for pair in ((s, t), (t, s)) if s is not None] \
            or [(None, t) for t in targets]
    if len(sources) < 2:
        return [(s, None) for s in sources]
    return [(a, b) for a in sources for b in sources if a is not b]


def _own_statement(sources: list[Actor], speaker: list[Actor] | None) -> bool:
    """A threat is the actor's own only when the actor says it: "Pakistan said India would
    strike" is Pakistan's prediction, not India's threat (a visit "will" take place, as an
    embassy announces it, is still the visitor's intent)."""
    if speaker is None:
        return True
    said_by = {a.country for a in speaker}
    return any(a.country in said_by or a.via in ("coreference", "context") for a in sources)


def _predicate(trigger: Token) -> Token:
    """The verb whose mood an event shares: the trigger, or the verb reporting an event noun."""
    if trigger.pos_ in ("NOUN", "PROPN"):
        verb = _governing_verb(trigger)
        if verb is not None:
            return verb
    return trigger


def _intent_frame(trigger: Token) -> tuple[str, Token] | None:
    """("intent" | "refusal", the word that states it) when the action is promised or refused.

    "will release" (a future of the actor's own), "said it would allow" (a reported future),
    "agreed to provide", "is ready to send", "threatened to cut off"; with a negation ("would not
    provide", "is not willing to") or under "refuse"/"decline" it is a refusal.
    """
    node = _predicate(trigger)
    for _ in range(3):
        children = list(node.children)
        auxiliaries = {c.lower_ for c in children if c.dep_ == "aux"}
        negated = any(c.dep_ == "neg" for c in children)
        conditioned = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                    for m in c.children) for c in children)
        if auxiliaries & INTENT_AUXILIARIES or ("would" in auxiliaries and _reported(node)) or \
                (auxiliaries & {"may", "might", "could", "would"} and conditioned):
            # ("X may halt its mediation if Y": a conditional statement of one's own act)
            if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKERS for c in children):
                return None
            return ("refusal" if negated else "intent"), node
        head = node.head
        infinitive = node.dep_ == "xcomp" or (node.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in children))  # "sworn to fight", parsed either way
        if node.dep_ == "pcomp" and head.lower_ == "to":
            head = head.head  # "is committed to opening up the economy"
        elif head.i == node.i or not (infinitive or
                                      (node.dep_ == "ccomp" and head.lemma_.lower() in CLAUSE_INTENT_GOVERNORS)):
            return None
        lemma = head.lemma_.lower()
        if lemma in REFUSAL_GOVERNORS:
            return "refusal", head
        if lemma in INTENT_GOVERNORS:
            copula = head.head if head.dep_ == "acomp" else head
            refused = any(c.dep_ == "neg" for c in (*children, *head.children, *copula.children))
            return ("refusal" if refused else "intent"), head
        if node.dep_ != "xcomp":
            return None  # a purpose ("gave permission to Russia to help") is not the promise itself
        node = head
    return None


def _reported(verb: Token) -> bool:
    """A clause reported by a speech verb: "Iraq said it would allow ..."."""
    node = verb
    while node.dep_ == "conj" and node.head is not node:
        node = node.head
    return node.dep_ == "ccomp" and node.head.lemma_.lower() in SPEECH_VERBS


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
        if actor and actor.via in ("coreference", "context", "unattributed"):
            score -= 0.1
    return round(max(0.05, min(0.95, score)), 2)


# --------------------------------------------------------------------------- roles


def _fill_role(trigger: Token, roles: Iterable[str], resolver: ActorResolver,
               exclude: frozenset[str], speaker: list[Actor] | None, drop_excluded: bool = False,
               locator: EventLocator | None = None) -> list[Actor]:
    fallback: list[Actor] = []
    for role in roles:
        if role == "location" or role.startswith("event_location:"):
            # "the attack in Pahalgam": the country where it happened, when no one is named;
            # "attacked a police post in Punjab": the victims are of the country they were in.
            # event_location: where the event named after these words happened ("claimed
            # responsibility for the bombing in Kabul", "voiced grief over the shooting in Ohio").
            if role == "location":
                found = locator.locate(trigger) if locator is not None else None
            else:
                words = set(role[15:].split("|"))
                nouns = [*_prep_objects(trigger, words), *(h for c in _objects(trigger) for h in _prep_objects(c, words))]
                found = next((f for f in (locator.locate(n) for n in nouns if n.pos_ == "NOUN") if f), None) \
                    if locator is not None else None
            if found is None or found.place.country in exclude:
                continue
            if fallback:
                return [resolver.with_country(actor, found.place.country) for actor in fallback]
            return [resolver.place_actor(found.place.country, found.span)]
        heads = _role_heads(trigger, role)
        actors: list[Actor] = []
        if role == "modifier" and heads:
            # "Palestinian riots": a country adjective on an event noun names who acts.
            heads = [h for h in heads if not (h.pos_ == "ADJ" and h.i in resolver.names)]
            actors = [a for a in resolver.resolve_owner(trigger) if a.country not in exclude]
        for head in heads:
            for member in _with_conjuncts(head):
                for actor in resolver.resolve(member, exclude=exclude, speaker=speaker):
                    if actor not in actors:
                        actors.append(actor)
            if not actors and head.pos_ == "NOUN" or (not actors and role != "subject" and head.pos_ == "PROPN"):
                # "shelled Indian posts", "condemned Pakistani aggression": the country that owns
                # the thing acted upon; "Israeli strikes killed 20": the country behind the act.
                actors.extend(resolver.resolve_owner(head))
            if role == "clause_subject" and not actors:
                for child in head.children:
                    if child.dep_ == "poss":
                        actors.extend(resolver.resolve(child, exclude=exclude, speaker=speaker))
        if role == "issuer_place":
            actors = [replace(a, sector=None, code=a.country, via="context") for a in actors if a.country]
            if not actors and locator is not None:
                actors = [replace(resolver.place_actor(f.place.country, f.span), via="context")
                          for f in (locator.locate(h) for h in heads) if f is not None][:1]
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
    """The head and the phrases coordinated with it: "India and Pakistan"; also a list the
    parser hangs on an apposition, "the US, Russia, and Switzerland"."""
    members = [head]
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN" and head.pos_ == "PROPN" and \
                any(c.dep_ == "conj" for c in child.children):
            members.append(child)
    for member in list(members):
        for token in member.conjuncts:
            if token.i > member.i and token.pos_ in ("NOUN", "PROPN", "PRON") and token not in members:
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
        return _objects(trigger, with_dative=True)
    if role.startswith("prep:"):
        words = set(role[5:].split("|"))
        return _prep_objects(trigger, words)
    if role == "poss":
        return [c for c in trigger.children if c.dep_ == "poss"]
    if role == "modifier":
        return [c for c in trigger.children if c.dep_ in ("amod", "compound", "nmod") and c.pos_ in ("ADJ", "PROPN")]
    if role in ("governor_subject", "verb_subject"):
        # verb_subject also after "against": "advised against travel to X" is the adviser's
        verb = _governing_verb(trigger)
        if verb is None or (role == "governor_subject" and trigger.dep_ == "pobj" and trigger.head.lower_ == "against"):
            return []  # "defended Russia against Western criticism": not the defender's criticism
        return [s for s in _subject_of(verb) if s.i != trigger.i]
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
        return [h for c in _objects(trigger) for h in _prep_objects(c, words)]
    if role == "place":
        # "strikes on nine sites in Pakistan": the country where the blows fell.
        nodes = [trigger, *[c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass")]]
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubjpass"):
            nodes.append(trigger.head)  # "staged a protest in Beijing"
        nodes += [p for n in list(nodes) for p in _prep_objects(n, {"on", "at", "against", "in", "into", "inside"})]
        return [p for n in nodes for p in _prep_objects(n, {"in", "inside", "into", "across"})]
    if role == "for_clause_subject":
        nodes = [trigger] + ([_governing_verb(trigger)] if trigger.pos_ == "NOUN" else [])
        return [s for n in nodes if n is not None for c in n.children
                if c.dep_ in ("advcl", "acl", "relcl") and any(m.lower_ == "for" for m in c.children)
                for s in c.children if s.dep_ == "nsubj"]
    if role == "xcomp_object":
        return [o for c in trigger.children if c.dep_ == "xcomp" for o in _role_heads(c, "object")]
    if role == "purpose_object":
        # "sent a team to help Syria", "... to help Nepal rebuild": whom the purpose serves
        return [o for c in trigger.children if c.dep_ in ("xcomp", "advcl") and
                any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
                for o in _role_heads(c, "object")]
    if role == "inherit_object":
        head = trigger.head
        if trigger.dep_ in ("advcl", "xcomp", "conj") and head is not trigger:
            return _role_heads(head, "object") or _prep_objects(head, {"to", "with"})
        return []
    if role.startswith("head_prep:"):
        # "a ceasefire between Armenia and Azerbaijan, mediated by Russia": the parties of the noun
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
        return [g for c in _objects(trigger) for g in c.children if g.dep_ == "poss"]
    if role == "issuer_place":
        # "a report released in Kigali alleged ...": a document with no named author speaks for
        # the country it was issued in, as an unnamed office acts for the country of its setting
        return [p for s in _subject_of(trigger) if s.lemma_.lower() in DOCUMENT_NOUNS
                for c in s.children if c.dep_ == "acl" and c.lemma_.lower() in ISSUING_VERBS
                for p in _prep_objects(c, {"in"})]
    raise DictionaryError(f"unknown role {role!r}")


def _existential_subject(verb: Token) -> list[Token]:
    """The passive subject the parse does not hang on the verb: "There were ten soldiers killed
    in Ukraine" says "ten soldiers were killed in Ukraine"."""
    head = verb.head
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and head.dep_ == "attr" and \
            head.head.lemma_.lower() == "be" and any(c.dep_ == "expl" for c in head.head.children):
        return [head]
    if verb.dep_ == "conj" and any(c.dep_ == "auxpass" for c in verb.children) and \
            not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        # "prisoners held for years were released by the president": a passive conjunct the
        # parser left without a subject shares its head's
        return [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    return []


def _objects(trigger: Token, with_dative: bool = False) -> list[Token]:
    """What the trigger acts on: its direct object (the subject of a passive), or for an event
    noun what follows "of" ("the release of prisoners", "the invasion of Kuwait")."""
    if trigger.pos_ in ("NOUN", "PROPN") and not any(c.dep_ == "dobj" for c in trigger.children):
        return _prep_objects(trigger, {"of"})
    if existential := _existential_subject(trigger):
        return existential
    if _is_passive(trigger) and not _stative(trigger):
        return [c for c in trigger.children if c.dep_ == "nsubjpass"]
    deps = ("dobj", "dative", "iobj") if with_dative else ("dobj",)
    return [c for c in trigger.children if c.dep_ in deps]


def _prep_objects(token: Token, words: set[str]) -> list[Token]:
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "dative", "agent") and child.lower_ in words:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _stative(verb: Token) -> bool:
    """"Israel is opposed to French mediation", "Serb forces were engaged in ethnic cleansing":
    a participle that describes its subject's state, not an act done to it."""
    return verb.lemma_.lower() in STATIVE_PARTICIPLES and not any(c.dep_ == "agent" for c in verb.children)


def _names_an_attacker(trigger: Token, resolver: ActorResolver, targets: list, place: Span) -> bool:
    """Whether the act's own phrase names a party that is neither its target nor its place
    ("killed in two Israeli attacks", "in drone strikes by Israel"): the attacker is named, only
    not where a role finds it, so the place must not stand in for it."""
    taken = [(t.char_start, t.char_end) for t in targets] + [(place.start_char, place.end_char)]
    for token in trigger.subtree:
        entry = resolver.names.get(token.i)
        if entry is None or any(start <= token.idx < end for start, end in taken):
            continue
        # A place name is where it happened ("in Guanajuato, Mexico") unless it is the agent
        # ("by Israel"); an adjective, a group or a person names a side ("Israeli attacks").
        if entry[1][0].kind not in ("country", "capital", "city") or token.head.lower_ == "by":
            return True
    return False


def _not_violent_agent(verb: Token) -> bool:
    """Whether what does the striking is nature or a government measure: the verb's grammatical
    subject (or passive agent), or the noun a participle describes ("measures targeting X")."""
    # (a headline subject the parser took for a compound: "earthquake strikes Istanbul")
    doers = [c for c in verb.children if c.dep_ in ("nsubj", "csubj") or (c.dep_ == "compound" and c.i < verb.i)]
    doers += [pobj for c in verb.children if c.dep_ == "agent" for pobj in c.children if pobj.dep_ == "pobj"]
    if verb.dep_ == "acl":
        doers.append(verb.head)
    if not doers and verb.dep_ in ("advcl", "conj") and verb.head is not verb:
        return _not_violent_agent(verb.head)  # "an earthquake strikes Istanbul, injuring dozens"
    return any(d.lemma_.lower() in NOT_VIOLENT_AGENTS for d in doers)


def _subject_of(verb: Token) -> list[Token]:
    passive = _is_passive(verb)
    if passive and _stative(verb):
        return [c for c in verb.children if c.dep_ == "nsubjpass"]
    if passive:
        return [pobj for c in verb.children if c.dep_ == "agent" for pobj in c.children if pobj.dep_ == "pobj"]
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        return subjects
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.dep_ == "dobj" \
            and verb.head.head.lemma_.lower() in LIGHT_VERBS | {"release", "publish", "send"}:
        # "X issued a declaration demanding ...": the one who issued it demands
        return _subject_of(verb.head.head)
    if verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.i > 0:
        split = verb.doc[verb.i - 1]
        if split.dep_ == "pobj" and split.pos_ == "NOUN" and split.head.lower_ in ("in", "by") \
                and split.head.head.i == verb.head.i:
            # "killed in Israeli tank shelling", parsed as "killed in Israeli tank" + "shelling":
            # one noun phrase, whose owner shells
            return [split]
    if verb.dep_ not in ("xcomp", "advcl", "conj", "pcomp") and not (verb.dep_ in ("prep", "pobj") and verb.tag_ == "VBG"):
        return []
    # Climb to the governing verb through "of", "short of", "to": "stopped short of blaming X".
    head = verb.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ in ("prep", "advmod", "pcomp", "acomp") \
            and head.head is not head:
        head = head.head
    if head is verb or head.pos_ not in ("VERB", "AUX"):
        return []
    if verb.dep_ == "xcomp" and head.lemma_.lower() in OBJECT_CONTROL:
        controllers = [c for c in head.children if c.dep_ in ("dobj", "dative")]
        if controllers:
            return controllers  # "urged India to talk"; without an object, "wants to attack"
    if verb.dep_ in ("conj", "xcomp") and _is_passive(head):
        # "was indicted by the court and will resign", "is scheduled to attend": the one
        # indicted resigns, the one scheduled attends.
        return [c for c in head.children if c.dep_ == "nsubjpass"]
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
    # negate the condemnation; nor from a past participle describing a noun: in "agreed to a
    # ceasefire brokered by Russia" the brokering has happened.
    while node.head.i != node.i and node.dep_ in ("xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj",
                                                  "acomp", "attr", "advmod", "acl") and not (
            node.dep_ == "acl" and node.tag_ == "VBN"):
        node = node.head
        chain.append(node)
    return chain


def _is_negated(trigger: Token, own: bool = True) -> bool:
    """Negated by the trigger's own "not"/"no" (unless ``own`` is false) or by its governors."""
    trigger = _first_conjunct(trigger)
    if own and any(c.dep_ == "neg" for c in trigger.children):
        return True
    if own and any(c.dep_ == "det" and c.lower_ in ("no",) for c in trigger.children):
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


def _is_hypothetical(trigger: Token, own: bool = True) -> bool:
    """Not (yet) real: under a modal, a condition, or a governor such as "urge" or "plan".

    With ``own`` false the trigger's own auxiliaries are not counted: the "will" of an intent is
    what makes it a statement of intent.
    """
    def modal(node: Token) -> bool:
        return any(c.dep_ == "aux" and c.lower_ in MODAL_AUXILIARIES for c in node.children) or any(
            c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKERS for c in node.children)

    trigger = _first_conjunct(trigger)

    if own and modal(trigger):
        return True
    if any(c.dep_ == "mark" and c.lower_ == "for" for c in trigger.children) and \
            any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children):
        return True  # "appeals for Israel to allow aid": wished for, not done
    if trigger.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) \
            and trigger.head.i != trigger.i and (_is_hypothetical(trigger.head)
                                                 or trigger.head.lemma_.lower() in MODAL_GOVERNORS):
        # a purpose shares its action's mood: "must ensure security to allow aid in"; and what
        # someone is pressed to do, parsed as a purpose, is not done: "was pressured to resign"
        return True
    if own and trigger.pos_ in ("NOUN", "PROPN"):
        verb = _governing_verb(trigger)
        if verb is not None and modal(verb):
            return True
    node = trigger
    for ancestor in _ancestors_in_clause(trigger):
        if node.dep_ in ("xcomp", "ccomp", "pcomp", "dobj", "pobj", "prep", "acl") and \
                ancestor.lemma_.lower() in MODAL_GOVERNORS and node is not trigger or \
                (node is trigger and node.dep_ in ("xcomp", "ccomp") and ancestor.lemma_.lower() in MODAL_GOVERNORS):
            return True
        if node is trigger and node.dep_ == "acl" and ancestor.pos_ == "NOUN" and \
                ancestor.lemma_.lower() in MODAL_GOVERNORS and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            return True  # what a noun asks for or plans is not done: "faces pressure to resign", "a plan to strike"
        if ancestor.dep_ == "advcl" and modal(ancestor):
            return True
        node = ancestor
    return False


def _first_conjunct(token: Token) -> Token:
    """Coordinated event nouns share their first conjunct's standing: in "denied reports of cyber
    operations and information operations", both are denied."""
    while token.pos_ == "NOUN" and token.dep_ == "conj" and token.head.pos_ == "NOUN":
        token = token.head
    return token


def _speaker(trigger: Token, resolver: ActorResolver) -> list[Actor] | None:
    """Whoever a reported clause is attributed to: "Pakistan said it would ..."."""
    trigger = _predicate(trigger)
    node = trigger
    while node.head.i != node.i and node.dep_ in ("ccomp", "xcomp", "conj", "advcl", "acomp"):
        node = node.head
        if node.lemma_.lower() in SPEECH_VERBS:
            heads = [m for h in _subject_of(node) for m in _with_conjuncts(h)]
            actors = [a for h in heads for a in resolver.resolve(h)]
            return actors or None
    for child in trigger.children:
        if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in SPEECH_VERBS:
            actors = [a for h in _subject_of(child) for m in _with_conjuncts(h) for a in resolver.resolve(m)]
            return actors or None
    return None


def _drop_superseded(found: list[Candidate]) -> list[Candidate]:
    """"threatened to impose sanctions" is one threat (1312, from the sanctions), not also the
    bare threat of "threatened": an event derived from the action replaces its anchor's own."""
    anchors = {c.anchor.i for c in found if c.anchor is not None and c.anchor.i != c.trigger.i}
    return [c for c in found if c.trigger.i not in anchors]


def _drop_elaborations(found: list[Candidate]) -> list[Candidate]:
    """"Drones struck the airport, targeting the terminal" is one attack: a participle that
    describes the same kind of act by the same actor as the verb it hangs on adds nothing."""
    by_trigger = {(c.trigger.i, _act_kind(c.cameo), c.source.code if c.source else None) for c in found}
    # a purpose adds nothing only when it names no one the act itself does not
    served = {(c.trigger.i, _act_kind(c.cameo), c.source.code if c.source else None, c.target.code if c.target else None)
              for c in found}
    nouns = {(c.trigger.i, _act_kind(c.cameo)) for c in found if c.trigger.pos_ in ("NOUN", "PROPN")}
    return [c for c in found if not (
        c.trigger.tag_ == "VBG" and c.trigger.dep_ in ("advcl", "xcomp")
        and (c.trigger.head.i, _act_kind(c.cameo), c.source.code if c.source else None) in by_trigger)
        and not (_purpose(c.trigger) and (c.trigger.head.i, _act_kind(c.cameo), c.source.code if c.source else None,
                                          c.target.code if c.target else None) in served)
        # "an attack targeting shoppers": the participle describes the noun's act, whose actor it
        # cannot name itself
        and not (c.trigger.tag_ == "VBG" and c.trigger.dep_ == "acl"
                 and (c.trigger.head.i, _act_kind(c.cameo)) in nouns)]


def _purpose(verb: Token) -> bool:
    """A "to" clause of purpose: "sent a team to help Syria" is one act of aid."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _act_kind(cameo: str) -> str:
    """The kind of act for elaborations: violence is one kind whatever its root, so "shelled the
    city, killing eight" is one attack, the killing its toll (roots 18, 19, 20)."""
    return "violence" if cameo[:2] in VIOLENCE_ROOTS else cameo[:2]


def _drop_channels(found: list[Candidate]) -> list[Candidate]:
    """"Kallas reached out to X, urging restraint" is one appeal, not a contact plus an appeal."""
    content_heads = {c.trigger.head.i for c in found if c.trigger.dep_ in ("advcl", "xcomp", "conj")}
    return [c for c in found if not (c.pattern.channel and c.trigger.i in content_heads)]
