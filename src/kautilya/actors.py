"""Actors: names, titles, agent nouns and pronouns resolved to country, sector and CAMEO code.

Knowledge lives in tab-separated files under ``data/`` (countries, organisations, office
holders with their dates, agent nouns); users add files of the same format with
``ActorDictionary.load(extra=[...])``. Matching is done on the parsed ``Doc``: a spaCy
``PhraseMatcher`` finds every known name, then each noun phrase that fills an event role is
resolved from its head, its modifiers (``Pakistani officials``), its apposition (``his Indian
counterpart, S. Jaishankar``) or, for pronouns and descriptions such as ``both nations``,
from the actors named before it in the article.

Actors and agents from PETRARCH dictionaries (``petrarch.py``) live here too, as
``CodedActor`` and ``AgentCode`` entries matched regardless of case: such an actor carries its
full CAMEO code, chosen by the article's date, and its agents add theirs ("Gondor's foreign
minister" -> GON + GOVFRM).
"""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from .errors import DictionaryError
from .schema import Actor

# Roles the parser gives to the tokens inside a noun phrase that may name its actor.
NP_MODIFIER_DEPS = {"compound", "amod", "poss", "nmod", "appos", "npadvmod"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
SPEAKER_PRONOUNS = {"we", "us", "our", "ours", "i", "me", "my"}
REFLEXIVE_PRONOUNS = {"himself", "herself", "itself", "themselves", "ourselves", "myself"}
# "both nations", "the two countries": a pair of states named before.
STATE_GROUP_NOUNS = {"nation", "country", "side", "neighbour", "neighbor", "rival", "state",
                     "government", "capital", "power", "party"}
# "the country", "the nation": the state named last.
STATE_NOUNS = {"country", "nation", "kingdom", "republic"}
# What a person says or does stands for the person: "his remarks", "Lavrov's statement".
UTTERANCE_NOUNS = {"remark", "comment", "statement", "word", "speech", "message", "letter", "call", "appeal",
                   "visit", "trip", "tweet", "post", "address", "interview", "warning", "announcement"}
PERSON_GROUP_NOUNS = {"minister", "leader", "official", "man", "woman", "diplomat", "envoy",
                      "counterpart", "president", "premier", "chief"}
# Dictionary entries that stand for a country.
COUNTRY_KINDS = ("country", "capital", "adjective", "demonym", "city")
# "a group of tourists", "members of SANDF": the people are those of the "of" phrase.
COLLECTIVE_NOUNS = {"group", "team", "member", "band", "unit", "number", "dozen", "dozens", "hundreds", "thousands",
                    "several", "some", "many", "most", "all", "one", "crowd", "delegation", "contingent", "squad",
                    "batch", "gang", "pair", "couple", "handful", "scores", "lot", "none", "few", "both",
                    "thousand", "hundred", "score", "tens", "million", "millions", "members", "majority",
                    "deployment"}
# Titles that take the sector of the body they preside over ("speaker of the Knesset").
PRESIDING_TITLES = {"president", "chairman", "chairwoman", "chair", "speaker", "head", "chief", "leader",
                    "member", "director", "secretary", "spokesman", "spokeswoman", "spokesperson"}
# Offices that stand for their holder ("the president's office", "Ecuador's Ombudsman's Office").
OFFICE_NOUNS = {"office", "residence", "palace", "secretariat", "bureau", "cabinet", "staff"}
RETIRED_WORDS = {"former", "ex", "ex-", "retired", "onetime", "erstwhile", "disgraced", "deposed", "ousted"}
# A town of the gazetteer counts as an actor's place only from this size (fewer false friends).
MIN_PLACE_POPULATION = 15_000
# ... and a town of a country the article never names only from this size: small ones are more
# often ordinary words written with a capital ("Young Algerians": Young, Uruguay; "the Federal
# Minister": Federal, Argentina).
MIN_UNNAMED_PLACE_POPULATION = 50_000
# Places named with their country stand for it ("a Syrian island").
PLACE_NOUNS = {"island", "region", "province", "territory", "area", "coast", "border", "enclave", "district",
               "valley", "port", "state", "city", "capital"}
# Sectors that say more than "official" or "officer" when a modifier names them.
SPECIFIC_SECTORS = {"SPY", "COP", "JUD", "LEG", "HLH", "EDU", "MED", "REL", "PTY", "REB", "UAF", "BUS", "NGO"}
# Words that name towns somewhere ("Northern", Ghana) but mostly just point the way.
DIRECTION_WORDS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                   "upper", "lower", "new", "old", "great", "greater", "middle", "far", "near"}
# An agent noun of unknown affiliation ("two men"): an actor, but no sector (CAMEO's UNK).
UNKNOWN_SECTOR = "UNK"
RELIGIOUS_LEADER_NOUNS = {"leader", "community leader", "figure", "elder", "scholar", "authority", "representative"}
RELIGION_WORDS = {"muslim", "islamic", "jewish", "christian", "catholic", "protestant", "orthodox", "hindu",
                  "buddhist", "sikh", "shia", "shiite", "sunni", "evangelical", "religious"}
# Agent nouns that are titles before a name ("President Emmanuel Macron"), unlike "National"
# in "National Resistance Front", which makes another name.
TITLE_SECTORS = {"GOV", "MIL", "LEG", "JUD", "COP", "IGO", "ELI", "REL", "OPP", "SPY"}
# How far back (in sentences) a pronoun may look for its antecedent.
COREF_WINDOW = 3
# Dictionary entries that name a country: "Pakistan", "Islamabad", "Pakistani", "Pakistanis".
COUNTRY_NAME_KINDS = ("country", "capital", "adjective", "demonym")


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    iso2: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    country: str
    sector: str
    role: str
    start: str
    end: str  # "" while in office


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    country: str
    sector: str
    kind: str


@dataclass(frozen=True)
class NameEntry:
    """What a matched phrase stands for. ``kind``: country, capital, adjective, demonym, org, person."""

    kind: str
    key: str  # iso3, org code or person name


@dataclass(frozen=True)
class DatedCodes:
    """Codes that hold between two dates (ISO, inclusive; "" is open)."""

    codes: tuple[str, ...]
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class CodedActor:
    """An actor known by its full CAMEO code ("ARN", "PSEREBHMS", "IGOUNO"), which may change
    with time: the first ``dated`` entry covering the article's date wins, else ``codes``.
    Several codes ("LORIEN [ELR/GAL]") make several actors; none makes a null actor."""

    name: str
    codes: tuple[str, ...] = ()
    dated: tuple[DatedCodes, ...] = ()

    def codes_on(self, date: str | None) -> tuple[str, ...]:
        """The codes on ``date``; without a date, the default or else the latest dated codes."""
        if date:
            for entry in self.dated:
                if (not entry.start or entry.start <= date) and (not entry.end or date <= entry.end):
                    return entry.codes
        elif not self.codes and self.dated:
            return max(self.dated, key=lambda e: (e.end or "9999", e.start)).codes
        return self.codes


@dataclass(frozen=True)
class AgentCode:
    """An agent's code, written after the actor's ("~GOV": GON -> GONGOV) or before it
    ("NGO~": ARN -> NGOARN)."""

    code: str
    prefix: bool = False


@dataclass
class ActorDictionary:
    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, list[Person]] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)  # lemma phrase -> sector
    phrases: dict[str, list[NameEntry]] = field(default_factory=dict)
    coded: dict[str, CodedActor] = field(default_factory=dict)  # key (file:line) -> actor with a full code
    coded_agents: dict[str, AgentCode] = field(default_factory=dict)  # lower-case phrase -> code
    # Phrases of coded actors and agents, matched regardless of case (PETRARCH's are upper case).
    folded: dict[str, list[NameEntry]] = field(default_factory=dict)
    version: str = ""
    _matchers: dict[tuple[int, bool], PhraseMatcher] = field(default_factory=dict, repr=False)
    _upper_index: dict[str, str] = field(default_factory=dict, repr=False)
    _miscased_index: dict[str, str] = field(default_factory=dict, repr=False)
    _offices: dict[tuple[str, str], list[Person]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), builtin: bool = True) -> "ActorDictionary":
        """Load the built-in actor files (unless ``builtin`` is False), then each extra file
        (kind told by its header).

        Raises:
            DictionaryError: a file has a bad header or a bad row (file and line named).
        """
        book = cls()
        data = resources.files("kautilya") / "data"
        names = []
        for name in ("countries.tsv", "organizations.tsv", "people.tsv", "agents.tsv") if builtin else ():
            path = data / name
            if path.is_file():
                book._load_file(path.open(encoding="utf-8"), f"kautilya/data/{name}")
                names.append(name)
        for path in extra:
            with open(path, encoding="utf-8") as handle:
                book._load_file(handle, str(path))
            names.append(Path(path).name)
        book.version = "+".join(names)
        return book

    def _load_file(self, handle, source: str) -> None:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if not header:
            raise DictionaryError("empty actor file", source=source)
        loaders = {
            ("iso3", "iso2", "name"): self._add_country,
            ("code", "name", "aliases"): self._add_organization,
            ("name", "aliases", "country"): self._add_person,
            ("noun", "sector"): self._add_agent,
        }
        for prefix, loader in loaders.items():
            if tuple(header[: len(prefix)]) == prefix:
                break
        else:
            raise DictionaryError(f"unknown actor file header {header!r}", source=source, line=1)
        for line_no, row in enumerate(reader, start=2):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            record = dict(zip(header, (cell.strip() for cell in row)))
            try:
                loader(record)
            except (KeyError, ValueError) as exc:
                raise DictionaryError(f"bad row: {exc}", source=source, line=line_no) from exc

    def _phrase(self, text: str, entry: NameEntry) -> None:
        text = text.strip()
        if text and entry not in self.phrases.setdefault(text, []):
            self.phrases[text].append(entry)

    def _add_country(self, r: dict) -> None:
        iso3 = r["iso3"]
        if len(iso3) != 3 or not iso3.isupper():
            raise ValueError(f"iso3 {iso3!r} is not an alpha-3 code")
        self.countries[iso3] = Country(iso3, r["name"], r.get("iso2", ""))
        for text in [r["name"], *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("country", iso3))
        for text in _split(r.get("capital", "")):
            self._phrase(text, NameEntry("capital", iso3))
        for text in _split(r.get("cities", "")):
            self._phrase(text, NameEntry("city", iso3))
        for text in _split(r.get("adjectives", "")):
            self._phrase(text, NameEntry("adjective", iso3))
        for text in _split(r.get("demonyms", "")):
            self._phrase(text, NameEntry("demonym", iso3))

    def _add_organization(self, r: dict) -> None:
        org = Organization(r["code"], r["name"], r["country"], r["sector"], r.get("kind", ""))
        self.organizations[org.code] = org
        for text in [org.name, *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("org", org.code))

    def _add_person(self, r: dict) -> None:
        for key in ("start", "end"):
            if r.get(key) and not _is_iso_date(r[key]):
                raise ValueError(f"{key} {r[key]!r} is not YYYY-MM-DD")
        if r.get("start") and r.get("end") and r["end"] < r["start"]:
            raise ValueError(f"term ends ({r['end']}) before it starts ({r['start']})")
        person = Person(r["name"], r["country"], r["sector"], r.get("role", "").lower(),
                        r.get("start", ""), r.get("end", ""))
        self.people.setdefault(person.name, []).append(person)
        self._offices.clear()
        for text in [person.name, *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("person", person.name))

    def _add_agent(self, r: dict) -> None:
        if not r["sector"]:
            raise ValueError(f"agent {r['noun']!r} has no sector")
        self.agents[r["noun"].lower()] = r["sector"]

    def add_coded_actor(self, key: str, actor: CodedActor, phrases: Iterable[str]) -> None:
        """Add an actor known by its full code under ``key`` (e.g. its file and line); its
        phrases match regardless of case."""
        self.coded[key] = actor
        for text in phrases:
            self._fold(text, NameEntry("coded", key))

    def add_coded_agent(self, phrases: Iterable[str], agent: AgentCode) -> None:
        """Add an agent phrase ("foreign minister") whose code joins the actor's code."""
        for text in phrases:
            self.coded_agents[text.lower()] = agent
            self._fold(text, NameEntry("agent", text.lower()))

    def _fold(self, text: str, entry: NameEntry) -> None:
        text = " ".join(text.split())
        if text and entry not in self.folded.setdefault(text, []):
            self.folded[text].append(entry)
        self._matchers.clear()

    # ----------------------------------------------------------------- matching
    def matcher_for(self, nlp: Language, folded: bool = False) -> PhraseMatcher:
        """The phrase matcher of the names (case-sensitive) or of the coded phrases (not)."""
        key = (id(nlp.vocab), folded)
        if key not in self._matchers:
            matcher = PhraseMatcher(nlp.vocab, attr="LOWER" if folded else "ORTH")
            texts = list(self.folded if folded else self.phrases)
            # Coded phrases are split as title case, as names are written in running text: the
            # tokenizer keeps "U.S." whole but cuts "u.s.", and title-case words are mostly known
            # to the vocabulary already (upper-case ones would each add a lexeme).
            written = (t.title() for t in texts) if folded else iter(texts)
            for text, doc in zip(texts, nlp.tokenizer.pipe(written)):
                matcher.add(text, [doc])
            self._matchers[key] = matcher
        return self._matchers[key]

    def find_names(self, nlp: Language, doc: Doc) -> dict[int, tuple[Span, list[NameEntry]]]:
        """Map each token index inside a known name to (the name's span, what it stands for).

        Coded actors' phrases count as names; where a phrase is both, the coded entry comes
        first, so a user's PETRARCH dictionary takes precedence over the built-in names. Names
        written in capitals (datelines, headlines) count too.
        """
        spans = [(Span(doc, start, end), self.phrases[doc.vocab.strings[match_id]])
                 for match_id, start, end in self.matcher_for(nlp)(doc)]
        spans += [(span, self.phrases[span.label_]) for span in self._upper_case_names(doc)]
        spans += [(span, self.phrases[span.label_]) for span in self._miscased_names(doc)]
        spans = [(span, entries) for span, entries in spans if not self._inside_longer_name(span, entries)]
        # "Feliciano Valencia" is a man, not the Spanish city.
        spans = [(span, entries) for span, entries in spans
                 if not (all(e.kind == "city" for e in entries) and any(t.ent_type_ == "PERSON" for t in span))]
        spans += self._folded_spans(nlp, doc, "coded")
        return _longest_first(spans)
    def _inside_longer_name(self, span: Span, entries: list[NameEntry]) -> bool:
        """"Resistance Front" inside "National Resistance Front" is another name; a title before
        a name ("President Emmanuel Macron") is not."""
        before = span.doc[span.start - 1] if span.start > 0 else None
        if before is not None and entries[0].kind == "person" and len(before.text.rstrip(".")) == 1:
            return False  # a middle initial: "Antony J. Blinken" is Blinken
        return before is not None and entries[0].kind in ("org", "person") and before.pos_ == "PROPN" \
            and before.is_title and before.head.i in range(span.start, span.end) \
            and self.agents.get(before.lower_) not in TITLE_SECTORS

    def find_agents(self, nlp: Language, doc: Doc) -> dict[int, tuple[Span, AgentCode]]:
        """Map each token index inside a coded agent phrase to (its span, its code)."""
        found = _longest_first(self._folded_spans(nlp, doc, "agent"))
        return {i: (span, self.coded_agents[entries[0].key]) for i, (span, entries) in found.items()}

    def _folded_spans(self, nlp: Language, doc: Doc, kind: str) -> list[tuple[Span, list[NameEntry]]]:
        if not self.folded:
            return []
        out = []
        for match_id, start, end in self.matcher_for(nlp, folded=True)(doc):
            entries = [e for e in self.folded[doc.vocab.strings[match_id]] if e.kind == kind]
            if entries:
                out.append((Span(doc, start, end), entries))
        return out

    def _upper_case_names(self, doc: Doc) -> list[Span]:
        """Names written in capitals, as in datelines and headlines: "TEHRAN", "SECURITY COUNCIL"."""
        if not any(t.is_upper and len(t) > 3 for t in doc):
            return []
        if not self._upper_index:
            self._upper_index.update({text.upper(): text for text in self.phrases if not text.isupper()})
        out = []
        for token in doc:
            if not (token.is_upper and len(token) > 3):
                continue
            for length in (3, 2, 1):
                span = doc[token.i: token.i + length]
                if len(span) == length and all(t.is_upper or t.is_punct for t in span):
                    original = self._upper_index.get(span.text)
                    if original:
                        out.append(Span(doc, span.start, span.end, label=doc.vocab.strings.add(original)))
                        break
        return out

    def _miscased_names(self, doc: Doc) -> list[Span]:
        """Proper nouns typed in the wrong case, as in comments and transcripts: "president
        obama", "iSrael". Only words the tagger takes for proper nouns, and only names with an
        initial capital in the dictionary, so common words ("us") stay what they are."""
        if not any(t.pos_ == "PROPN" and not t.is_title and not t.is_upper and t.is_alpha for t in doc):
            return []
        if not self._miscased_index:
            self._miscased_index.update({text.lower(): text for text in self.phrases
                                         if text[:1].isupper() and not text.isupper()})
        out = []
        for token in doc:
            if not (token.pos_ == "PROPN" and token.is_alpha and len(token) > 3 and not token.is_title
                    and not token.is_upper):
                continue
            for length in (3, 2, 1):
                for start in range(token.i - length + 1, token.i + 1):
                    span = doc[max(start, 0): start + length]
                    if len(span) != length or not all(t.pos_ == "PROPN" for t in span):
                        continue
                    original = self._miscased_index.get(span.text.lower())
                    if original and original != span.text:
                        out.append(Span(doc, span.start, span.end, label=doc.vocab.strings.add(original)))
                        break
                else:
                    continue
                break
        return out

    # ------------------------------------------------------------------ lookups
    def country_name(self, code: str | None) -> str | None:
        """The name of a country, or of a body's pseudo-country (UNO, EUR, IGO): its code."""
        if code is None:
            return None
        country = self.countries.get(code)
        return country.name if country else code

    def person_on(self, name: str, date: str | None) -> Person:
        """The term of ``name`` that covers ``date`` (or the nearest one; the latest without a date)."""
        terms = self.people[name]
        if date:
            for term in terms:
                if term.start <= date and (not term.end or date <= term.end):
                    return term
            return min(terms, key=lambda t: _date_distance(t, date))
        return max(terms, key=lambda t: t.end or "9999")

    def office_holder(self, country: str, role: str, date: str | None) -> Person | None:
        """Who held ``role`` (e.g. "prime minister") in ``country`` on ``date``."""
        if not date:
            return None
        if not self._offices:  # built on first use, dropped when a person is added
            for terms in self.people.values():
                for term in terms:
                    self._offices.setdefault((term.country, term.role), []).append(term)
        for term in self._offices.get((country, role), ()):
            if term.start <= date and (not term.end or date <= term.end):
                return term
        return None

    def agent_sector(self, head: Token) -> tuple[str | None, str | None]:
        """Sector of an agent noun, trying "foreign minister" before "minister"; with the phrase."""
        lemma = head.lemma_.lower()
        modifiers = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i]
        for first in range(len(modifiers) - 1):  # "state news agency", "Santa Marta self defense force"
            phrase = " ".join([c.lower_ for c in modifiers[first:]] + [lemma])
            if phrase in self.agents:
                return self._religious(head, self.agents[phrase]), phrase
        for child in modifiers:
            # Multiword entries keep the modifier as written: "rights group", "security forces".
            for phrase in (f"{child.lower_} {lemma}", f"{child.lemma_.lower()} {lemma}",
                           f"{child.lower_} {head.lower_}"):
                if phrase in self.agents:
                    return self._religious(head, self.agents[phrase]), phrase
        own = next(((self.agents[f], f) for f in (lemma, head.lower_, *_singulars(head.lower_)) if f in self.agents),
                   (None, None))
        if own[0] not in (None, "GOV", "MIL", "CVL", "ELI"):
            return self._religious(head, own[0]), own[1]
        for child in head.children:
            # "army accountant", "police spokesman", "intelligence agency officer": a generic
            # person noun takes the body its modifier names.
            if child.dep_ == "compound" and child.i == head.i - 1:
                found = self.agent_sector(child) if child.pos_ in ("NOUN", "PROPN") else (None, None)
                if found[0] and (own[0] is None or found[0] in SPECIFIC_SECTORS):
                    return found
        return (self._religious(head, own[0]), own[1]) if own[0] else (None, None)

    def _religious(self, head: Token, sector: str) -> str:
        """"Muslim leaders", "a Jewish community leader": leaders a faith names are religious."""
        if head.lemma_.lower() not in RELIGIOUS_LEADER_NOUNS:
            return sector
        for token in head.lefts:
            if any(word.lower_ in RELIGION_WORDS for word in token.subtree):
                return "REL"
        return sector


def _is_iso_date(text: str) -> bool:
    import datetime as dt

    try:
        return len(text) == 10 and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


def _singulars(word: str) -> list[str]:
    """"jihadis" -> "jihadi": plurals the lemmatizer leaves alone."""
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith("es"):
        return [word[:-2], word[:-1]]
    return [word[:-1]] if word.endswith("s") else []


def _name_sector(head: Token, kind: str | None) -> str | None:
    """A place name standing for an actor: a capital for the government ("Islamabad said"), a
    town for its people ("Mariupol"), "ordinary Kazakhs" for civilians; a country or a bare
    people ("Palestinians") for the country."""
    if kind == "capital":
        return "GOV"
    if kind in ("city", "place"):
        return "CVL"
    if kind == "demonym" and any(c.dep_ in ("amod", "nummod") for c in head.children):
        return "CVL"
    return None


def _longest_first(spans: list[tuple[Span, list[NameEntry]]]) -> dict[int, tuple[Span, list[NameEntry]]]:
    """Longest match wins: "South Korea" over "Korea", "New Delhi" over "Delhi"; a span found
    twice (a coded and a built-in name) merges its entries, the coded first."""
    by_token: dict[int, tuple[Span, list[NameEntry]]] = {}
    for span, entries in sorted(spans, key=lambda s: (-(s[0].end - s[0].start), s[0].start,
                                                      s[1][0].kind != "coded")):
        taken = by_token.get(span.start)
        if taken and (taken[0].start, taken[0].end) == (span.start, span.end):
            merged = taken[1] + [e for e in entries if e not in taken[1]]
            for i in range(span.start, span.end):
                by_token[i] = (taken[0], merged)
            continue
        if any(i in by_token for i in range(span.start, span.end)):
            continue
        for i in range(span.start, span.end):
            by_token[i] = (span, entries)
    return by_token


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _date_distance(term: Person, date: str) -> int:
    import datetime as dt

    day = dt.date.fromisoformat(date)
    start = dt.date.fromisoformat(term.start) if term.start else day
    end = dt.date.fromisoformat(term.end) if term.end else day
    return 0 if start <= day <= end else min(abs((day - start).days), abs((day - end).days))


@lru_cache(maxsize=1)
def default_dictionary() -> ActorDictionary:
    return ActorDictionary.load()


def compose_code(base: str, agents: Iterable[AgentCode]) -> tuple[str, str]:
    """PETRARCH's way of joining agents to an actor code: prefixed agents before it, the others
    after it, leaving out an agent whose three-letter parts the code already has ("USAGOV" +
    GOV stays USAGOV; "GMWGOV" + WGO is GMWGOVWGO). Returns (full code, code without prefixes).
    """
    def parts(code: str) -> list[str]:
        return [code[i:i + 3] for i in range(0, len(code), 3)]

    core, prefixes = base, ""
    for agent in agents:
        if all(p in parts(prefixes + core) for p in parts(agent.code)):
            continue
        if agent.prefix:
            prefixes += agent.code
        else:
            core += agent.code
    return prefixes + core, core


def actor_code(country: str | None, sector: str | None, org_code: str | None = None) -> str | None:
    """The CAMEO actor code: RUS + GOV = RUSGOV; an organisation keeps its own code."""
    if org_code:
        if sector and not org_code.endswith(sector) and sector not in ("IGO", "NGO", "REB"):
            return org_code + sector
        return org_code
    if country and sector:
        return country + sector
    return country or sector


@dataclass
class Mention:
    """An actor named in the article, remembered for pronouns and descriptions that follow."""

    sentence_index: int
    token_index: int
    actors: list[Actor]
    is_person: bool
    is_plural: bool


class ActorResolver:
    """Resolves the noun phrases of one article, remembering what it has seen for coreference."""

    def __init__(self, book: ActorDictionary, nlp: Language, doc: Doc, date: str | None) -> None:
        self.book = book
        self.doc = doc
        self.date = date
        self.names = book.find_names(nlp, doc)
        self.agent_names = book.find_agents(nlp, doc) if book.coded_agents else {}
        self.mentions: list[Mention] = []
        # Every country named, in order, for "both nations" and "the country".
        self.country_mentions: list[tuple[int, str]] = []
        # Every country and city named, in order, for the setting of unplaced actors.
        self.place_mentions: list[tuple[int, str]] = []
        self.current_sentence = 0
        self.people_seen: dict[str, Actor] = {}

    # ------------------------------------------------------------- the mentions
    def note_countries(self, mentions: Iterable[tuple[int, str]]) -> None:
        """Countries named in text the Doc does not hold (sentences the pre-filter left out), as
        (token index of the stretch they were in, ISO code): they count for "the country the
        article is about" as if they had been read."""
        for mention in mentions:
            bisect.insort(self.country_mentions, mention)

    def checkpoint(self) -> tuple:
        """What the resolver remembers so far, for ``restore`` when a sentence is coded again."""
        return (len(self.mentions), list(self.country_mentions), len(self.place_mentions), dict(self.people_seen),
                self.current_sentence)

    def restore(self, state: tuple) -> None:
        mentions, self.country_mentions, places, self.people_seen, self.current_sentence = state
        del self.mentions[mentions:]
        del self.place_mentions[places:]

    def entities_recognised(self, sent: Span) -> list[int]:
        """Named entities have just been added to ``sent``: a town's name that is now part of a
        person's is no place ("Feliciano Valencia"), as ``ActorDictionary.find_names`` decides.
        Returns the tokens that no longer name anything."""
        dropped = []
        for i in range(sent.start, sent.end):
            found = self.names.get(i)
            if found and all(e.kind == "city" for e in found[1]) and any(t.ent_type_ == "PERSON" for t in found[0]):
                del self.names[i]
                dropped.append(i)
        return dropped

    def scan_sentence(self, sent: Span, sentence_index: int) -> None:
        """Record the actors named in a sentence, in order, before its events are coded."""
        self.current_sentence = sentence_index
        for token in sent:
            entry = self.names.get(token.i)
            if entry and entry[1][0].kind in (*COUNTRY_NAME_KINDS, "city"):
                if entry[0].start == token.i:
                    self.place_mentions.append((token.i, entry[1][0].key))
                    if entry[1][0].kind != "city":
                        # In text order also among mentions known beforehand (``note_countries``).
                        bisect.insort(self.country_mentions, (token.i, entry[1][0].key))
            if token.dep_ in ("compound", "amod", "nmod", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN"):
                continue  # a modifier, resolved with its head (possessors count: "New Delhi's campaign")
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            if token.i in self.names and self.names[token.i][0].end - 1 != token.i:
                continue  # only the last token of a multi-token name heads it
            actors = self.resolve(token, allow_coref=True, record=False)
            if len(actors) == 1 and actors[0].via in ("person", "title") and token.pos_ == "PROPN" \
                    and token.lower_ not in self.book.agents:  # a name, not the title "Minister"
                # "Foreign Minister Sergey Lavrov" first, then plain "Lavrov".
                self.people_seen.setdefault(token.text, actors[0])
            if actors:
                plural = len(actors) > 1 or token.tag_ in ("NNS", "NNPS")
                person = len(actors) == 1 and (actors[0].via in ("person", "title")
                                               or (actors[0].sector in ("GOV", "MIL") and token.tag_ == "NN"
                                                   and actors[0].via == "agent")
                                               # a dictionary's office holder: "Lavrov [RUSGOV]"
                                               or (actors[0].via == "dictionary" and token.ent_type_ == "PERSON"))
                self.mentions.append(Mention(sentence_index, token.i, actors, person, plural))

    # ------------------------------------------------------------- resolution
    def resolve(self, head: Token, *, allow_coref: bool = True, record: bool = False,
                exclude: frozenset[str] = frozenset(), speaker: list[Actor] | None = None) -> list[Actor]:
        """Resolve the noun phrase headed by ``head`` to zero, one or more actors.

        A phrase with conjoined modifiers ("Indian and Pakistani ministers") gives one actor per
        country; ``exclude`` keeps the event's other side out of group descriptions.
        """
        lower = head.lower_
        if lower in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS | SPEAKER_PRONOUNS and head.pos_ != "PROPN":
            # ("US", the country, is a proper noun, not "us")
            return self._resolve_pronoun(head, exclude, speaker) if allow_coref else []
        if head.pos_ == "PRON":
            # "a move that Pakistan condemned": a relative pronoun stands for the noun it modifies.
            clause = next((a for a in head.ancestors if a.dep_ == "relcl"), None)
            if lower in ("that", "which", "who", "whom") and clause is not None and clause.head.pos_ in ("NOUN", "PROPN"):
                return self.resolve(clause.head, allow_coref=allow_coref, exclude=exclude, speaker=speaker)
            return []
        coded, named = self._resolve_coded(head)
        if named:
            return coded
        found = self._resolve_named(head, allow_coref, exclude, speaker)
        # An agent of a PETRARCH dictionary without a coded name ("officials": ---GOV) yields
        # to a built-in resolution that places the phrase in a country.
        return found if any(a.country for a in found) or not coded else coded

    def _resolve_named(self, head: Token, allow_coref: bool, exclude: frozenset[str],
                       speaker: list[Actor] | None) -> list[Actor]:
        """The built-in resolution: people, organisations, countries, agent nouns, groups."""
        if head.pos_ == "PROPN" and head.i not in self.names:
            # "Salaheddine Sidhoum, Algeria's leading human rights activist": the apposition says who.
            for child in head.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    described = self.resolve(child, allow_coref=False, exclude=exclude, speaker=speaker)
                    if any(a.country for a in described):
                        return described
        if head.lemma_.lower() in UTTERANCE_NOUNS:
            owners = [c for c in head.children if c.dep_ == "poss"]
            if owners:
                found = self.resolve(owners[0], allow_coref=allow_coref, exclude=exclude, speaker=speaker)
                return [_as_coreference(a, head) if a.via == "coreference" else a for a in found]
        if head.lemma_.lower() in COLLECTIVE_NOUNS or head.lower_ in COLLECTIVE_NOUNS or head.like_num:
            # "a group of tourists", "members of SANDF", "several of the largest unions"
            members = [p for c in head.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj"]
            if members:
                return self.resolve(members[0], allow_coref=allow_coref, exclude=exclude,
                                    speaker=speaker)
        np_tokens = list(_noun_phrase(head))
        entries = [(t, self.names[t.i]) for t in np_tokens if t.i in self.names]
        if not entries and head.pos_ == "PROPN" and head.text in self.people_seen:
            return [_as_coreference(self.people_seen[head.text], head)]
        if allow_coref and not entries:
            group = self._resolve_group(head, exclude)
            if group is not None:
                return group
        sector, _ = self.book.agent_sector(head)
        if sector is None and head.lemma_.lower() in OFFICE_NOUNS:
            # "the Lebanese president's office" speaks for the president
            owners = [c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON"]
            sector = self.book.agent_sector(owners[0])[0] if owners else None
        return [self._retired(head, actor) for actor in self._resolve_phrase(head, entries, sector, allow_coref,
                                                                             exclude, speaker)]

    def _resolve_phrase(self, head: Token, entries, sector: str | None, allow_coref: bool,
                        exclude: frozenset[str], speaker: list[Actor] | None) -> list[Actor]:
        # 1. A named person anywhere in the phrase (head, title compound or apposition); two
        # people joined by "and" that the parser folded into one phrase ("President Donald Trump
        # and Deputy Prime Minister Ishaq Dar announced ...") are both actors.
        people = []
        for token, (span, found) in entries:
            folded = any(t.dep_ == "cc" and t.lower_ == "and" for t in head.doc[span.end: head.i])
            if span.end - 1 != head.i and not folded and not any(
                    t.head.i == head.i and t.dep_ in ("appos", "compound", "conj") for t in span):
                continue  # a name inside a modifier is not who the phrase is: "AKK officials"
            entry = self._person_entry(found)
            if entry is not None and all(p[0] != entry.key for p in people):
                people.append((entry.key, span, token))
        if people:
            in_order = sorted(people, key=lambda p: p[1].start)
            doc = head.doc
            joined = len(people) > 1 and all(
                any(t.dep_ == "cc" and t.lower_ == "and" for t in doc[a[1].end:b[1].start])
                for a, b in zip(in_order, in_order[1:]))
            people = in_order if joined else people[:1]
            return [self._person_actor(key, span, token, head) for key, span, token in people]
        head_entry = self.names.get(head.i)
        if head_entry is not None and head_entry[1][0].kind in ("country", "capital") and head_entry[0].end - 1 == head.i:
            # A state named as the head outranks its modifiers: "NATO-member Norway".
            iso3 = head_entry[1][0].key
            return [self._actor(head_entry[0], self.book.country_name(iso3), iso3,
                                _name_sector(head, head_entry[1][0].kind), "name")]
        # 2. Organisations ("EU", "NATO troops").
        for token, (span, found) in entries:
            for entry in found:
                if entry.kind == "org":
                    org = self.book.organizations[entry.key]
                    # "NATO troops" are NATO's soldiers; "Congress Party" is the party itself, and
                    # "Boko Haram gunmen" are the group's fighters.
                    inside = span.start <= head.i < span.end
                    armed = org.sector in ("REB", "UAF") and sector in ("REB", "UAF", "MIL")
                    use_sector = org.sector if inside or armed or not sector else sector
                    return [self._actor(_np_span(head, span), org.name, org.country, use_sector, "org",
                                        actor_code(org.country, use_sector, org.code))]
        # 3. Countries, by name, capital, city, adjective or demonym; places the gazetteer knows.
        countries: list[tuple[str, str, Span]] = []  # (iso3, kind, span)
        for token, (span, found) in entries:
            entry = found[0]
            if entry.kind in COUNTRY_KINDS:
                if all(c[0] != entry.key for c in countries):
                    countries.append((entry.key, entry.kind, span))
        for token in self._place_tokens(head):
            iso3 = self._gazetteer_country(token)
            if iso3 and all(c[0] != iso3 for c in countries):
                countries.append((iso3, "place", token.doc[token.i: token.i + 1]))
        head_entry = self.names.get(head.i)
        head_kind = head_entry[1][0].kind if head_entry is not None else None
        if head_kind is None and countries and countries[0][2].end - 1 == head.i and countries[0][1] == "place":
            head_kind = "place"
        if head_kind == "adjective" and head.dep_ not in ("amod", "compound"):
            head_kind = "demonym"  # "the British said": the adjective stands for the people
        head_is_name = head_kind in ("country", "capital", "demonym", "city", "place")
        if countries and not head_is_name and not sector and head.pos_ == "PROPN":
            # An unlisted person with a title: "Pakistani Foreign Minister Ishaq Dar".
            sector = self._title_sector(head)
            if sector:
                iso3, _, span = countries[0]
                person = _person_span(head, self.book.agents)
                return [self._actor(_np_span(head, span), person.text, iso3, sector, "title")]
        if countries and (head_is_name or sector):
            if head_is_name:
                if head_entry is not None:
                    iso3, span = head_entry[1][0].key, head_entry[0]
                else:
                    iso3, _, span = countries[0]
                name_sector = _name_sector(head, head_kind)
                if head_kind == "demonym":
                    # A people living in another state belong to that state: "Bosnian Serbs",
                    # "ethnic Albanians in south Serbia", "the Albanians of southern Serbia".
                    home = next((c for c, _, _ in countries if c != iso3), None) or self._owner_of(head)[0]
                    if home is None and any(c.lower_ == "ethnic" for c in head.children):
                        # "ethnic Albanians" names a people, not a state's citizens: the state is
                        # left to the sentence's setting (coding._placed_by_context).
                        return [self._actor(span, None, None, "CVL", "ethnic")]
                    iso3 = home or iso3
                return [self._actor(span, self.book.country_name(iso3), iso3, name_sector, "name")]
            if not _conjoined_modifiers(head, entries):
                countries = countries[:1]
            actors = []
            for iso3, kind, span in countries:
                name = self._title_holder(head, iso3)
                actors.append(self._actor(_np_span(head, span), name or self.book.country_name(iso3),
                                          iso3, sector, "title" if name else "agent"))
            return actors
        if not sector and len(countries) > 1 and head.lemma_.lower() in STATE_GROUP_NOUNS \
                and _conjoined_modifiers(head, entries):
            # "the Turkish and Greek sides (of Cyprus)": each side is its state
            return [self._actor(_np_span(head, span), self.book.country_name(iso3), iso3, None, "name")
                    for iso3, kind, span in countries if kind in COUNTRY_NAME_KINDS]
        if not sector and head.pos_ == "PROPN":
            sector = self._title_sector(head)  # "Minister Juan Carlos Jobet", "Sen. Feliciano Valencia"
        # 4. An agent noun without a country: "the army of Pakistan", "its army", "police".
        owner, owner_sector = self._owner_of(head)
        if owner_sector and (not sector or sector == "GOV") and head.lemma_.lower() in PRESIDING_TITLES:
            sector = owner_sector  # "president of the Riigikogu" presides over a legislature
        if not sector and owner_sector and head.lemma_.lower() in OFFICE_NOUNS:
            sector = owner_sector  # "the Lebanese president's office"
        if sector:
            country = owner or (self._pronoun_country(head, exclude, speaker) if allow_coref else None)
            span = _np_span(head, None)
            if country is None and head.tag_ in ("NNS", "NN", "NNP") and allow_coref and _is_definite(head):
                # "the militants": the armed group named before; "the Prime Minister": whoever
                # held that office, on the article's date, in the country the story is about.
                prior = self._last(lambda m: any(a.sector == sector for a in m.actors), head)
                if prior and head.tag_ == "NNS":
                    return [_as_coreference(a, head) for a in prior.actors if a.sector == sector][:2]
                main = self._main_country(head, exclude)
                holder = self._title_holder(head, main) if main else None
                if holder:
                    return [self._actor(span, holder, main, sector, "title")]
                if prior:
                    return [_as_coreference(a, head) for a in prior.actors if a.sector == sector][:1]
            actors = [self._actor(span, self.book.country_name(country), country, sector, "agent")]
            # "delegates from Cambodia and Thailand": one actor per country
            for other in self._conjoined_countries(head, country):
                actors.append(self._actor(span, self.book.country_name(other), other, sector, "agent"))
            return actors
        if owner and head.pos_ == "NOUN" and head.tag_ == "NNS":
            # "targets in Syria": things of a country, standing for it
            return [self._actor(_np_span(head, None), self.book.country_name(owner), owner, None, "owner")]
        if countries and head.lemma_.lower() in PLACE_NOUNS:
            iso3, _, span = countries[0]  # "a Syrian island", "the Kashmiri town"
            return [self._actor(_np_span(head, span), self.book.country_name(iso3), iso3, None, "owner")]
        return []

    def _resolve_coded(self, head: Token) -> tuple[list[Actor], bool]:
        """Actors from coded names and agents (PETRARCH dictionaries) in the phrase of ``head``.

        The first coded name of the phrase (all of them when conjoined: "Eriadori and
        Calenardhon leaders"), else those after "of" ("the ambassadors of Arnor, Osgiliath and
        Gondor"; for an agent also "in" and "from"), else those a conjunct shares ("Danish media
        and government").
        Returns the actors and whether a coded name was found (without one, agents alone give
        "---GOV"-style actors).
        """
        if not (self.book.coded or self.book.coded_agents):
            return [], False
        phrase = list(_noun_phrase(head))
        # The parser may hang a list under one of its names: "Arnor, Calenardhon and the evil
        # Gondor" as Gondor <- Arnor (nmod) <- Calenardhon (conj).
        phrase += [c for t in phrase if t.dep_ in ("nmod", "appos") for c in t.conjuncts if c not in phrase]
        names = self._coded_names(phrase)
        agents = self._coded_agents(phrase, names)
        if not names:
            names = self._prep_names(head, bool(agents))
        if not names:
            for other in _coordinated(head):
                shared = [t for t in _noun_phrase(other) if t.i < other.i]
                names = self._coded_names(shared) or self._prep_names(other, True)
                if names:
                    agents = self._coded_agents(shared, names) + agents
                    break
        if not names and not agents:
            return [], False
        actors = []
        for span, actor in names or [(None, None)]:
            written = _np_span(head, span)
            for code in actor.codes_on(self.date) if actor else ("---",):  # "---": no known actor
                full, core = compose_code(code, agents)
                actors.append(Actor(text=written.text, name=actor.name if actor else None,
                                    country=core[:3] if actor else None, sector=core[3:] or None, code=full,
                                    char_start=written.start_char, char_end=written.end_char, via="dictionary"))
        return list(dict.fromkeys(actors)), bool(names)

    def _prep_names(self, head: Token, is_agent: bool) -> list[tuple[Span, CodedActor]]:
        """Coded names after "of" ("the pass of Cirith Ungol") or, for an agent, after "in" or
        "from" ("soldiers from Gondor"; an attack in a place is not the place's)."""
        words = ("of", "in", "from") if is_agent else ("of",)
        return [n for member in _prep_members(head, words) for n in self._coded_names(list(_noun_phrase(member)))[:1]]

    def _coded_names(self, tokens: list[Token]) -> list[tuple[Span, CodedActor]]:
        """Coded names among ``tokens``: the first, or every one when they are conjoined."""
        found: list[tuple[Span, CodedActor]] = []
        keys: list[str] = []
        for token in sorted(tokens, key=lambda t: t.i):
            span, entries = self.names.get(token.i, (None, []))
            entry = next((e for e in entries if e.kind == "coded"), None)
            if entry and entry.key not in keys:
                keys.append(entry.key)
                found.append((span, self.book.coded[entry.key]))
        # Several names are several actors only when coordinated ("Eriadori and Calenardhon
        # leaders"; the parser may hang "Fornost and the evil Gondor" as one phrase); otherwise
        # the first names the actor ("Ithilen's minister Calimehtar" is Ithilen's).
        if len(found) > 1 and not any(c.dep_ == "cc" for span, _ in found for t in span for c in t.children):
            return found[:1]
        return found

    def _coded_agents(self, tokens: list[Token], names: list[tuple[Span, CodedActor]]) -> list[AgentCode]:
        """Coded agents among ``tokens`` in their order, skipping words that belong to a name."""
        in_names = {i for span, _ in names for i in range(span.start, span.end)}
        seen, out = set(), []
        for token in sorted(tokens, key=lambda t: t.i):
            span, agent = self.agent_names.get(token.i, (None, None))
            if span is not None and span.start not in seen and not in_names & set(range(span.start, span.end)):
                seen.add(span.start)
                out.append(agent)
        return out

    def _person_entry(self, found: list[NameEntry]) -> NameEntry | None:
        """The person a name stands for; a name several people share ("Bush", "Clinton") is
        the one whose term is nearest the article's date (the first listed without a date)."""
        people = [e for e in found if e.kind == "person"]
        if len(people) < 2 or not self.date:
            return people[0] if people else None
        return min(people, key=lambda e: _date_distance(self.book.person_on(e.key, self.date), self.date))

    def _person_actor(self, key: str, span: Span, token: Token, head: Token) -> Actor:
        term = self.book.person_on(key, self.date)
        # Out of office on the article's date: a former official (CAMEO's elites); a title the
        # text gives says what the person is now ("Senator Marco Rubio").
        left = bool(self.date and term.end and term.end < self.date)
        sector = "ELI" if left else term.sector
        serving = bool(self.date and term.start <= self.date and not left)
        if token is head and head.pos_ == "PROPN" and not serving:
            sector = self._title_sector(head) or sector
        return self._actor(span, term.name, term.country, sector, "person")

    def _retired(self, head: Token, actor: Actor) -> Actor:
        """"former President Trump", "a retired general": an elite, no longer in office."""
        if actor.sector and actor.via != "coreference" and any(
                t.lower_ in RETIRED_WORDS and t.dep_ in ("amod", "advmod", "compound")
                for c in head.lefts for t in c.subtree):
            return replace(actor, sector="ELI", code=actor_code(actor.country, "ELI"))
        return actor

    def resolve_owner(self, head: Token) -> list[Actor]:
        """The country a thing belongs to, from its modifier: "Indian posts" -> India, "US
        Predator attacks" -> the United States."""
        # nmod: "Pakistan-administered Kashmir" parses Pakistan as a noun modifier
        modifiers = [c for c in head.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children if g.dep_ in ("compound", "amod")]
        for child in modifiers:
            if child.i in self.names:
                span, found = self.names[child.i]
                if found[0].kind in ("country", "capital", "adjective", "city"):
                    iso3 = found[0].key
                    return [self._actor(_np_span(head, span), self.book.country_name(iso3), iso3, None, "owner")]
        return []

    def place_actor(self, iso3: str, span: Span) -> Actor:
        """The country of the place where an event happened, standing in for its target."""
        country = self.book.countries.get(iso3)
        return self._actor(span, country.name if country else iso3, iso3, None, "location")

    def with_country(self, actor: Actor, iso3: str) -> Actor:
        """A sector-only actor placed in a country ("tourists" attacked in Pahalgam: Indian)."""
        if actor.country:
            return actor
        return replace(actor, country=iso3, name=actor.name or self.book.country_name(iso3),
                       code=actor_code(iso3, actor.sector), via="location")

    def actor_tokens(self) -> set[int]:
        """Token indexes of the people and organisations the dictionary knows."""
        return {i for i, (_, found) in self.names.items() if found[0].kind in ("person", "org")}

    def country_tokens(self) -> dict[int, str]:
        """Token index -> ISO code of every country name, capital, adjective and demonym."""
        return {i: found[0].key for i, (_, found) in self.names.items()
                if found[0].kind in COUNTRY_KINDS}

    def _actor(self, span: Span, name: str | None, country: str | None, sector: str | None,
               via: str, code: str | None = None) -> Actor:
        sector = None if sector == UNKNOWN_SECTOR else sector
        return Actor(text=span.text, name=name, country=country, sector=sector,
                     code=code or actor_code(country, sector), char_start=span.start_char,
                     char_end=span.end_char, via=via)

    def _title_sector(self, head: Token) -> str | None:
        for token in head.lefts:
            if token.dep_ in ("compound", "nmod") and token.i not in self.names:
                sector, _ = self.book.agent_sector(token)
                if sector:
                    return sector
        return None

    def _title_holder(self, head: Token, iso3: str) -> str | None:
        """"Pakistani Prime Minister" on a known date: the office holder's name."""
        role_tokens = [t for t in head.lefts if t.dep_ == "compound"] + [head]
        role = " ".join(t.lower_ for t in role_tokens if t.pos_ in ("NOUN", "PROPN") and t.i not in self.names)
        holder = self.book.office_holder(iso3, role, self.date) if role else None
        return holder.name if holder else None

    def _conjoined_countries(self, head: Token, first: str | None) -> list[str]:
        """Countries coordinated with the one found after "of", "from" or "in"."""
        out = []
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "from", "in"):
                for pobj in prep.children:
                    for conj in (pobj.conjuncts if pobj.dep_ == "pobj" else ()):
                        entry = self.names.get(conj.i)
                        if entry and entry[1][0].kind in ("country", "capital") and entry[1][0].key not in (first, *out):
                            out.append(entry[1][0].key)
        return out if first else []

    def _owner_of(self, head: Token, depth: int = 0) -> tuple[str | None, str | None]:
        """The country (and, for a body, its sector) a phrase belongs to, from "of/from/in/at ..."
        or a possessor: "the army of Pakistan", "president of the European Council", "police in
        Kabul", "a professor at the University of St. Andrews in Scotland", "the president's office",
        "a newspaper based in Beirut"."""
        links = list(head.children)
        links += [p for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in ("base", "locate", "headquarter")
                  for p in c.children if p.dep_ == "prep" and p.lower_ == "in"]
        # "militants loyal to Zarqawi", "forces loyal to Gaddafi": they fight for that side
        loyal = [p for c in head.children if c.dep_ in ("amod", "acl") and c.lower_ == "loyal"
                 for p in c.children if p.dep_ == "prep" and p.lower_ == "to"]
        links += loyal
        for child in links:
            targets = []
            if child.dep_ == "prep" and (child.lower_ in ("of", "from", "in", "at", "across", "inside", "throughout")
                                         or child in loyal):
                targets = [p for p in child.children if p.dep_ == "pobj"]
            elif child.dep_ == "poss" and child.pos_ != "PRON":
                targets = [child]
            for target in targets:
                entry = self.names.get(target.i)
                if entry is not None:
                    found = entry[1][0]
                    if found.kind in COUNTRY_KINDS:
                        return found.key, None
                    if found.kind == "org":
                        org = self.book.organizations[found.key]
                        return org.country, org.sector if org.sector not in ("IGO", "NGO") else None
                    if found.kind == "person":
                        term = self.book.person_on(found.key, self.date)
                        return term.country, term.sector
                if child.dep_ == "prep":
                    # "doctors from two American aid groups": the object's own modifiers count
                    for modifier in target.lefts:
                        named = self.names.get(modifier.i)
                        if modifier.dep_ in ("amod", "compound", "poss") and named is not None and \
                                named[1][0].kind in ("country", "capital", "adjective"):
                            return named[1][0].key, None
                place = self._gazetteer_country(target) if target.pos_ == "PROPN" and \
                    target.ent_type_ not in ("ORG", "PERSON", "NORP") else None
                if place is None and target.lemma_.lower() in PLACE_NOUNS:
                    # "the government of Sindh province": the region named before the noun
                    place = next((found for m in target.lefts if m.dep_ == "compound" and m.pos_ == "PROPN"
                                  and m.i not in self.names for found in [self._gazetteer_country(m)] if found), None)
                if place:
                    return place, None
                if depth < 2:
                    inner = self._owner_of(target, depth + 1)
                    if inner[0] or inner[1]:
                        return inner[0], inner[1] or self.book.agent_sector(target)[0]
        return None, None

    def _pronoun_country(self, head: Token, exclude: frozenset[str], speaker: list[Actor] | None) -> str | None:
        """"its army", "the country's army": the country of the possessor's antecedent."""
        for child in head.children:
            if child.dep_ != "poss":
                continue
            if child.pos_ == "PRON":
                found = self._resolve_pronoun(child, exclude, speaker)
            else:
                found = self._resolve_group(child, exclude) or []
            if len(found) == 1 and found[0].country:
                return found[0].country
        return None

    def _main_country(self, head: Token, exclude: frozenset[str]) -> str | None:
        """The country the article has named most often before ``head`` (the latest breaks ties)."""
        counts: dict[str, tuple[int, int]] = {}
        for index, iso3 in self.country_mentions:
            if index < head.i and iso3 not in exclude:
                seen = counts.get(iso3, (0, 0))
                counts[iso3] = (seen[0] + 1, index)
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _place_tokens(self, head: Token) -> list[Token]:
        """Proper nouns of the phrase the dictionary does not know but a gazetteer might:
        the head when the parser calls it a place, or a modifier of an agent noun ("Kyiv police")."""
        out = []
        if head.pos_ in ("PROPN", "NOUN") and head.is_title and head.i not in self.names \
                and head.ent_type_ in ("GPE", "LOC", "ORG", "") and not any(
                    c.dep_ == "det" or (c.dep_ == "prep" and c.lower_ == "of") for c in head.children) \
                and not (head.pos_ == "NOUN" and head.lemma_.lower() in self.book.agents):
            out.append(head)  # (an agent noun opening a sentence is no town: "Police arrested ...")
        for child in head.children:
            if child.dep_ in ("compound", "nmod", "amod", "npadvmod") and child.i not in self.names \
                    and child.pos_ in ("PROPN", "NOUN", "ADJ") and (child.is_title or child.is_upper) \
                    and child.ent_type_ != "PERSON" and child.i < head.i:
                out.append(child)
        return out

    def _gazetteer_country(self, token: Token) -> str | None:
        """The country of a town or region the gazetteer knows (sizeable places only)."""
        from .geo import load_gazetteer

        if token.is_stop or len(token.text) < 3 or token.lower_ in DIRECTION_WORDS:
            return None
        name = _proper_name(token).text
        name = name.title() if name.isupper() else name
        named = {c for _, c in self.country_mentions}
        place = load_gazetteer().best(name, named)
        if place is None or place.kind == "country":
            return None
        if place.kind == "city" and place.population < (
                MIN_PLACE_POPULATION if place.country in named else MIN_UNNAMED_PLACE_POPULATION):
            return None
        return place.country

    def _resolve_group(self, head: Token, exclude: frozenset[str]) -> list[Actor] | None:
        """"both nations", "the two countries", "the two ministers"; "the country" (the one
        named last)."""
        lemma = head.lemma_.lower()
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "predet", "preconj", "amod")}
        if lemma in STATE_NOUNS and head.tag_ == "NN" and dets & {"the", "this"} and not any(
                c.dep_ == "prep" and c.lower_ == "of" for c in head.children):
            latest = [iso3 for index, iso3 in self.country_mentions if index < head.i and iso3 not in exclude]
            if latest:
                span = _np_span(head, None)
                return [self._actor(span, self.book.countries[latest[-1]].name, latest[-1], None, "coreference")]
            return []
        if not (dets & {"both", "two"}) or head.tag_ not in ("NNS", "NNPS"):
            return None
        if lemma in STATE_GROUP_NOUNS:
            # The pair the article is about: the two countries named most often so far (the
            # latest mention breaks ties), leaving out the side that speaks of them.
            counts: dict[str, list[int]] = {}
            for index, iso3 in self.country_mentions:
                if index < head.i and iso3 not in exclude:
                    entry = counts.setdefault(iso3, [0, 0])
                    entry[0] += 1
                    entry[1] = index
            ranked = sorted(counts, key=lambda c: (counts[c][0], counts[c][1]), reverse=True)[:2]
            if len(ranked) == 2:
                span = _np_span(head, None)
                ranked.sort(key=lambda c: min(i for i, x in self.country_mentions if x == c))
                return [self._actor(span, self.book.country_name(c), c, None, "coreference") for c in ranked]
            return []
        if lemma in PERSON_GROUP_NOUNS:
            people: list[Actor] = []
            for mention in reversed(self._window(head)):
                for actor in mention.actors:
                    if mention.is_person and actor.country not in {p.country for p in people}:
                        people.append(actor)
                if len(people) == 2:
                    return [_as_coreference(a, head) for a in reversed(people)]
            return []
        return None

    def _resolve_pronoun(self, pron: Token, exclude: frozenset[str], speaker: list[Actor] | None) -> list[Actor]:
        lower = pron.lower_
        if lower in REFLEXIVE_PRONOUNS and pron.dep_ in ("dobj", "pobj") and pron.head.i != pron.i:
            # "Iraq had attacked themselves": a reflexive object is its own clause's subject.
            verb = pron.head.head if pron.dep_ == "pobj" else pron.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects:
                return [_as_coreference(a, pron) for s in subjects
                        for a in self.resolve(s, exclude=frozenset(), speaker=speaker)]
        if lower in SPEAKER_PRONOUNS:
            return [_as_coreference(a, pron) for a in speaker] if speaker else []
        if speaker and (lower in THING_PRONOUNS | PLURAL_PRONOUNS or (lower in PERSON_PRONOUNS and len(speaker) == 1)):
            # Reported speech: "Pakistan said it would retaliate", "Annan said he would withdraw
            # the inspectors" keep the speaker.
            return [_as_coreference(a, pron) for a in speaker]
        if lower in PERSON_PRONOUNS:
            mention = self._last(lambda m: m.is_person, pron)
        elif lower in THING_PRONOUNS:
            mention = self._last(lambda m: not m.is_person and not m.is_plural
                                 and any(a.country for a in m.actors), pron)
        else:
            mention = self._last(lambda m: m.is_plural, pron) or self._last(
                lambda m: not m.is_person and any(a.country for a in m.actors), pron)
        if not mention:
            return []
        return [_as_coreference(a, pron) for a in mention.actors if a.country not in exclude or not a.country]

    def _window(self, token: Token) -> list[Mention]:
        current = self.current_sentence
        return [m for m in self.mentions
                if m.token_index < token.i and current - m.sentence_index <= COREF_WINDOW]

    def _last(self, predicate, token: Token) -> Mention | None:
        for mention in reversed(self._window(token)):
            if mention.token_index != token.i and predicate(mention):
                return mention
        return None


def _as_coreference(actor: Actor, token: Token) -> Actor:
    return Actor(text=token.text if token.pos_ == "PRON" else _np_span(token, None).text,
                 name=actor.name, country=actor.country, sector=actor.sector, code=actor.code,
                 char_start=token.idx if token.pos_ == "PRON" else _np_span(token, None).start_char,
                 char_end=token.idx + len(token) if token.pos_ == "PRON" else _np_span(token, None).end_char,
                 via="coreference")


def _noun_phrase(head: Token) -> Iterator[Token]:
    """The head and the modifiers that can name its actor, not clauses or other arguments."""
    yield head
    for child in head.children:
        # (a conjoined modifier too: "US and British activists", parsed US <-nmod- activists)
        if child.dep_ in NP_MODIFIER_DEPS or (child.dep_ == "conj" and head.dep_ in ("amod", "compound", "nmod")):
            yield from _noun_phrase(child)


def _prep_members(head: Token, words: tuple[str, ...]) -> list[Token]:
    """The objects (with their conjuncts) of the prepositions ``words`` after a noun."""
    return [member for child in head.children if child.dep_ == "prep" and child.lower_ in words
            for pobj in child.children if pobj.dep_ == "pobj" for member in (pobj, *pobj.conjuncts)]


def _coordinated(head: Token) -> list[Token]:
    """The other nouns coordinated with ``head`` ("media" for "government" in "media and
    government")."""
    return [t for t in head.conjuncts if t.pos_ in ("NOUN", "PROPN")]


def _conjoined_modifiers(head: Token, entries) -> bool:
    """True for "Indian and Pakistani ministers": the country modifiers are conjoined."""
    return any(t.dep_ == "conj" and t.head.dep_ in ("amod", "compound", "nmod") for t, _ in entries)


def _np_span(head: Token, name: Span | None) -> Span:
    """The phrase as written: the head with its left modifiers (and the name inside it)."""
    start = min([t.i for t in head.lefts if t.dep_ in NP_MODIFIER_DEPS | {"det"}] + [head.i])
    doc = head.doc
    while start < head.i and doc[start].dep_ == "det":
        start += 1
    if name is not None:
        start = min(start, name.start)
    return doc[start: head.i + 1]


def _proper_name(token: Token) -> Span:
    """The proper name ending at ``token``: "St. Andrews", "Puerto Penasco"."""
    start = token.i
    while start > 0 and token.doc[start - 1].pos_ == "PROPN" and token.doc[start - 1].dep_ == "compound" \
            and token.doc[start - 1].head.i == token.i:
        start -= 1
    return token.doc[start: token.i + 1]


def _person_span(head: Token, titles: Iterable[str] = ()) -> Span:
    """The name part of "Foreign Minister Ishaq Dar": the entity around the head, or the head.

    In a sentence the entity recognizer has not read (after the pre-filter it reads only those
    with an event), the proper nouns just before the head that are no title (``titles``)."""
    doc = head.doc
    if head.ent_type_ == "PERSON":
        for ent in doc.ents:
            if ent.start <= head.i < ent.end:
                return ent
    if head.ent_iob != 0:
        return doc[head.i: head.i + 1]
    start = _proper_name(head).start
    while start < head.i and (doc[start].lower_ in titles or not doc[start].is_title):
        start += 1
    return doc[start: head.i + 1]


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in head.children)


# --------------------------------------------------------------------------- lookups


@dataclass(frozen=True)
class Resolution:
    """How a name or title resolves on a date: the actor, and the office term behind it."""

    text: str
    actor: Actor | None
    role: str | None = None  # the office ("prime minister") when a person or title resolved
    term_start: str | None = None
    term_end: str | None = None

    def to_record(self) -> dict:
        record = {"text": self.text, **(self.actor.to_record() if self.actor else {"country": None, "sector": None,
                                                                                  "code": None, "name": None})}
        record.update(role=self.role, term_start=self.term_start, term_end=self.term_end)
        return record

    def describe(self) -> str:
        """One line: "Khawaja Asif -> Khawaja Asif: PAK GOV (PAKGOV), defence minister 2024-03-04 to now"."""
        if self.actor is None:
            return f"{self.text} -> not resolved"
        actor = self.actor
        line = (f"{self.text} -> {actor.name or actor.text}: {actor.country or '-'} {actor.sector or '-'} "
                f"({actor.code or '-'}), via {actor.via}")
        if self.role:
            line += f"; {self.role} {self.term_start or '?'} to {self.term_end or 'now'}"
        return line


def lookup_actor(text: str, date: str | None = None, *, context: str | None = None,
                 book: ActorDictionary | None = None, nlp: Language | None = None) -> list[Resolution]:
    """Resolve a name, title or description as the coder would ("Khawaja Asif", "Pakistani Prime
    Minister", "four Saudi men") on ``date`` (YYYY-MM-DD; the latest term without one).

    Args:
        text: the phrase, alone.
        date: the day it is read on: titles resolve to whoever held the office then.
        context: a country said elsewhere ("German" for "Defense Minister"): used when the
            phrase itself names none.
        book, nlp: the actor dictionary and spaCy pipeline (the defaults when None).

    Returns:
        One resolution per actor the phrase stands for (two for "Indian and Pakistani
        ministers"); one with ``actor=None`` when nothing resolves.
    """
    from .nlp import load_pipeline

    nlp = nlp or load_pipeline()
    book = book or default_dictionary()
    phrase = " ".join(text.split())
    # A phrase alone often parses badly ("Boko Haram gunmen" as a clause), and as the subject
    # of a sentence sometimes does ("crowd control police said"): both readings are resolved
    # and the one that says more (a country, a sector) is kept.
    readings = []
    for doc in (nlp(phrase + " said."), nlp(phrase)):
        head = next((t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.head.lower_ == "said"
                     and t.idx < len(phrase)), None) if len(doc) > 2 and doc[-2].lower_ == "said" else None
        head = head if head is not None else _phrase_head(doc)
        if head is not None and head.idx < len(phrase):
            found = ActorResolver(book, nlp, doc, date).resolve(head, allow_coref=False)
            readings.append((found, head.i))
    # Ties go to the reading whose head comes later: English noun phrases end in their head.
    actors = max(readings, key=lambda r: (sum(bool(a.country) + bool(a.sector) for a in r[0][:1]), r[1]),
                 default=([], 0))[0]
    if context:
        iso3 = _country_in(book, nlp, context)
        if iso3:
            actors = [a if a.country else replace(a, country=iso3, code=actor_code(iso3, a.sector))
                      for a in actors] or [Actor(text=text, name=book.countries[iso3].name, country=iso3,
                                                 code=iso3, via="context")]
    if not actors:
        return [Resolution(text, None)]
    out = []
    for actor in actors:
        term = None
        if actor.via in ("person", "title") and actor.name in book.people:
            term = book.person_on(actor.name, date)
        out.append(Resolution(text, actor, term.role if term else None, term.start if term else None,
                              (term.end or None) if term else None))
    return out


def _phrase_head(doc: Doc) -> Token | None:
    """The word a phrase is about: the root of its first noun phrase ("Chile's Defense Ministry"
    -> Ministry, "Harry Tseng, Taiwan's deputy foreign minister" -> Tseng)."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if roots and roots[0].pos_ in ("NOUN", "PROPN", "PRON"):
        return roots[0]
    chunks = list(doc.noun_chunks)
    if chunks:
        return chunks[0].root
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else (roots[0] if roots else None)


def _country_in(book: ActorDictionary, nlp: Language, text: str) -> str | None:
    doc = nlp.make_doc(text)
    for _, (span, found) in sorted(book.find_names(nlp, doc).items()):
        for entry in found:
            if entry.kind in ("country", "capital", "adjective", "demonym"):
                return entry.key
    return None
