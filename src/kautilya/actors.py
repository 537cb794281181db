"""Actors: names, titles, agent nouns and pronouns resolved to country, sector and CAMEO code.

Knowledge lives in tab-separated files under ``data/`` (countries, organisations, office
holders with their dates, agent nouns); users add files of the same format with
``ActorDictionary.load(extra=[...])``. Matching is done on the parsed ``Doc``: a spaCy
``PhraseMatcher`` finds every known name, then each noun phrase that fills an event role is
resolved from its head, its modifiers (``Pakistani officials``), its apposition (``his Indian
counterpart, S. Jaishankar``) or, for pronouns and descriptions such as ``both nations``,
from the actors named before it in the article.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
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
# "both nations", "the two countries": a pair of states named before.
STATE_GROUP_NOUNS = {"nation", "country", "side", "neighbour", "neighbor", "rival", "state",
                     "government", "capital", "power", "party"}
PERSON_GROUP_NOUNS = {"minister", "leader", "official", "man", "woman", "diplomat", "envoy",
                      "counterpart", "president", "premier", "chief"}
# How far back (in sentences) a pronoun may look for its antecedent.
COREF_WINDOW = 3


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str


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


@dataclass
class ActorDictionary:
    countries: dict[str, Country] = field(default_factory=dict)
    organizations: dict[str, Organization] = field(default_factory=dict)
    people: dict[str, list[Person]] = field(default_factory=dict)
    agents: dict[str, str] = field(default_factory=dict)  # lemma phrase -> sector
    phrases: dict[str, list[NameEntry]] = field(default_factory=dict)
    version: str = ""
    _matchers: dict[int, PhraseMatcher] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> "ActorDictionary":
        """Load the built-in actor files, then each extra file (kind told by its header).

        Raises:
            DictionaryError: a file has a bad header or a bad row (file and line named).
        """
        book = cls()
        data = resources.files("kautilya") / "data"
        names = []
        for name in ("countries.tsv", "organizations.tsv", "people.tsv", "agents.tsv"):
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
        self.countries[iso3] = Country(iso3, r["name"])
        for text in [r["name"], *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("country", iso3))
        for text in _split(r.get("capital", "")):
            self._phrase(text, NameEntry("capital", iso3))
        for text in _split(r.get("adjectives", "")):
            self._phrase(text, NameEntry("adjective", iso3))
        for text in _split(r.get("demonyms", "")):
            self._phrase(text, NameEntry("demonym", iso3))
        for text in _split(r.get("cities", "")):
            # Cities place events ("a curfew in Abidjan"); they never stand for their state.
            if text not in self.phrases:
                self._phrase(text, NameEntry("city", iso3))

    def _add_organization(self, r: dict) -> None:
        org = Organization(r["code"], r["name"], r["country"], r["sector"], r.get("kind", ""))
        self.organizations[org.code] = org
        for text in [org.name, *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("org", org.code))

    def _add_person(self, r: dict) -> None:
        for key in ("start", "end"):
            if r.get(key) and len(r[key]) != 10:
                raise ValueError(f"{key} {r[key]!r} is not YYYY-MM-DD")
        person = Person(r["name"], r["country"], r["sector"], r.get("role", "").lower(),
                        r.get("start", ""), r.get("end", ""))
        self.people.setdefault(person.name, []).append(person)
        for text in [person.name, *_split(r.get("aliases", ""))]:
            self._phrase(text, NameEntry("person", person.name))

    def _add_agent(self, r: dict) -> None:
        if not r["sector"]:
            raise ValueError(f"agent {r['noun']!r} has no sector")
        self.agents[r["noun"].lower()] = r["sector"]

    # ----------------------------------------------------------------- matching
    def matcher_for(self, nlp: Language) -> PhraseMatcher:
        key = id(nlp.vocab)
        if key not in self._matchers:
            matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
            texts = list(self.phrases)
            for text, doc in zip(texts, nlp.tokenizer.pipe(texts)):
                matcher.add(text, [doc])
            self._matchers[key] = matcher
        return self._matchers[key]

    def find_names(self, nlp: Language, doc: Doc) -> dict[int, tuple[Span, list[NameEntry]]]:
        """Map each token index inside a known name to (the name's span, what it stands for)."""
        spans = []
        for match_id, start, end in self.matcher_for(nlp)(doc):
            spans.append(Span(doc, start, end, label=match_id))
        by_token: dict[int, tuple[Span, list[NameEntry]]] = {}
        # Longest match wins: "South Korea" over "Korea", "New Delhi" over "Delhi".
        for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
            if any(i in by_token for i in range(span.start, span.end)):
                continue
            entries = self.phrases[doc.vocab.strings[span.label]]
            for i in range(span.start, span.end):
                by_token[i] = (span, entries)
        return by_token

    # ------------------------------------------------------------------ lookups
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
        for terms in self.people.values():
            for term in terms:
                if term.country == country and term.role == role and term.start <= date \
                        and (not term.end or date <= term.end):
                    return term
        return None

    def agent_sector(self, head: Token) -> tuple[str | None, str | None]:
        """Sector of an agent noun, trying "foreign minister" before "minister"; with the phrase."""
        lemma = head.lemma_.lower()
        for child in head.children:
            if child.dep_ in ("compound", "amod") and child.i < head.i:
                # Multiword entries keep the modifier as written: "rights group", "security forces".
                for phrase in (f"{child.lower_} {lemma}", f"{child.lemma_.lower()} {lemma}",
                               f"{child.lower_} {head.lower_}"):
                    if phrase in self.agents:
                        return self.agents[phrase], phrase
        if lemma in self.agents:
            return self.agents[lemma], lemma
        if head.text.lower() in self.agents:
            return self.agents[head.text.lower()], head.text.lower()
        if head.tag_ == "NNPS" and lemma.endswith("s") and lemma[:-1] in self.agents:
            return self.agents[lemma[:-1]], lemma[:-1]  # "Kurds": proper plurals keep their "s"
        return None, None


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
        self.mentions: list[Mention] = []
        # Every country named, in order, for "both nations" and "the country".
        self.country_mentions: list[tuple[int, str]] = []
        # Every country and city named, in order, for the setting of unplaced actors.
        self.place_mentions: list[tuple[int, str]] = []
        self.current_sentence = 0
        self.people_seen: dict[str, Actor] = {}

    # ------------------------------------------------------------- the mentions
    def scan_sentence(self, sent: Span, sentence_index: int) -> None:
        """Record the actors named in a sentence, in order, before its events are coded."""
        self.current_sentence = sentence_index
        for token in sent:
            entry = self.names.get(token.i)
            if entry and entry[1][0].kind in ("country", "capital", "adjective", "demonym", "city"):
                if entry[0].start == token.i:
                    self.place_mentions.append((token.i, entry[1][0].key))
                    if entry[1][0].kind != "city":
                        self.country_mentions.append((token.i, entry[1][0].key))
            if token.dep_ in ("compound", "amod", "nmod", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN"):
                continue  # a modifier, resolved with its head (possessors count: "New Delhi's campaign")
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            if token.i in self.names and self.names[token.i][0].end - 1 != token.i:
                continue  # only the last token of a multi-token name heads it
            actors = self.resolve(token, allow_coref=True, record=False)
            if len(actors) == 1 and actors[0].via in ("person", "title") and token.pos_ == "PROPN":
                # "Foreign Minister Sergey Lavrov" first, then plain "Lavrov".
                self.people_seen.setdefault(token.text, actors[0])
            if actors:
                plural = len(actors) > 1 or token.tag_ in ("NNS", "NNPS")
                person = len(actors) == 1 and (actors[0].via in ("person", "title")
                                               or (actors[0].sector in ("GOV", "MIL") and token.tag_ == "NN"
                                                   and actors[0].via == "agent"))
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
        if head.pos_ == "PROPN" and head.i not in self.names:
            # "Salaheddine Sidhoum, Algeria's leading human rights activist": the apposition says who.
            for child in head.children:
                if child.dep_ == "appos" and child.pos_ == "NOUN":
                    described = self.resolve(child, allow_coref=False, exclude=exclude, speaker=speaker)
                    if any(a.country for a in described):
                        return described
        members = _members_of(head)
        if members is not None:
            # "Thousands of Iraqi Kurds", "a member of the Syrian parliament": the group counted.
            return self.resolve(members, allow_coref=allow_coref, exclude=exclude, speaker=speaker)
        np_tokens = list(_noun_phrase(head))
        entries = [(t, self.names[t.i]) for t in np_tokens if t.i in self.names]
        if not entries and head.pos_ == "PROPN" and head.text in self.people_seen:
            return [_as_coreference(self.people_seen[head.text], head)]
        if allow_coref and not entries:
            group = self._resolve_group(head, exclude)
            if group is not None:
                return group
        sector, _ = self.book.agent_sector(head)

        # 1. A named person anywhere in the phrase (head, title compound or apposition).
        for token, (span, found) in entries:
            if span.end - 1 != head.i and not (token.head.i == head.i and token.dep_ in ("appos", "compound")):
                continue  # a name inside a modifier is not who the phrase is: "AKK officials"
            for entry in found:
                if entry.kind == "person":
                    term = self.book.person_on(entry.key, self.date)
                    return [self._actor(span, term.name, term.country, term.sector, "person")]
        head_entry = self.names.get(head.i)
        if head_entry is not None and head_entry[1][0].kind in ("country", "capital") and head_entry[0].end - 1 == head.i:
            # A state named as the head outranks its modifiers: "NATO-member Norway".
            iso3 = head_entry[1][0].key
            return [self._actor(head_entry[0], self.book.countries[iso3].name, iso3, None, "name")]
        # 2. Organisations ("EU", "NATO troops").
        for token, (span, found) in entries:
            for entry in found:
                if entry.kind == "org":
                    org = self.book.organizations[entry.key]
                    use_sector = sector or org.sector
                    return [self._actor(_np_span(head, span), org.name, org.country, use_sector, "org",
                                        actor_code(org.country, use_sector, org.code))]
        # 3. Countries, by name, capital, adjective or demonym.
        countries: list[tuple[str, str, Span]] = []  # (iso3, kind, span)
        for token, (span, found) in entries:
            entry = found[0]
            if entry.kind in ("country", "capital", "adjective", "demonym"):
                if all(c[0] != entry.key for c in countries):
                    countries.append((entry.key, entry.kind, span))
        head_is_name = head_entry is not None and head_entry[1][0].kind in ("country", "capital", "demonym")
        if countries and not head_is_name and not sector and head.pos_ == "PROPN":
            # An unlisted person with a title: "Pakistani Foreign Minister Ishaq Dar".
            sector = self._title_sector(head)
            if sector:
                iso3, _, span = countries[0]
                person = _person_span(head)
                return [self._actor(_np_span(head, span), person.text, iso3, sector, "title")]
        if countries and (head_is_name or sector):
            if head_is_name:
                iso3 = head_entry[1][0].key
                head_sector = "CVL" if head_entry[1][0].kind == "demonym" else None
                if head_sector:
                    # A people living in another state belong to that state: "Bosnian Serbs",
                    # "ethnic Albanians in south Serbia", "the Albanians of southern Serbia".
                    home = next((c for c, _, _ in countries if c != iso3), None) or \
                        self._country_of(head, exclude, speaker)
                    if home is None and any(c.lower_ == "ethnic" for c in head.children):
                        # "ethnic Albanians" names a people, not a state's citizens: the state is
                        # left to the sentence's setting (coding._placed_by_context).
                        return [self._actor(head_entry[0], None, None, head_sector, "ethnic")]
                    iso3 = home or iso3
                return [self._actor(head_entry[0], self.book.countries[iso3].name, iso3, head_sector, "name")]
            if not _conjoined_modifiers(head, entries):
                countries = countries[:1]
            actors = []
            for iso3, kind, span in countries:
                name = self._title_holder(head, iso3)
                actors.append(self._actor(_np_span(head, span), name or self.book.countries[iso3].name,
                                          iso3, sector, "title" if name else "agent"))
            return actors
        if not sector and not entries and head.pos_ == "PROPN":
            # "King Hassan of Morocco": a title on an unlisted name, the country after "of".
            sector = self._title_sector(head)
        # 4. An agent noun without a country: "the army of Pakistan", "its army", "police".
        if sector:
            country = self._country_of(head, exclude, speaker) if allow_coref else None
            span = _np_span(head, None)
            if country is None and head.tag_ in ("NNS", "NN") and allow_coref and _is_definite(head):
                prior = self._last(lambda m: any(a.sector == sector for a in m.actors), head)
                if prior:
                    return [a for a in prior.actors if a.sector == sector][:2]
            name = self.book.countries[country].name if country in self.book.countries else None
            actors = [self._actor(span, name, country, sector, "agent")]
            # "delegates from Cambodia and Thailand": one actor per country
            for other in self._conjoined_countries(head, country):
                actors.append(self._actor(span, self.book.countries[other].name, other, sector, "agent"))
            return actors
        return []

    def resolve_owner(self, head: Token) -> list[Actor]:
        """The country a thing belongs to, from its modifier: "Indian posts" -> India, "US
        Predator attacks" -> the United States."""
        modifiers = [c for c in head.children if c.dep_ in ("amod", "compound", "poss")]
        modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children if g.dep_ in ("compound", "amod")]
        for child in modifiers:
            if child.dep_ in ("amod", "compound", "poss") and child.i in self.names:
                span, found = self.names[child.i]
                if found[0].kind in ("country", "capital", "adjective"):
                    iso3 = found[0].key
                    return [self._actor(_np_span(head, span), self.book.countries[iso3].name, iso3, None, "owner")]
        return []

    def _actor(self, span: Span, name: str | None, country: str | None, sector: str | None,
               via: str, code: str | None = None) -> Actor:
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

    def _country_of(self, head: Token, exclude: frozenset[str], speaker: list[Actor] | None) -> str | None:
        """The country after "of", "from" or "in" ("the army of Pakistan", "militants from
        Afghanistan", "security forces in Guinea", "doctors from American aid groups"), or of a
        possessive pronoun ("its army")."""
        preps = [c for c in head.children if c.dep_ == "prep"]
        # "a newspaper based in Beirut", "a group headquartered in Geneva"
        preps += [p for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in ("base", "locate", "headquarter")
                  for p in c.children if p.dep_ == "prep" and p.lower_ == "in"]
        for child in head.children:
            if child.dep_ == "poss" and child.pos_ == "PRON":
                found = self._resolve_pronoun(child, exclude, speaker)
                if len(found) == 1 and found[0].country:
                    return found[0].country
        for child in preps:
            if child.lower_ in ("of", "from", "in", "throughout", "across"):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    # "doctors from two American aid groups": the pobj's own modifiers count
                    names = [pobj] + [t for t in pobj.lefts if t.dep_ in ("amod", "compound", "poss")]
                    for name in names:
                        if name.i in self.names and self.names[name.i][1][0].kind in ("country", "capital"):
                            return self.names[name.i][1][0].key
                        if name.i in self.names and self.names[name.i][1][0].kind == "org" and child.lower_ != "in":
                            country = self.book.organizations[self.names[name.i][1][0].key].country
                            if len(country) == 3 and country in self.book.countries:
                                return country  # "activists from the Fatah party"
        return None

    def _resolve_group(self, head: Token, exclude: frozenset[str]) -> list[Actor] | None:
        """"both nations", "the two countries", "the two ministers"."""
        lemma = head.lemma_.lower()
        dets = {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "predet", "preconj", "amod")}
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
                return [self._actor(span, self.book.countries[c].name, c, None, "coreference") for c in ranked]
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


QUANTITY_NOUNS = {"thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "score", "scores", "ten",
                  "tens", "million", "millions", "number", "group", "member", "members", "majority", "some",
                  "many", "most", "all", "several", "contingent", "band", "crowd", "batch", "patch", "deployment"}


def _members_of(head: Token) -> Token | None:
    """The "of" phrase of a quantity or group word that heads a noun phrase, if it has one."""
    if head.lemma_.lower() not in QUANTITY_NOUNS and head.lower_ not in QUANTITY_NOUNS and not head.like_num:
        return None
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return None


def _noun_phrase(head: Token) -> Iterator[Token]:
    """The head and the modifiers that can name its actor, not clauses or other arguments."""
    yield head
    for child in head.children:
        if child.dep_ in NP_MODIFIER_DEPS or (child.dep_ == "conj" and head.dep_ in ("amod", "compound")):
            yield from _noun_phrase(child)


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


def _person_span(head: Token) -> Span:
    """The name part of "Foreign Minister Ishaq Dar": the entity around the head, or the head."""
    if head.ent_type_ == "PERSON":
        for ent in head.doc.ents:
            if ent.start <= head.i < ent.end:
                return ent
    return head.doc[head.i: head.i + 1]


def _is_definite(head: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in head.children)
