"""The pre-filter: skip the parser for sentences that cannot hold an event.

Parsing is nearly all of the coder's cost, and most sentences of a news article name no actor
or use no event word. Before parsing, the article is only tokenised (cheap) and split into
sentences by rule (full stops and line breaks). A sentence is kept when it holds

- an actor candidate: a name from the actor dictionary (country, capital, adjective, demonym,
  organisation, person) or an agent noun ("ministry", "troops"); and
- an event word: any inflection of a trigger verb or event noun of the pattern book, found by
  running the model's own lemmatizer tables (exceptions and suffix rules) over the word.

Coreference must keep working, so a kept sentence that leans on earlier ones (a pronoun, "both
nations", an agent noun without a name: "the ministry") also keeps the sentences of the
resolver's window before it that name an actor.

Runs of adjacent kept sentences (passages) stay where they are; everything else is blanked
(``KeptText``), so the full pipeline parses only the passages while every character offset of
the parse is still the article's.

Docs: docs/scale.md
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from typing import Iterable

from spacy.attrs import IDX, LOWER, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from .actors import (COREF_WINDOW, COUNTRY_NAME_KINDS, PERSON_GROUP_NOUNS, PERSON_PRONOUNS, PLURAL_PRONOUNS, STATE_GROUP_NOUNS,
                     THING_PRONOUNS, ActorDictionary)
from .nlp import lemma_tables

SENTENCE_END = {".", "!", "?", "...", "…"}
# Closing marks that still belong to the sentence a full stop ended: 'He left." Then ...'.
CLOSERS = {'"', "'", "”", "’", ")", "]", "»"}
# "we" and "I" are resolved only from a speaker in the same sentence, never from earlier ones.
ANAPHORS = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
LEMMA_POS = ("verb", "noun")

# Word flags (what the sentence gets) and token flags (how the rule splitter sees the token).
# GATED: a trigger that counts only beside one of the words its patterns require ("was behind",
# "held talks"); GATE: one of those words.
EVENT, AGENT, ANAPHOR, GATED, GATE = 1, 2, 4, 256, 512
SPACE, NEWLINE, END, CLOSER, GLUED = 8, 16, 32, 64, 128  # GLUED: no space after the token
WORD_FLAGS = EVENT | AGENT | ANAPHOR | GATED | GATE


@dataclass(frozen=True)
class Passage:
    """A run of adjacent kept sentences: characters ``start``-``end`` of the article.

    ``dropped_before`` counts the non-blank sentences skipped before it, so that sentence indices
    of events stay those of the whole article.
    """

    start: int
    end: int
    dropped_before: int


@dataclass(frozen=True)
class Selection:
    """What the pre-filter kept of one article."""

    passages: tuple[Passage, ...]
    sentences: int  # non-blank rule sentences in the article
    kept: int  # of which kept
    dropped_countries: tuple[tuple[int, str], ...] = ()  # (character offset, ISO code) of names left out


class PreFilter:
    """Decides, from tokens alone, which sentences of an article the parser must see.

    Args:
        nlp: the pipeline (its tokenizer and its lemmatizer's tables are used; nothing is run).
        actors: the actor dictionary whose names and agent nouns count as actor candidates.
        books: pattern books (event patterns, attribution claims): their trigger verbs and nouns
            are the event words (see ``trigger_gates``).
    """

    def __init__(self, nlp: Language, actors: ActorDictionary, books: Iterable) -> None:
        self.nlp = nlp
        self.matcher = actors.matcher_for(nlp)
        self.phrases = actors.phrases
        gates = trigger_gates(books)
        self.event_lemmas = {lemma for lemma, gate in gates.items() if gate is None}
        self.gates = {lemma: gate for lemma, gate in gates.items() if gate is not None}
        self.gate_words = set().union(*self.gates.values())
        self.agent_heads = {phrase.split()[-1] for phrase in actors.agents}
        self.group_nouns = STATE_GROUP_NOUNS | PERSON_GROUP_NOUNS
        tables = lemma_tables(nlp)
        self.lemma_rules = tables.get_table("lemma_rules") if tables else {}
        self.lemma_exc = tables.get_table("lemma_exc") if tables else {}
        self._flags: dict[int, int] = {}  # lower-case form's hash -> flags
        # Only for the few forms that are gated triggers or gate words: which gates, which words.
        self._form_gates: dict[int, frozenset[str]] = {}
        self._form_gate_words: dict[int, frozenset[str]] = {}

    # ------------------------------------------------------------------ words
    def lemma_candidates(self, word: str) -> set[str]:
        """Every lemma the word could have as a verb or a noun (a superset: it only decides what to parse)."""
        found = {word}
        for pos in LEMMA_POS:
            found.update(self.lemma_exc.get(pos, {}).get(word, ()))
            for old, new in self.lemma_rules.get(pos, ()):
                if word.endswith(old):
                    found.add(word[: len(word) - len(old)] + new)
        return found

    def word_flags(self, word: str) -> int:
        """EVENT, AGENT, ANAPHOR, GATED and GATE bits of a lower-cased word."""
        lemmas = self.lemma_candidates(word)
        flags = (EVENT if lemmas & self.event_lemmas else 0) | (AGENT if lemmas & self.agent_heads else 0)
        if word in ANAPHORS or lemmas & self.group_nouns:
            flags |= ANAPHOR
        if not flags & EVENT and lemmas & self.gates.keys():
            flags |= GATED
        if lemmas & self.gate_words:
            flags |= GATE
        return flags

    def token_flags(self, doc: Doc) -> tuple[list[int], list[int]]:
        """Word and splitter flags of every token, and its lower-case form's hash, from flags cached
        per form (news vocabulary repeats, so nearly every token is a dictionary look-up)."""
        cache = self._flags
        strings = doc.vocab.strings
        out, forms = [], []
        for lower, trailing_space in doc.to_array([LOWER, SPACY]).tolist():
            flags = cache.get(lower)
            if flags is None:
                flags = cache[lower] = self._form_flags(lower, strings[lower])
            out.append(flags if trailing_space else flags | GLUED)
            forms.append(lower)
        return out, forms

    def may_trigger(self, tokens: Iterable) -> bool:
        """Whether any of these (parsed) tokens could be the trigger of an event or a claim: a
        sentence with none needs its actors read, for the sentences after it, but no coding."""
        cache = self._flags
        for token in tokens:
            flags = cache.get(token.lower)
            if flags is None:
                flags = cache[token.lower] = self._form_flags(token.lower, token.lower_)
            if flags & (EVENT | GATED):
                return True
        return False

    def _form_flags(self, key: int, text: str) -> int:
        flags = self._text_flags(text)
        if flags & (GATED | GATE):
            lemmas = self.lemma_candidates(text)
            self._form_gates[key] = frozenset().union(*(self.gates[lemma] for lemma in lemmas & self.gates.keys()))
            self._form_gate_words[key] = frozenset(lemmas & self.gate_words)
        return flags

    def _gate_open(self, forms: list[int], token_flags: list[int], start: int, end: int) -> bool:
        """Whether a sentence holds a gated trigger together with one of the words it needs."""
        gates = [self._form_gates[forms[i]] for i in range(start, end) if token_flags[i] & GATED]
        words = set().union(*(self._form_gate_words[forms[i]] for i in range(start, end) if token_flags[i] & GATE))
        return any(gate & words for gate in gates)

    def _text_flags(self, text: str) -> int:
        if text.isspace():
            return SPACE | (NEWLINE if "\n" in text else 0)
        if text in SENTENCE_END:
            return END
        if text in CLOSERS:
            return CLOSER
        return self.word_flags(text) if any(char.isalnum() for char in text) else 0

    # -------------------------------------------------------------- sentences
    def select(self, doc: Doc) -> Selection:
        """Choose the passages of a tokenised article (``nlp.make_doc``) to parse."""
        token_flags, forms = self.token_flags(doc)
        bounds = _split(token_flags)
        sentence_of = [0] * len(doc)
        flags = [0] * len(bounds)
        blank = [True] * len(bounds)
        for index, (start, end) in enumerate(bounds):
            for i in range(start, end):
                sentence_of[i] = index
                flags[index] |= token_flags[i] & WORD_FLAGS
                if not token_flags[i] & SPACE:
                    blank[index] = False
        named = [False] * len(bounds)
        countries = []  # (start token, ISO code) of country names, longest match first
        taken: set[int] = set()
        for match_id, start, end in sorted(self.matcher(doc), key=lambda m: (m[1] - m[2], m[1])):
            named[sentence_of[start]] = True
            if taken.isdisjoint(range(start, end)):
                taken.update(range(start, end))
                entry = self.phrases[doc.vocab.strings[match_id]][0]
                if entry.kind in COUNTRY_NAME_KINDS:
                    countries.append((start, entry.key))
        keep = [False] * len(bounds)
        for index, (start, end) in enumerate(bounds):
            if flags[index] & GATED and not flags[index] & EVENT and self._gate_open(forms, token_flags, start, end):
                flags[index] |= EVENT
        for index in range(len(bounds)):
            flag = flags[index]
            has_actor = named[index] or flag & AGENT
            if not (flag & EVENT and (has_actor or flag & ANAPHOR)):
                continue
            antecedents = []
            if flag & ANAPHOR or not named[index]:
                window = range(max(0, index - COREF_WINDOW), index)
                # Every sentence of the window that names an actor, and the nearest one with an
                # agent noun ("the Secretary" two sentences up stands behind a later "he").
                antecedents = [j for j in window if named[j]]
                if not named[index]:
                    antecedents += [j for j in reversed(window) if flags[j] & AGENT and not named[j]][:1]
            if not has_actor and not antecedents:
                continue  # a pronoun with no actor named before it: nothing it could stand for
            keep[index] = True
            for j in antecedents:
                keep[j] = True
        selection = _passages(doc, token_flags, bounds, keep, blank)
        dropped = tuple(sorted((doc[start].idx, iso3) for start, iso3 in countries if not keep[sentence_of[start]]))
        return dataclasses.replace(selection, dropped_countries=dropped)


def trigger_gates(books: Iterable) -> dict[str, frozenset[str] | None]:
    """Each trigger lemma of the books, with the words one of which must stand in its sentence:
    None when some pattern of the trigger needs no particular word ("condemn"), else words its
    patterns cannot match without: the rest of a phrase ("take part", "peace talks") or the
    lemmas they require ("be" only with "behind", "hold" only with "talks", ...)."""
    gates: dict[str, frozenset[str] | None] = {}
    for book in books:
        for index, key_of in ((book.by_verb, lambda phrase: phrase[0]), (book.by_noun, lambda phrase: phrase[-1])):
            for lemma, patterns in index.items():
                for pattern in patterns:
                    if lemma in gates and gates[lemma] is None:
                        break
                    # A phrase ("peace deal") is looked for by its last word.
                    required = [{word.split()[-1] for word in c.lemmas} for c in pattern.requires if c.lemmas]
                    for phrase in (*pattern.verbs, *pattern.nouns):
                        if key_of(phrase) != lemma:
                            continue
                        rest = phrase[1:] if index is book.by_verb else phrase[:-1]
                        needed = required + [{word} for word in rest]
                        if not needed:
                            gates[lemma] = None
                            break
                        # Every one is necessary, so any one of them is a fair gate: the rarest
                        # ("alert", "standby" rather than "on"; "part" rather than "take").
                        gate = min(needed, key=lambda words: (bool(words & STOP_WORDS), len(words)))
                        gates[lemma] = gates.get(lemma, frozenset()).union(gate)
    return gates


def split_sentences(doc: Doc, prefilter: PreFilter) -> list[tuple[int, int]]:
    """Rule sentences of a tokenised text: token ranges ending at a full stop or a line break."""
    return _split(prefilter.token_flags(doc)[0])


def _split(token_flags: list[int]) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    ended = False
    for i, flags in enumerate(token_flags):
        # A closing mark sticks to the full stop before it; after a space it opens the next sentence.
        attached = flags & END or (flags & CLOSER and i > 0 and token_flags[i - 1] & GLUED)
        if ended and not attached:
            bounds.append((start, i))
            start, ended = i, False
        if flags & END:
            ended = True
        elif flags & NEWLINE:
            if i > start:
                bounds.append((start, i))
            start, ended = i, False
    if start < len(token_flags):
        bounds.append((start, len(token_flags)))
    return bounds


def _passages(doc: Doc, token_flags: list[int], bounds: list[tuple[int, int]], keep: list[bool],
              blank: list[bool]) -> Selection:
    passages, dropped, run = [], 0, None
    for index, (start, end) in enumerate(bounds + [(len(doc), len(doc))]):
        if index < len(bounds) and keep[index]:
            run = run or [start, end, dropped]
            run[1] = end
            continue
        if run is not None:
            first, last = run[0], run[1]
            while token_flags[first] & SPACE:
                first += 1
            while token_flags[last - 1] & SPACE:
                last -= 1
            passages.append(Passage(doc[first].idx, doc[last - 1].idx + len(doc[last - 1]), run[2]))
            run = None
        if index < len(bounds) and not blank[index]:
            dropped += 1
    sentences = sum(1 for b in blank if not b)
    return Selection(tuple(passages), sentences, sum(1 for k, b in zip(keep, blank) if k and not b))


@dataclass(frozen=True)
class KeptText:
    """The article as the parser gets it: kept passages where they were, every dropped stretch
    turned into a line break and spaces.

    The text keeps the article's length, so every character offset of the parse (sentence,
    trigger, actor spans) is already the article's. A line break ends a sentence in the pipeline,
    so no sentence runs across a dropped stretch, and a run of blanks is a single token, so the
    parser's work is the kept passages'.
    """

    text: str
    passage_starts: tuple[int, ...]
    dropped_before: tuple[int, ...]
    kept_chars: int  # characters of the kept passages: what the parser really reads
    dropped_countries: tuple[tuple[int, str], ...]  # (character offset, ISO code) in dropped text

    @classmethod
    def build(cls, text: str, selection: Selection) -> "KeptText":
        pieces, position = [], 0
        for passage in selection.passages:
            pieces.append(_blank(passage.start - position))
            pieces.append(text[passage.start:passage.end])
            position = passage.end
        pieces.append(_blank(len(text) - position))
        return cls("".join(pieces), tuple(p.start for p in selection.passages),
                   tuple(p.dropped_before for p in selection.passages),
                   sum(p.end - p.start for p in selection.passages), selection.dropped_countries)

    def country_mentions(self, doc: Doc) -> list[tuple[int, str]]:
        """The dropped country names as (index of the blank token that now holds them, ISO code)."""
        starts = doc.to_array(IDX).tolist()
        return [(max(0, bisect.bisect_right(starts, offset) - 1), iso3) for offset, iso3 in self.dropped_countries]

    def sentence_index(self, position: int, offset: int) -> int:
        """The article's index of the parse's ``position``-th sentence, which starts at ``offset``:
        the sentences dropped before its passage count too."""
        passage = max(0, bisect.bisect_right(self.passage_starts, offset) - 1)
        return position + self.dropped_before[passage]


def _blank(length: int) -> str:
    return "\n" + " " * (length - 1) if length > 0 else ""
