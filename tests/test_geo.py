"""Places: the offline gazetteer and where events happened (issue 4)."""

from __future__ import annotations

import math
import pickle

import pytest

from conftest import code
from kautilya.geo import Gazetteer, cache_path, fold, load_gazetteer


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_geo_seed_pahalgam_attack_is_placed_in_pahalgam(shared, coder):
    from kautilya.schema import Article

    text = (shared / "seed" / "pahalgam-appeals.txt").read_text(encoding="utf-8")
    events = coder.code_doc(Article(id="seed", text=text, date="2025-04-28"), coder.nlp(text))
    attacks = [e for e in events if e.cameo_root in ("18", "19", "20")]
    assert len(attacks) == 1, "the attack, named four times, is one event"
    (attack,) = attacks
    assert attack.source is None and attack.target.country == "IND"
    place = attack.location
    assert (place.name, place.country, place.admin1, place.precision) == ("Pahalgam", "IND", "Jammu and Kashmir", "city")
    assert km_between(place.lat, place.lon, 34.03, 75.33) < 25
    assert place.geonameid == 1260880


def test_geo_the_place_tied_to_the_event_not_every_place_named(coder):
    (event,) = code(coder, "Indian troops shelled villages near Kotli, officials in Lahore said.")
    assert (event.location.name, event.location.country) == ("Kotli", "PAK")
    assert event.target.country == "PAK"


def test_geo_over_the_city_of_picks_the_larger_homonym_in_the_story_country(coder):
    (event,) = code(coder, "Pakistan fired missiles over the city of Sirsa on Saturday.", date="2025-05-12")
    place = event.location
    assert (place.name, place.country, place.admin1, place.precision) == ("Sirsa", "IND", "Haryana", "city")
    assert event.date == "2025-05-10"


@pytest.mark.parametrize("text,country", [
    ("Lebanese troops attacked militants in Tripoli.", "LBN"),
    ("Libyan forces attacked militias in Tripoli.", "LBY"),
])
def test_geo_homonyms_follow_the_countries_of_the_sentence(coder, text, country):
    (event,) = code(coder, text)
    assert (event.location.name, event.location.country) == ("Tripoli", country)
    assert event.target.country == country


def test_geo_a_country_is_a_country_not_a_city(coder):
    (event,) = code(coder, "Russia launched airstrikes in Syria.")
    place = event.location
    assert (place.name, place.country, place.precision, place.admin1) == ("Syria", "SYR", "country", None)
    assert place.geonameid == load_gazetteer().countries["SYR"].geonameid


def test_geo_regions_have_region_precision_and_place_their_victims(coder):
    (event,) = code(coder, "Militants attacked a police post in Punjab, Pakistani officials said.")
    assert (event.location.name, event.location.country, event.location.precision) == ("Punjab", "PAK", "region")
    assert event.target.code == "PAKCOP"


def test_geo_people_are_not_places(coder):
    text = "Chinese Foreign Minister Wang Yi held a phone call with Pakistani Foreign Minister Ishaq Dar."
    events = code(coder, text)  # a joint act, coded both ways
    assert {e.target.name for e in events} == {"Ishaq Dar", "Wang Yi"}
    assert all(e.location is None for e in events)  # not Dara, Syria


def test_geo_events_without_a_place_carry_none(coder):
    (event,) = code(coder, "Japan praised India for its restraint.")
    assert event.location is None and event.to_record()["location"] is None


def test_geo_gazetteer_names_fold_case_accents_and_old_spellings():
    gazetteer = load_gazetteer()
    assert fold("Pahalgām") == fold("PAHALGAM") == "pahalgam"
    assert gazetteer.best("Khatmandu").name == "Kathmandu"
    assert gazetteer.best("Madras").country == "IND"  # Chennai's old name, not the Oregon town
    assert gazetteer.best("New Delhi").name == "New Delhi"  # its own name, though Delhi lists it too
    assert gazetteer.best("Kashmir", {"IND"}).admin1 == "Jammu and Kashmir"
    assert gazetteer.best("province of Herat").country == "AFG"


def test_geo_gazetteer_is_cached_and_reloads_identically():
    gazetteer = load_gazetteer()
    path = cache_path()
    assert path.is_file(), "the first use builds the gazetteer and keeps it in the cache"
    with path.open("rb") as handle:
        again: Gazetteer = pickle.load(handle)
    for name in ("Pahalgam", "Tripoli", "Punjab"):
        assert [p.geonameid for p in again.lookup(name)] == [p.geonameid for p in gazetteer.lookup(name)]
        assert [again.is_official(fold(name), p) for p in again.lookup(name)] == \
            [gazetteer.is_official(fold(name), p) for p in gazetteer.lookup(name)]


def test_geo_plover_gold_location_countries(shared, coder):
    from kautilya.evaluate import score_plover_locations

    score = score_plover_locations(shared / "gold" / "plover" / "PLOVER_GSR_CAMEO.txt", coder)
    assert score.records >= 40
    assert score.accuracy >= 0.80, score.summary()
    assert score.coded_correct == score.coded
