"""PETRARCH/TABARI dictionaries: readers, and a verb-pattern coder on spaCy's dependency parse.

Research groups keep years of work in PETRARCH's flat-file dictionaries (``docs/petrarch.md``
describes what is supported). This module reads the four kinds and turns them into Kautilya's
own structures:

- actor dictionaries (``ARNOR_ [ARN]``, synonyms ``+GONDOR``, date-restricted codes
  ``\\t[HOBGOV 19950601-19990815]``) become ``CodedActor`` entries of the ``ActorDictionary``;
- agent dictionaries (``FOREIGN_MINISTER [~GOVFRM]``, ``MSF {} [NGO~]``, ``!PERSON!``
  substitutions, automatic plurals) become ``AgentCode`` entries of the same dictionary;
- discard lists become a ``Discards`` filter (sentence or whole story);
- verb dictionaries (synsets ``&NAME``, blocks ``--- NAME [code] ---``, verbs with their
  forms, patterns ``- $ * (TO BORDER) + [154]``) become a ``VerbMatcher`` that the coder
  consults before its own patterns (``coding.code_sentence``).

PETRARCH matches patterns on a constituency parse; here the words before ``*`` are looked for
in the sentence before the verb and the words after it in the verb's own phrase (its
dependency subtree, without coordinated predicates), in order, ``_`` meaning "next word".
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .actors import ActorDictionary, ActorResolver, AgentCode, CodedActor, DatedCodes
from .coding import Candidate, Pattern, PatternBook, _confidence, _is_negated, _is_passive, _subject_of
from .errors import DictionaryError
from .schema import Actor

log = logging.getLogger(__name__)

NULL_CODE = "---"
# Pattern elements that stand for actors rather than words.
SOURCE, TARGET, COMPOUND, SKIP, VERB = "$", "+", "%", "^", "*"
MARKERS = {SOURCE, TARGET, COMPOUND, SKIP}
# TABARI's discard and "complex event" codes: PETRARCH keeps discards in their own list.
IGNORED_CODES = {"###", "+++"}


# --------------------------------------------------------------------------- file lines


def _content_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, text) without comments and blank lines, keeping leading whitespace.

    Comments: ``<!-- ... -->`` (also over several lines, and TABARI's ``<! -- ...``), ``#`` at
    the start of a line or after a blank or ``]``, and anything after ``;`` (KEDS/TABARI).
    """
    in_comment = False
    try:
        handle = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise DictionaryError(f"cannot read dictionary: {exc}", source=str(path)) from exc
    with handle:
        for line_no, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if in_comment:
                if "-->" not in line:
                    continue
                in_comment = False
                line = line.split("-->", 1)[1]
            line = re.sub(r"<!.*?-->", "", line)
            if line.lstrip().startswith("<!"):
                in_comment = True
                continue
            line = re.split(r"(?:^|(?<=[\s\]}]))#", line, maxsplit=1)[0].split(";", 1)[0]
            if line.strip():
                yield line_no, line.rstrip()


def _report(error: DictionaryError, problems: list[DictionaryError] | None) -> None:
    """Raise a bad line's error, or (lenient reading) keep it, warn and go on."""
    if problems is None:
        raise error
    log.warning("%s (line skipped)", error.describe())
    problems.append(error)


def _words(phrase: str) -> tuple[str, ...]:
    """``GOLDEN_GOBLIN_GALLEONS`` or ``CARAS GALADHON`` -> lower-case words."""
    return tuple(w.lower() for w in re.split(r"[_\s]+", phrase) if w)


def plural(word: str) -> str:
    """The regular English plural PETRARCH generates for dictionary nouns."""
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def verb_forms(verb: str) -> tuple[str, ...]:
    """The regular forms of a verb: ``depart`` -> departs, departed, departing."""
    if re.search(r"[^aeiou]y$", verb):
        third, past = verb[:-1] + "ies", verb[:-1] + "ied"
    else:
        third = verb + "es" if re.search(r"(s|x|z|ch|sh)$", verb) else verb + "s"
        past = verb + "d" if verb.endswith("e") else verb + "ed"
    gerund = verb[:-1] + "ing" if verb.endswith("e") and not verb.endswith("ee") else verb + "ing"
    return verb, third, past, gerund


# --------------------------------------------------------------------------- codes


@dataclass(frozen=True)
class EventCodes:
    """A pattern's or verb's code: ``[064]``, paired ``[032:033]`` (the second for the target's
    reply, target -> source), ``[:173]`` (only that), or ``[---]`` (no event)."""

    forward: str | None = None
    reverse: str | None = None

    @property
    def is_null(self) -> bool:
        return self.forward is None and self.reverse is None


def parse_event_codes(text: str) -> EventCodes:
    forward, _, reverse = text.strip().partition(":")
    forward, reverse = forward.strip(), reverse.strip()
    return EventCodes(None if forward in ("", NULL_CODE) else forward,
                      None if reverse in ("", NULL_CODE) else reverse)


# --------------------------------------------------------------------------- verbs


@dataclass(frozen=True)
class Element:
    """One pattern element: a word, a synset (``&NAME``) or an actor marker ($ + % ^).

    ``joined``: TABARI's ``_``, this element must directly follow the one before it in the
    sentence (for the first word after ``*``, the verb; for the last before it, it must
    directly precede the verb).
    """

    kind: str  # "word", "synset" or one of MARKERS
    text: str = ""
    joined: bool = False


@dataclass(frozen=True)
class VerbPattern:
    upper: tuple[Element, ...]  # before the verb, in sentence order
    lower: tuple[Element, ...]  # after the verb
    verb_joined: bool  # ``IN_*``: the last upper element directly precedes the verb
    codes: EventCodes
    source: str  # file:line, the provenance written on events
    # PETRARCH 2 dictionaries (patterns with "(PREP ...)" and "{NOUN PHRASE}" groups) name the
    # verb's own phrases: their words are not looked for inside other clauses.
    phrase_bound: bool = False

    @property
    def length(self) -> int:
        """More specific patterns are tried first (PETRARCH's "longer patterns win")."""
        return len(self.upper) + len(self.lower)

    def synsets(self) -> set[str]:
        return {e.text for e in (*self.upper, *self.lower) if e.kind == "synset"}


@dataclass
class VerbBlock:
    name: str
    codes: EventCodes
    source: str
    patterns: list[VerbPattern] = field(default_factory=list)


@dataclass(frozen=True)
class VerbForm:
    """One written form of a dictionary verb: ``("broken", "down")`` with the verb at 0."""

    words: tuple[str, ...]
    verb_at: int
    block: VerbBlock
    codes: EventCodes | None  # the verb's own code (``DOWNPLAY [014]``), else the block's

    @property
    def effective_codes(self) -> EventCodes:
        return self.codes if self.codes is not None else self.block.codes


@dataclass
class VerbDictionary:
    source: str
    synsets: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    blocks: list[VerbBlock] = field(default_factory=list)
    forms: dict[str, list[VerbForm]] = field(default_factory=dict)  # verb word -> its forms
    transformations: list[str] = field(default_factory=list)  # read and kept, not applied

    @property
    def pattern_count(self) -> int:
        return sum(len(b.patterns) for b in self.blocks)


_CODE_AT_END = re.compile(r"\[([^\[\]]*)\]\s*$")
_BRACES = re.compile(r"\{([^{}]*)\}")


def read_verb_dictionary(path: str | Path, problems: list[DictionaryError] | None = None) -> VerbDictionary:
    """Read a PETRARCH (or TABARI-style) verb dictionary.

    Args:
        path: the file.
        problems: ``None`` to raise at the first bad line; a list to collect the errors of bad
            lines, which are then skipped (each also logged as a warning).

    Raises:
        DictionaryError: a pattern without ``[code]`` or without exactly one ``*``, a verb or
            pattern before the first block, an unreadable verb line, or an undefined synset
            (file and line named).
    """
    path = Path(path)
    book = VerbDictionary(source=str(path))
    raw_synsets: dict[str, tuple[bool, list[tuple[str, int]]]] = {}
    open_synset: str | None = None
    block: VerbBlock | None = None
    patterns_at: list[tuple[VerbBlock, VerbPattern, int]] = []
    grouped = False  # PETRARCH 2 phrase groups "(TO BORDER)", "{ARMS SHIPMENT}" seen
    for line_no, line in _content_lines(path):
        text = line.strip()
        if text.startswith("&"):
            label = text.split()[0][1:]
            open_synset = label.rstrip("_").upper()
            raw_synsets[open_synset] = (label.endswith("_"), [])
            continue
        if text.startswith("+") and open_synset is not None:
            raw_synsets[open_synset][1].append((text[1:].strip(), line_no))
            continue
        open_synset = None
        try:
            if text.startswith("---"):
                block = _parse_block_header(text, path, line_no)
                book.blocks.append(block)
            elif text.startswith("~"):
                book.transformations.append(text[1:].strip())
            elif block is None:
                raise DictionaryError("verb or pattern before the first '--- NAME [code] ---' block",
                                      source=str(path), line=line_no)
            elif text.startswith("-"):
                grouped = grouped or bool(re.search(r"[(){}]", text))
                pattern = _parse_pattern(text[1:], path, line_no)
                if pattern is not None:
                    patterns_at.append((block, pattern, line_no))
            else:
                for form in _parse_verb_line(text, block, path, line_no):
                    book.forms.setdefault(form.words[form.verb_at], []).append(form)
        except DictionaryError as error:
            _report(error, problems)
    book.synsets = _expand_synsets(raw_synsets, path, problems)
    for owner, pattern, line_no in patterns_at:
        pattern = replace(pattern, phrase_bound=grouped)
        missing = pattern.synsets() - set(book.synsets)
        if missing:
            _report(DictionaryError(f"pattern uses undefined synset &{sorted(missing)[0]}",
                                    source=str(path), line=line_no), problems)
        else:
            owner.patterns.append(pattern)
    for b in book.blocks:
        b.patterns.sort(key=lambda p: -p.length)  # stable: equal lengths keep file order
    return book


def _parse_block_header(text: str, path: Path, line_no: int) -> VerbBlock:
    codes = re.findall(r"\[([^\[\]]*)\]", text)
    name = re.sub(r"\[[^\]]*\]", " ", text).strip("- \t")
    if not name:
        raise DictionaryError("block header without a name ('--- NAME [code] ---')",
                              source=str(path), line=line_no)
    return VerbBlock(name=name.split()[0].rstrip("_").upper(),
                     codes=parse_event_codes(codes[0]) if codes else EventCodes(),
                     source=f"{path.name}:{line_no}")


def _parse_pattern(body: str, path: Path, line_no: int) -> VerbPattern | None:
    match = _CODE_AT_END.search(body)
    if not match:
        raise DictionaryError("pattern has no [code] at its end", source=str(path), line=line_no)
    if match.group(1).strip() in IGNORED_CODES:
        return None
    codes = parse_event_codes(match.group(1))
    items: list[tuple[str, bool]] = []
    # A "*" glued to a word ("*SCEPTICAL") is still the verb.
    for chunk in re.sub(r"(?<=[^\s_*])\*|\*(?=[^\s_*])", lambda m: f" {m.group(0)} ", body[: match.start()]).split():
        parts = chunk.strip("(){}").split("_")
        for k, part in enumerate(parts):
            part = part.strip("(){}")
            if part:
                items.append((VERB if part == "**" else part, k > 0 and parts[k - 1] != ""))
    verbs = [k for k, (item, _) in enumerate(items) if item == VERB]
    if len(verbs) != 1:
        raise DictionaryError(f"pattern needs exactly one '*' for the verb, found {len(verbs)}",
                              source=str(path), line=line_no)
    elements = [_element(item, joined) for item, joined in items]
    at = verbs[0]
    return VerbPattern(upper=tuple(elements[:at]), lower=tuple(elements[at + 1:]),
                       verb_joined=items[at][1], codes=codes, source=f"{path.name}:{line_no}")


def _element(item: str, joined: bool) -> Element:
    if item in MARKERS:
        return Element(item, joined=joined)
    if item.startswith("&"):
        return Element("synset", item[1:].rstrip("_").upper(), joined)
    return Element("word", item.lower(), joined)


def _parse_verb_line(text: str, block: VerbBlock, path: Path, line_no: int) -> list[VerbForm]:
    codes = None
    match = re.search(r"\[([^\[\]]*)\]", text)  # usually last; "SNUB [111] {SNUBS ...}" also occurs
    if match:
        codes = parse_event_codes(match.group(1))
        text = text[: match.start()] + " " + text[match.end():]
    listed = _BRACES.search(text)
    phrase = (text[: listed.start()] if listed else text).strip()
    if not phrase or any(c in phrase for c in "[]{}"):
        raise DictionaryError(f"cannot read verb line {text.strip()!r}", source=str(path), line=line_no)
    base = _marked_verb(phrase)
    variants = [base]
    if listed:
        variants += [_marked_verb(form) for form in listed.group(1).split()]
    else:
        words, at = base
        variants += [(words[:at] + (form,) + words[at + 1:], at) for form in verb_forms(words[at])[1:]]
    return [VerbForm(words, at, block, codes) for words, at in dict.fromkeys(variants)]


def _marked_verb(phrase: str) -> tuple[tuple[str, ...], int]:
    """``WIRE_+TAP`` -> (("wire", "tap"), 1): ``+`` marks the verb in a multi-word verb."""
    raw = [w for w in re.split(r"[_\s]+", phrase) if w]
    at = next((k for k, w in enumerate(raw) if w.startswith("+")), 0)
    return tuple(w.lstrip("+").rstrip("_").lower() for w in raw), at


def _expand_synsets(raw: dict[str, tuple[bool, list[tuple[str, int]]]], path: Path,
                    problems: list[DictionaryError] | None) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each synset's phrases, with members that name other synsets expanded and plurals added
    (unless the label or the phrase ends with ``_``)."""
    done: dict[str, tuple[tuple[str, ...], ...]] = {}

    def expand(name: str, seen: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        if name in done:
            return done[name]
        no_plurals, members = raw[name]
        phrases: list[tuple[str, ...]] = []
        for member, line_no in members:
            if member.startswith("&"):
                inner = member[1:].rstrip("_").upper()
                if inner not in raw or inner in seen:
                    _report(DictionaryError(f"synset &{name} includes undefined or circular &{inner}",
                                            source=str(path), line=line_no), problems)
                else:
                    phrases += expand(inner, seen + (inner,))
                continue
            words = _words(member)
            if not words:
                continue
            phrases.append(words)
            if not no_plurals and not member.endswith("_"):
                phrases.append(words[:-1] + (plural(words[-1]),))
        done[name] = tuple(dict.fromkeys(phrases))
        return done[name]

    for name in raw:
        expand(name, (name,))
    return done


# --------------------------------------------------------------------------- actors


@dataclass
class ActorRecord:
    """One actor of a PETRARCH actor dictionary: its phrases and its (dated) codes."""

    name: str
    phrases: list[tuple[str, ...]]
    codes: tuple[str, ...] = ()  # the default, when no dated codes apply
    dated: list[DatedCodes] = field(default_factory=list)
    source: str = ""


_RESTRICTION = re.compile(r"^(?:(<|>)\s*(\d+)|(\d+)\s*-\s*(\d+))$")


def read_actor_dictionary(path: str | Path, problems: list[DictionaryError] | None = None) -> list[ActorRecord]:
    """Read a PETRARCH actor dictionary: ``PHRASE [CODE]``, ``+SYNONYM`` lines, and date
    restrictions ``[CODE <YYYYMMDD]``, ``[CODE >YYMMDD]``, ``[CODE date-date]`` on indented lines.

    Args:
        path: the file.
        problems: ``None`` to raise at the first bad line; a list to collect the errors of bad
            lines (unreadable actor lines, unreadable date restrictions such as a
            seven-digit date), which are then skipped and logged.

    Raises:
        DictionaryError: a synonym or restriction before the first actor, a line that is
            neither, or a date restriction that cannot be read (file and line named).
    """
    path = Path(path)
    records: list[ActorRecord] = []
    current: ActorRecord | None = None
    for line_no, line in _content_lines(path):
        text = line.strip()
        try:
            if text.startswith("[") or text.startswith("+"):
                if current is None:
                    raise DictionaryError("synonym or date restriction before the first actor",
                                          source=str(path), line=line_no)
                if text.startswith("+"):
                    phrase = text[1:].split("[", 1)[0]
                    if _words(phrase):
                        current.phrases.append(_words(phrase))
                    text = text[len(phrase) + 1:]
                for content in re.findall(r"\[([^\[\]]*)\]", text):
                    _add_codes(current, content, path, line_no)
                continue
            phrase = text.split("[", 1)[0]
            if not _words(phrase) or "]" in phrase:
                raise DictionaryError(f"cannot read actor line {text!r}", source=str(path), line=line_no)
            current = ActorRecord(name=" ".join(_words(phrase)).upper(), phrases=[_words(phrase)],
                                  source=f"{path.name}:{line_no}")
            records.append(current)
            for content in re.findall(r"\[([^\[\]]*)\]", text[len(phrase):]):
                _add_codes(current, content, path, line_no)
        except DictionaryError as error:
            _report(error, problems)
    return records


def _add_codes(record: ActorRecord, content: str, path: Path, line_no: int) -> None:
    parts = content.strip().split(None, 1)
    if not parts:
        raise DictionaryError("empty [code]", source=str(path), line=line_no)
    codes = tuple(c.upper() for c in parts[0].split("/") if c and c != NULL_CODE)
    if len(parts) == 1:
        record.codes = codes
        return
    match = _RESTRICTION.match(parts[1].strip())
    try:
        if not match:
            raise ValueError("expected <DATE, >DATE or DATE-DATE")
        if match.group(1) == "<":
            dated = DatedCodes(codes, end=_iso_date(match.group(2)))
        elif match.group(1) == ">":
            dated = DatedCodes(codes, start=_iso_date(match.group(2)))
        else:
            dated = DatedCodes(codes, _iso_date(match.group(3)), _iso_date(match.group(4)))
    except ValueError as exc:
        raise DictionaryError(f"cannot read the date restriction [{content.strip()}] ({exc})",
                              source=str(path), line=line_no) from None
    record.dated.append(dated)


def _iso_date(digits: str) -> str:
    """``19950601`` or TABARI's ``950601`` -> 1995-06-01 (two-digit years up to 30 are 20xx)."""
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year <= 30 else 1900 + year}{digits[2:]}"
    if len(digits) != 8:
        raise ValueError(f"{digits!r} is not YYYYMMDD or YYMMDD")
    month, day = int(digits[4:6]), int(digits[6:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"{digits!r} is not a date")
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


# --------------------------------------------------------------------------- agents


@dataclass
class AgentRecord:
    """One agent: its phrases (with plurals) and code, added after the actor's code
    (``~GOV``) or before it (``NGO~``)."""

    phrases: list[tuple[str, ...]]
    code: str
    prefix: bool
    source: str


def read_agent_dictionary(path: str | Path, problems: list[DictionaryError] | None = None) -> list[AgentRecord]:
    """Read a PETRARCH agent dictionary: ``PHRASE {PLURALS} [~CODE]``, with ``!NAME! = A, B``
    substitution sets. Regular plurals are generated unless ``{}`` (none) or ``{...}`` (these)
    is given; phrases built from a substitution set get no further plurals.

    Args:
        path: the file.
        problems: ``None`` to raise at the first bad line; a list to collect the errors of bad
            lines, which are then skipped and logged.

    Raises:
        DictionaryError: an entry without ``[~CODE]`` or ``[CODE~]``, or an undefined
            ``!NAME!`` (file and line named).
    """
    path = Path(path)
    substitutions: dict[str, list[str]] = {}
    records: list[AgentRecord] = []
    for line_no, line in _content_lines(path):
        text = line.strip()
        definition = re.match(r"^(![A-Z0-9_]+!)\s*=\s*(.*)$", text, re.I)
        if definition:
            substitutions[definition.group(1).upper()] = [s.strip() for s in definition.group(2).split(",") if s.strip()]
            continue
        try:
            records.append(_parse_agent(text, substitutions, path, line_no))
        except DictionaryError as error:
            _report(error, problems)
    return records


def _parse_agent(text: str, substitutions: dict[str, list[str]], path: Path, line_no: int) -> AgentRecord:
    match = _CODE_AT_END.search(text)
    if not match or "~" not in match.group(1):
        raise DictionaryError(f"agent entry needs a [~CODE] or [CODE~] at its end: {text!r}",
                              source=str(path), line=line_no)
    code = match.group(1).strip()
    listed = _BRACES.search(text[: match.start()])
    phrase = (text[: listed.start()] if listed else text[: match.start()]).strip()
    markers = re.findall(r"![A-Z0-9_]+!", phrase, re.I)
    if markers:
        expansions = [phrase]
        for marker in dict.fromkeys(m.upper() for m in markers):
            if marker not in substitutions:
                raise DictionaryError(f"undefined substitution set {marker}", source=str(path), line=line_no)
            expansions = [re.sub(re.escape(marker), item, e, flags=re.I)
                          for e in expansions for item in substitutions[marker]]
        phrases = [_words(e) for e in expansions if _words(e)]
    else:
        words = _words(phrase)
        phrases = [words] if words else []
        if words and listed is None:
            phrases.append(words[:-1] + (plural(words[-1]),))
        elif words:
            phrases += [_words(p) for p in listed.group(1).split() if _words(p)]
    if not phrases:
        raise DictionaryError(f"agent entry without a phrase: {text!r}", source=str(path), line=line_no)
    return AgentRecord(phrases=phrases, code=code.strip("~ ").upper(), prefix=code.endswith("~"),
                       source=f"{path.name}:{line_no}")


# --------------------------------------------------------------------------- discards


@dataclass
class Discards:
    """Phrases that mark a sentence (or, with ``+``, a whole story) as not to be coded:
    sports results, chronologies. Matching ignores case; a phrase written with a final ``_``
    must end at a word boundary, otherwise it also matches longer words (``TYPHOON`` matches
    "typhoons")."""

    sentence: list[str] = field(default_factory=list)
    story: list[str] = field(default_factory=list)
    _patterns: dict[bool, re.Pattern | None] = field(default_factory=dict, repr=False)

    def add(self, phrase: str, story: bool) -> None:
        (self.story if story else self.sentence).append(phrase)
        self._patterns.clear()

    def hits_sentence(self, text: str) -> bool:
        return self._search(False, text)

    def hits_story(self, text: str) -> bool:
        return self._search(True, text)

    def _search(self, story: bool, text: str) -> bool:
        if story not in self._patterns:
            phrases = self.story if story else self.sentence
            parts = [r"\s+".join(map(re.escape, _words(p))) + (r"\b" if p.endswith("_") else "")
                     for p in phrases if _words(p)]
            self._patterns[story] = re.compile(r"\b(?:" + "|".join(parts) + ")", re.I) if parts else None
        pattern = self._patterns[story]
        return bool(pattern and pattern.search(text))


def read_discards(path: str | Path, into: Discards | None = None) -> Discards:
    """Read a PETRARCH discard list: one phrase a line, ``+`` in front for a whole story."""
    discards = into if into is not None else Discards()
    for _, line in _content_lines(Path(path)):
        text = line.strip()
        discards.add(text.lstrip("+").strip(), story=text.startswith("+"))
    return discards


# --------------------------------------------------------------------------- loading


def detect_kind(path: str | Path) -> str:
    """"verbs", "actors", "agents" or "discards": from the file name (PETRARCH's own naming,
    ``*.verbs.txt``, ``*.actors.txt``...), else from the content.

    Raises:
        DictionaryError: an issues or prepositions file (not supported), or a file of no known
            kind.
    """
    path = Path(path)
    name = path.name.lower()
    for unsupported in ("issue", "preposition"):
        if unsupported in name:
            raise DictionaryError(f"PETRARCH {unsupported} files are not supported", source=str(path))
    for kind, words in (("verbs", ("verb",)), ("agents", ("agent",)), ("discards", ("discard",)),
                        ("actors", ("actor",))):
        if any(w in name for w in words):
            return kind
    lines = [text for _, text in islice(_content_lines(path), 2000)]
    if any(t.startswith("<ISSUE") for t in lines):
        raise DictionaryError("PETRARCH issue files are not supported", source=str(path))
    if any(t.startswith("---") for t in lines) and any(re.match(r"^-\s.*\*", t) for t in lines):
        return "verbs"
    coded = [t for t in lines if _CODE_AT_END.search(t)]
    if coded and sum("~" in t for t in coded) * 2 > len(coded):
        return "agents"
    if coded:
        return "actors"
    if lines:
        return "discards"
    raise DictionaryError("cannot tell what kind of PETRARCH dictionary this is (name it "
                          "*.verbs.txt, *.actors.txt, *.agents.txt or *.discards.txt)", source=str(path))


@dataclass
class PetrarchDictionaries:
    """Everything read from a set of PETRARCH dictionary files."""

    files: tuple[str, ...]
    verbs: list[VerbDictionary] = field(default_factory=list)
    actors: list[ActorRecord] = field(default_factory=list)
    agents: list[AgentRecord] = field(default_factory=list)
    discards: Discards = field(default_factory=Discards)
    problems: list[DictionaryError] = field(default_factory=list)  # lines skipped (lenient)

    @property
    def version(self) -> str:
        return "+".join(Path(f).name for f in self.files)


@lru_cache(maxsize=4)
def load_dictionaries(files: tuple[str, ...], lenient: bool = False) -> PetrarchDictionaries:
    """Read PETRARCH dictionary files of any kind (told apart by ``detect_kind``).

    Args:
        files: the files, in order.
        lenient: skip lines that cannot be read (listed in ``problems`` and logged) instead of
            failing; published dictionaries carry a few typos.

    Raises:
        DictionaryError: a file that cannot be read or (unless ``lenient``) a bad line.
    """
    out = PetrarchDictionaries(files=files)
    problems = out.problems if lenient else None
    for name in files:
        kind = detect_kind(name)
        if kind == "verbs":
            out.verbs.append(read_verb_dictionary(name, problems))
        elif kind == "actors":
            out.actors += read_actor_dictionary(name, problems)
        elif kind == "agents":
            out.agents += read_agent_dictionary(name, problems)
        else:
            read_discards(name, into=out.discards)
    return out


# --------------------------------------------------------------------------- into Kautilya


def use_dictionaries(files: Iterable[str], actors: ActorDictionary, patterns: PatternBook, nlp: Language,
                     lenient: bool = False) -> tuple[PatternBook, Discards | None]:
    """Put PETRARCH dictionaries to work: their actors and agents into ``actors`` (changed in
    place), their verbs as the pattern book's dictionary coder (a new book is returned), and
    their discards as the filter to use (None when there are none).

    Raises:
        DictionaryError: a file that cannot be read, or (unless ``lenient``) a bad line.
    """
    dictionaries = load_dictionaries(tuple(files), lenient)
    add_to_actor_dictionary(actors, dictionaries)
    if dictionaries.verbs:
        matcher = VerbMatcher(dictionaries.verbs, nlp.tokenizer)
        patterns = replace(patterns, dictionary=matcher,
                           version="+".join(filter(None, [patterns.version, matcher.version])))
    discards = dictionaries.discards
    return patterns, discards if discards.sentence or discards.story else None


def add_to_actor_dictionary(book: ActorDictionary, dictionaries: PetrarchDictionaries) -> None:
    """Enter the actors and agents of PETRARCH dictionaries into an actor dictionary."""
    for record in dictionaries.actors:
        actor = CodedActor(record.name, record.codes, tuple(record.dated))
        book.add_coded_actor(record.source, actor, (" ".join(p) for p in record.phrases))
    for agent in dictionaries.agents:
        book.add_coded_agent((" ".join(p) for p in agent.phrases), AgentCode(agent.code, agent.prefix))
    if dictionaries.actors or dictionaries.agents:
        book.version = "+".join(filter(None, [book.version, dictionaries.version]))


# --------------------------------------------------------------------------- coding


@dataclass
class Mention:
    """Actors named together in a sentence: one noun phrase, or a coordination of them."""

    start: int  # first token index
    end: int  # one past the last
    heads: list[Token]
    actors: list[Actor]


@dataclass
class _Match:
    """Where a pattern's actor markers fell."""

    source: Mention | None = None
    target: Mention | None = None
    compound: Mention | None = None
    compound_upper: bool = False


class VerbMatcher:
    """Codes events with PETRARCH verb dictionaries on a dependency parse.

    For each verb of the sentence written as in a dictionary (all its forms, multi-word verbs
    such as "broken down" or "wire tapped" included), the patterns of its blocks are tried,
    longest first; the first that matches gives the code, else the verb's or block's own
    code. Without markers the source is the verb's subject (for a passive with "by", the
    agent, and the subject becomes the target) and the target the first actor after the verb
    in its phrase; ``$``, ``+``, ``%`` and ``^`` in a pattern say otherwise.
    """

    def __init__(self, dictionaries: Iterable[VerbDictionary], tokenizer: Callable[[str], Doc]) -> None:
        """``tokenizer`` splits pattern words as the parser splits text ("N'T", "PEACE-KEEPING")."""
        self.dictionaries = list(dictionaries)
        self.forms: dict[str, list[VerbForm]] = {}
        for book in self.dictionaries:
            for word, forms in book.forms.items():
                self.forms.setdefault(word, []).extend(forms)
        self._tokenizer = tokenizer
        self._split_cache: dict[str, tuple[str, ...]] = {}
        self._synsets = {name: phrases for book in self.dictionaries for name, phrases in book.synsets.items()}
        self._patterns: dict[tuple[str, str], Pattern] = {}

    @property
    def version(self) -> str:
        return "+".join(Path(b.source).name for b in self.dictionaries)

    # ------------------------------------------------------------------ sentence
    def code_sentence(self, sent: Span, resolver: ActorResolver) -> tuple[list[Candidate], set[int]]:
        """The events of one sentence, and the tokens they claim (their verbs, and verbs in
        their complements: "urged Bree to help" is one appeal), which no other pattern codes."""
        mentions: list[Mention] | None = None
        found: list[Candidate] = []
        claimed: set[int] = set()
        for token in sent:
            if token.i in claimed or not (token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")):
                continue
            forms = self._written_forms(token)
            if not forms:
                continue
            if mentions is None:
                mentions = self._mentions(sent, resolver)
            candidates = self._code_verb(token, forms, mentions, resolver)
            if candidates:
                found.extend(candidates)
                claimed.add(token.i)
                claimed.update(t.i for t in token.subtree if _xcomp_chain(t, token))
        return found, claimed

    def _written_forms(self, token: Token) -> list[VerbForm]:
        """The dictionary forms written at ``token``: the longest multi-word forms that fit."""
        doc = token.doc
        fitting = []
        for form in self.forms.get(token.lower_, ()):
            start = token.i - form.verb_at
            if start < 0 or start + len(form.words) > len(doc):
                continue
            if all(doc[start + k].lower_ == word for k, word in enumerate(form.words)):
                fitting.append(form)
        longest = max((len(f.words) for f in fitting), default=0)
        return [f for f in fitting if len(f.words) == longest]

    def _code_verb(self, verb: Token, forms: list[VerbForm], mentions: list[Mention],
                   resolver: ActorResolver) -> list[Candidate]:
        doc = verb.doc
        first = verb.i - forms[0].verb_at
        last = first + len(forms[0].words) - 1
        upper = list(range(verb.sent.start, first))
        lower = _lower_tokens(verb, last)
        own = _own_phrase_tokens(verb)  # for phrase-bound patterns
        phrase_upper = [i for i in upper if i in own]
        phrase_lower = [i for i in lower if i in own]
        blocks = {id(f.block): f.block for f in forms}.values()
        patterns = sorted((p for b in blocks for p in b.patterns), key=lambda p: -p.length)
        chosen, match = None, _Match()
        for pattern in patterns:
            if pattern.phrase_bound:
                match = self._match(pattern, doc, phrase_upper, phrase_lower, mentions, first, last)
            else:
                match = self._match(pattern, doc, upper, lower, mentions, first, last)
            if match is not None:
                chosen = pattern
                break
        if chosen is None:
            match = _Match()
            coding_form = next((f for f in forms if not f.effective_codes.is_null), forms[0])
            codes, origin = coding_form.effective_codes, coding_form.block.source
        else:
            codes, origin = chosen.codes, chosen.source
        if codes.is_null:
            return []
        sources, targets, pairs = self._roles(verb, match, mentions, lower, resolver)
        negated = _is_negated(verb) and not (chosen and chosen.upper)
        out = []
        # An event needs its source (PETRARCH's require_dyad also asks for the target; Kautilya
        # keeps "X condemned the violence" with no target, as its own patterns do).
        for source, target in pairs or [(s, t) for s in sources for t in targets or [None]]:
            if target is not None and source.code == target.code:
                continue
            events = [(codes.forward, source, target)]
            if target is not None:
                events.append((codes.reverse, target, source))  # "[032:033]": the reply
            for code, s, t in events:
                if code:
                    pattern = self._pattern(origin, code, forms[0])
                    out.append(Candidate(verb, pattern, code, s, t, negated, False,
                                         _confidence(pattern, s, t, code)))
        return out

    def _pattern(self, origin: str, code: str, form: VerbForm) -> Pattern:
        """A ``coding.Pattern`` standing for a dictionary line, for the events' provenance."""
        key = (origin, code)
        if key not in self._patterns:
            self._patterns[key] = Pattern(id=f"petrarch:{origin}", cameo=code, verbs=(form.words,),
                                          origin=origin, note=f"PETRARCH block {form.block.name}")
        return self._patterns[key]

    # ------------------------------------------------------------------ roles
    def _roles(self, verb: Token, match: _Match, mentions: list[Mention], lower: list[int],
               resolver: ActorResolver) -> tuple[list[Actor], list[Actor], list[tuple[Actor, Actor]]]:
        if match.compound is not None and match.compound_upper:
            members = match.compound.actors
            return [], [], [(a, b) for a in members for b in members if a.code != b.code]
        passive = _is_passive(verb)
        subject = _group_actors(_subject_of(verb), resolver)
        if match.source is not None:
            sources = match.source.actors
        elif match.target is not None and subject and set(subject) <= set(match.target.actors):
            # "NOTED + * [115]": the subject is the target; the source is the actor before it.
            before = [m for m in mentions if m.end <= match.target.start and m.actors]
            sources = before[-1].actors if before else []
        else:
            sources = subject
        if match.target is not None:
            targets = match.target.actors
        elif match.compound is not None:
            targets = match.compound.actors
        elif passive and any(c.dep_ == "agent" for c in verb.children):
            targets = _group_actors([c for c in verb.children if c.dep_ == "nsubjpass"], resolver)
        else:
            own = {a.code for a in sources}
            targets = next((m.actors for m in mentions if m.heads[0].i in lower and m.heads[0].i > verb.i
                            and not {a.code for a in m.actors} <= own), [])
        return sources, targets, []

    # ------------------------------------------------------------------ mentions
    def _mentions(self, sent: Span, resolver: ActorResolver) -> list[Mention]:
        """The sentence's actor mentions in order, a coordination as one mention."""
        out: list[Mention] = []
        covered: set[int] = set()
        for token in sent:
            if token.i in covered or not _heads_phrase(token, resolver):
                continue
            heads = [token, *[c for c in token.conjuncts if c.i > token.i and c.pos_ in ("NOUN", "PROPN", "PRON")]]
            actors = list(dict.fromkeys(a for h in heads for a in resolver.resolve(h)))
            if not actors:
                continue
            extent = [t.i for h in heads for t in _phrase_tokens(h)]
            out.append(Mention(min(extent), max(extent) + 1, heads, actors))
            covered.update(range(min(extent), max(extent) + 1))
        return out

    # ------------------------------------------------------------------ matching
    def _split(self, word: str) -> tuple[str, ...]:
        """A pattern word as the parser's tokens: "PEACE-KEEPING" -> peace, -, keeping."""
        if word not in self._split_cache:
            self._split_cache[word] = tuple(t.text.lower() for t in self._tokenizer(word.upper()))
        return self._split_cache[word]

    def _alternatives(self, element: Element) -> list[tuple[str, ...]]:
        if element.kind == "word":
            return [self._split(element.text)]
        phrases = self._synsets.get(element.text, ())
        return sorted({tuple(w for word in p for w in self._split(word)) for p in phrases}, key=len, reverse=True)

    def _match(self, pattern: VerbPattern, doc: Doc, upper: list[int], lower: list[int],
               mentions: list[Mention], first: int, last: int) -> _Match | None:
        """Match the words after ``*`` forward from the verb through its phrase, and those
        before it backward from the verb through the sentence; None when either fails."""
        texts = {i: doc[i].lower_ for i in (*upper, *lower)}
        after = self._walk([(e, e.joined) for e in pattern.lower], lower, 1, last, texts, mentions)
        if after is None:
            return None
        joins = [pattern.verb_joined] + [e.joined for e in reversed(pattern.upper)][:-1]
        before = self._walk(list(zip(reversed(pattern.upper), joins)), upper[::-1], -1, first, texts, mentions)
        if before is None:
            return None
        match = _Match(source=after.get(SOURCE) or before.get(SOURCE),
                       target=after.get(TARGET) or before.get(TARGET))
        if COMPOUND in before or COMPOUND in after:
            match.compound = before.get(COMPOUND) or after[COMPOUND]
            match.compound_upper = COMPOUND in before
        return match

    def _walk(self, elements: list[tuple[Element, bool]], seq: list[int], step: int, prev: int,
              texts: dict[int, str], mentions: list[Mention]) -> dict[str, Mention] | None:
        """Fit ``elements`` into ``seq`` (token indices walked in direction ``step``), the
        previous element having ended at token ``prev``, backtracking over word positions.
        Returns the mentions the actor markers took, or None when the elements do not fit."""
        if not elements:
            return {}
        (element, adjacent), rest = elements[0], elements[1:]
        start = next((p for p, i in enumerate(seq) if (i - prev) * step > 0), len(seq))
        for at in range(start, len(seq)):
            if adjacent and seq[at] != prev + step:
                return None
            if element.kind in MARKERS:
                # An actor marker takes the next actor, not any later one.
                mention = _next_mention(mentions, seq[at], step, seq)
                if mention is None or not _marker_fits(element.kind, mention):
                    return None
                found = self._walk(rest, seq, step, mention.end - 1 if step > 0 else mention.start, texts, mentions)
                return None if found is None else {element.kind: mention, **found}
            for words in self._alternatives(element):
                span = seq[at: at + len(words)]
                if len(span) == len(words) and all(b == a + step for a, b in zip(span, span[1:])) \
                        and [texts[i] for i in span] == list(words if step > 0 else words[::-1]):
                    found = self._walk(rest, seq, step, span[-1], texts, mentions)
                    if found is not None:
                        return found
            if adjacent:
                return None
        return None


def _next_mention(mentions: list[Mention], at: int, step: int, seq: list[int]) -> Mention | None:
    """The first mention from token ``at`` on in direction ``step`` whose head is in ``seq``."""
    ordered = mentions if step > 0 else reversed(mentions)
    for mention in ordered:
        edge = mention.start if step > 0 else mention.end - 1
        if (edge - at) * step >= 0 and mention.heads[0].i in seq:
            return mention
    return None


def _marker_fits(kind: str, mention: Mention) -> bool:
    """``%`` needs a compound: two or more actors named together."""
    return kind != COMPOUND or len({a.code for a in mention.actors}) > 1


def _xcomp_chain(token: Token, verb: Token) -> bool:
    """True when ``token`` hangs from ``verb`` through open complements only ("urged X to help")."""
    node = token
    while node.i != verb.i and node.dep_ == "xcomp":
        node = node.head
    return node.i == verb.i and token.i != verb.i


def _lower_tokens(verb: Token, last: int) -> list[int]:
    """The verb's own phrase after the verb: its subtree, without coordinated predicates."""
    skip = {t.i for c in verb.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree}
    return [t.i for t in verb.subtree if t.i > last and t.i not in skip]


# Dependents that open another clause: their words are not the verb's own phrases.
CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "pcomp", "csubj", "parataxis", "conj"}


def _own_phrase_tokens(verb: Token) -> set[int]:
    """The verb, its subject and its objects and prepositional phrases, without the clauses
    inside them ("tensions triggered by the attack" does not make "attack" the verb's)."""
    out: set[int] = set()
    stack = [verb, *_subject_of(verb)]
    while stack:
        token = stack.pop()
        out.add(token.i)
        stack.extend(c for c in token.children
                     if not (c.dep_ in CLAUSE_DEPS and (c.pos_ in ("VERB", "AUX") or c.tag_.startswith("VB"))))
    return out


def _group_actors(heads: list[Token], resolver: ActorResolver) -> list[Actor]:
    """The actors of noun phrases and their conjuncts ("Mordor, Rohan and Bree")."""
    members = [m for h in heads for m in (h, *[c for c in h.conjuncts if c.i > h.i])]
    return list(dict.fromkeys(a for m in members for a in resolver.resolve(m)))


# Children that are not part of a mention's extent: clauses, and prepositional phrases, whose
# nouns are mentions of their own ("the parliament of Gondor" is two for the ^ of a pattern).
OUTSIDE_MENTION = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "parataxis", "prep"}


def _phrase_tokens(head: Token) -> list[Token]:
    out = [head]
    for child in head.children:
        if child.dep_ not in OUTSIDE_MENTION:
            out.extend(child.subtree)
    return out


def _heads_phrase(token: Token, resolver: ActorResolver) -> bool:
    """True for the head of a noun phrase (not a modifier inside one, nor a later conjunct)."""
    if token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    if token.dep_ in ("compound", "amod", "poss", "nmod", "appos", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN"):
        return False
    if token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN", "PRON") and token.head.i < token.i:
        return False
    name = resolver.names.get(token.i)
    return name is None or name[0].end - 1 == token.i
