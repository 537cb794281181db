"""Actors: the knowledge base, lookups by date, places as owners, and coreference (issue 4)."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from conftest import code, triples
from kautilya.actors import ActorDictionary, ActorResolver, default_dictionary, lookup_actor
from kautilya.errors import DictionaryError

HEADS = {"president", "prime minister", "premier", "king", "emir", "chancellor", "general secretary", "leader",
         "supreme leader"}


def data_rows(name: str) -> list[dict]:
    with (resources.files("kautilya") / "data" / name).open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                if not r[next(iter(r))].startswith("#")]


def test_actors_people_cover_sixty_countries_each_with_a_head_of_state_or_government():
    rows = data_rows("people.tsv")
    countries = {r["country"] for r in rows} - {"IGO", "UNO", "EUR"}
    assert len(countries) >= 60
    headed = {r["country"] for r in rows if r["role"] in HEADS}
    assert countries - headed == set()
    for row in rows:
        assert row["start"] and (not row["end"] or row["start"] <= row["end"]), row["name"]


def test_actors_knowledge_base_sizes():
    assert len(data_rows("countries.tsv")) >= 249
    assert len(data_rows("agents.tsv")) >= 300
    groups = {r["name"] for r in data_rows("organizations.tsv") if r["kind"] == "armed_group"}
    assert {"Lashkar-e-Taiba", "Jaish-e-Mohammed", "The Resistance Front", "Tehreek-e-Taliban Pakistan",
            "Baloch Liberation Army", "Hizbul Mujahideen", "Hamas", "Hezbollah", "al-Shabaab"} <= groups


@pytest.mark.parametrize("phrase,date,expected", [
    ("Pakistani Prime Minister", "2019-03-01", ("Imran Khan", "PAK", "GOV", "prime minister")),
    ("Pakistani Prime Minister", "2025-04-28", ("Shehbaz Sharif", "PAK", "GOV", "prime minister")),
    ("Khawaja Asif", "2025-04-28", ("Khawaja Asif", "PAK", "GOV", "defence minister")),
    ("Armenian Prime Minister", "2023-05-01", ("Nikol Pashinyan", "ARM", "GOV", "prime minister")),
    ("Kenyan President", "2020-01-01", ("Uhuru Kenyatta", "KEN", "GOV", "president")),
    ("Kenyan President", "2024-01-01", ("William Ruto", "KEN", "GOV", "president")),
])
def test_actors_lookup_resolves_titles_and_names_by_date(phrase, date, expected):
    (found,) = lookup_actor(phrase, date)
    assert (found.actor.name, found.actor.country, found.actor.sector, found.role) == expected
    assert found.term_start <= date and (found.term_end is None or date <= found.term_end)


def test_actors_out_of_office_is_an_elite_and_former_says_so():
    (found,) = lookup_actor("Angela Merkel", "2023-01-01")
    assert (found.actor.country, found.actor.sector, found.actor.code) == ("DEU", "ELI", "DEUELI")
    (former,) = lookup_actor("former President Donald Trump", "2023-01-01")
    assert (former.actor.country, former.actor.sector) == ("USA", "ELI")


@pytest.mark.parametrize("phrase,expected", [
    ("Kyiv police", ("UKR", "COP")),  # a town the gazetteer knows
    ("Mariupol", ("UKR", "CVL")),  # a town stands for its people
    ("Tehran", ("IRN", "GOV")),  # a capital for the government
    ("TEHRAN", ("IRN", "GOV")),  # as datelines write it
    ("members of SANDF", ("ZAF", "MIL")),
    ("president of the Riigikogu", ("EST", "LEG")),  # presiding over a legislature
    ("the Lebanese president's office", ("LBN", "GOV")),
    ("army accountant", (None, "MIL")),
    ("Muslim leaders in France", ("FRA", "REL")),
    ("two men", (None, None)),  # unknown affiliation, as in CAMEO's agent dictionary
    ("Boko Haram gunmen", ("NGA", "REB")),  # an armed group's fighters are the group
])
def test_actors_lookup_descriptions(phrase, expected):
    actor = lookup_actor(phrase)[0].actor
    assert (actor.country, actor.sector) == expected


def test_actors_a_person_named_like_a_city_is_not_the_city():
    assert lookup_actor("Feliciano Valencia")[0].actor is None


def test_actors_user_files_extend_the_dictionary_and_bad_rows_name_file_and_line(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text("name\taliases\tcountry\tsector\trole\tstart\tend\n"
                     "Ada Example\tExample\tNPL\tGOV\tforeign minister\t2031-01-01\t\n", encoding="utf-8")
    book = ActorDictionary.load([extra])
    (found,) = lookup_actor("Nepali Foreign Minister", "2031-06-01", book=book)
    assert found.actor.name == "Ada Example"
    bad = tmp_path / "bad.tsv"
    bad.write_text("name\taliases\tcountry\tsector\trole\tstart\tend\nX\t\tNPL\tGOV\tking\t1 May 2031\t\n",
                   encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad\.tsv:2"):
        ActorDictionary.load([bad])


def resolve_in_article(coder, text: str, word: str, date: str = "2025-04-28", nth: int = 0):
    """Scan an article sentence by sentence, as the coder does, and resolve one word."""
    doc = coder.nlp(text)
    resolver = ActorResolver(default_dictionary(), coder.nlp, doc, date)
    target = [t for t in doc if t.text == word][nth]
    for index, sent in enumerate(doc.sents):
        resolver.scan_sentence(sent, index)
        if sent.start <= target.i < sent.end:
            break
    return resolver.resolve(target)


def test_actors_a_middle_initial_keeps_the_person(coder):
    (actor,) = resolve_in_article(coder, "Secretary of State Antony J. Blinken met the Irish foreign minister.",
                                  "Blinken", date="2021-06-01")
    assert (actor.name, actor.country, actor.sector) == ("Antony Blinken", "USA", "GOV")


def test_actors_coreference_the_country_is_the_state_named_last(coder):
    (actor,) = resolve_in_article(coder, "India accused Pakistan of backing the attackers. "
                                         "The country denied any role.", "country")
    assert (actor.country, actor.via) == ("PAK", "coreference")


def test_actors_coreference_the_militants_are_the_group_named_before(coder):
    (actor,) = resolve_in_article(coder, "Jaish-e-Mohammed militants attacked a convoy in Pulwama. "
                                         "Police said the militants escaped.", "militants", nth=1)
    assert (actor.name, actor.country, actor.sector, actor.via) == ("Jaish-e-Mohammed", "PAK", "REB", "coreference")


def test_actors_coreference_his_remarks_are_the_speaker(coder):
    (actor,) = resolve_in_article(coder, "German Chancellor Friedrich Merz spoke in Berlin on Monday. "
                                         "His remarks angered Moscow.", "remarks")
    assert (actor.name, actor.country, actor.text) == ("Friedrich Merz", "DEU", "His remarks")


@pytest.mark.parametrize("date,holder", [("2019-03-01", "Imran Khan"), ("2025-05-01", "Shehbaz Sharif")])
def test_actors_the_prime_minister_is_the_holder_in_the_story_country_on_its_date(coder, date, holder):
    (actor,) = resolve_in_article(coder, "Pakistan rejected the claims. The Prime Minister said it would respond.",
                                  "Minister", date=date)
    assert (actor.name, actor.country, actor.via) == (holder, "PAK", "title")


def test_actors_coreference_in_events(coder):
    text = ("Pakistan's foreign minister met his Chinese counterpart in Beijing. "
            "The two ministers condemned India. Both nations urged restraint.")
    found = triples(code(coder, text))
    assert ("PAK", "111", "IND") in found and ("CHN", "111", "IND") in found
    events = code(coder, "Pakistan closed its airspace. The country also condemned India.")
    assert ("PAK", "111", "IND") in triples(events)


def test_actors_ngec_expectations_country_and_sector(shared):
    from kautilya.evaluate import score_actor_expectations

    score = score_actor_expectations(shared / "gold" / "ngec" / "ngec_actor_resolution_tests.jsonl")
    assert score.country_total >= 300 and score.sector_total >= 300
    assert score.country_correct / score.country_total >= 0.85, score.summary()
    assert score.sector_correct / score.sector_total >= 0.85, score.summary()


@pytest.mark.parametrize("phrase,date,expected", [
    ("Yeltsin", "1995-03-01", ("Boris Yeltsin", "RUS", "GOV", "president")),
    ("Russian President", "1995-03-01", ("Boris Yeltsin", "RUS", "GOV", "president")),
    ("Russian President", "2005-06-01", ("Vladimir Putin", "RUS", "GOV", "president")),
    ("French President", "1990-01-01", ("François Mitterrand", "FRA", "GOV", "president")),
    ("Israeli Prime Minister", "2002-01-01", ("Ariel Sharon", "ISR", "GOV", "prime minister")),
    ("Arafat", "1998-01-01", ("Yasser Arafat", "PSE", "GOV", "plo chairman")),
    # One surname, two office holders: the one in office on the day.
    ("Clinton", "1996-05-01", ("Bill Clinton", "USA", "GOV", "president")),
    ("Clinton", "2011-05-01", ("Hillary Clinton", "USA", "GOV", "secretary of state")),
])
def test_actors_historical_office_holders_resolve_by_date(phrase, date, expected):
    (found,) = lookup_actor(phrase, date)
    assert (found.actor.name, found.actor.country, found.actor.sector, found.role) == expected


@pytest.mark.parametrize("phrase,expected", [
    ("troops loyal to Gaddafi", [("LBY", "MIL")]),  # they fight for his side
    ("the Indian and Pakistani sides", [("IND", None), ("PAK", None)]),  # each side is its state
    ("the government of Sindh province", [("PAK", "GOV")]),  # a region the gazetteer knows
    ("Young Algerians", [("DZA", None)]),  # "Young" is also a small town of Uruguay
    ("The Federal Minister for Interior", [(None, "GOV")]),  # ... and "Federal" one of Argentina
])
def test_actors_lookup_owners_sides_and_small_foreign_towns(phrase, expected):
    assert [(r.actor.country, r.actor.sector) for r in lookup_actor(phrase, "2000-06-01")] == expected
