"""Gold readers and scorers: PETRARCH XML (including its broken published layout), PLOVER records,
actor-coding expectations."""

from __future__ import annotations

import json

import pytest

from kautilya.errors import InputError
from kautilya.evaluate import (detect_gold, evaluate_file, is_actor_expectations, is_plover_gold,
                               read_actor_expectations, read_petrarch_xml, read_plover_gold, read_plover_records,
                               score_plover, score_sentences)
from kautilya.pipeline import code_text


def test_evaluate_reads_petrarch_xml_with_config_and_flat_layout(tmp_path):
    path = tmp_path / "gold.xml"
    path.write_text("""<Validation><Sentences>
<Config option="require_dyad" value="false"></Config>
<Sentence date="20250510" id="A-1" category="CEASE">
<EventCoding sourcecode="IND" targetcode="PAK" eventcode="0871"></EventCoding>
<EventCoding sourcecode="PAK" targetcode="IND" eventcode="0871"></EventCoding>
<Text>India and Pakistan agreed to a ceasefire.</Text>
</Sentence>
<Sentence date="20250511" id="A-2" category="NONE"/>
<EventCoding noevents="true"/>
<Text>
The weather in Delhi was hot.
</Text>
</Sentence>
</Sentences></Validation>""", encoding="utf-8")
    first, second = read_petrarch_xml(path)
    assert (first.id, first.date, first.config["require_dyad"]) == ("A-1", "2025-05-10", "false")
    assert [(e.source, e.target, e.code) for e in first.events] == [("IND", "PAK", "0871"), ("PAK", "IND", "0871")]
    assert second.noevents and second.text == "The weather in Delhi was hot."
    assert detect_gold(path) == "petrarch-xml"
    report = evaluate_file(path)
    assert (report.sentences, report.exact) == (2, 2)
    assert report.triple.f1 == 1.0


def test_evaluate_sentence_scores_count_fields_and_mismatches(tmp_path):
    path = tmp_path / "gold.xml"
    path.write_text("""<Sentences><Sentence date="20250101" id="B" category="X">
<EventCoding sourcecode="USAGOV" targetcode="IRN" eventcode="111"></EventCoding>
<EventCoding sourcecode="IRN" targetcode="USA" eventcode="112"></EventCoding>
<Text>The US government condemned Iran.</Text></Sentence></Sentences>""", encoding="utf-8")
    sentences = read_petrarch_xml(path)
    report = score_sentences(sentences, lambda s: code_text(s.text, s.date), "g")
    assert report.exact == 0 and report.triple.matched == 1 and report.triple.gold == 2
    assert report.fields["source_country"].recall == 0.5 and report.fields["cameo_code"].precision == 1.0
    assert report.mismatches[0]["id"] == "B"


def test_evaluate_plover_records_map_old_type_names(tmp_path):
    path = tmp_path / "plover.json"
    path.write_text(json.dumps([
        {"id": "DOC", "event": "DOCUMENT"},
        {"id": "r1", "event": "DISAPPROVE", "text": "Germany condemned Russia for the missile strike.",
         "source": [{"actorText": "Germany", "code": "DEU"}]},
        {"id": "r2", "event": "DEMAND", "text": "Japan praised Korea.", "source": [{"code": "JAP"}]},
    ]), encoding="utf-8")
    assert detect_gold(path) == "plover"
    records = read_plover_records(path)
    report = score_plover(records, lambda r: code_text(r["text"]), "p")
    assert (report.records, report.type_right, report.source_right, report.source_scored) == (2, 1, 2, 2)


def test_evaluate_reads_plover_records_with_markup_and_location(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(json.dumps([
        {"id": "DOC-1", "event": "DOCUMENT", "comment": "no text: skipped"},
        {"id": "R1", "event": "ASSAULT", "date": "2001-02-03", "eventText": "has been killed",
         "source": [{"actorText": "Rebels", "code": "UAF"}], "target": "",
         "text": "A soldier has been killed near Basra.",
         "textInfo": {"markup": "A (TAR: soldier) (EVT: has been killed) (LOC: near Basra)."},
         "eventLoc": {"name": "Basra", "country code": "IQ"}},
    ]), encoding="utf-8")
    assert is_plover_gold(path) and not is_actor_expectations(path)
    (record,) = read_plover_gold(path)
    assert (record.id, record.date, record.location) == ("R1", "2001-02-03", ("Basra", "IQ"))
    assert record.sources == ({"actorText": "Rebels", "code": "UAF"},) and record.targets == ()
    assert record.trigger_words == ["has been killed"]


def test_evaluate_bad_plover_records_name_file_and_record(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(json.dumps([{"id": "R9", "text": "Something happened."}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.txt.*'R9'.*lacks"):
        read_plover_gold(path)


def test_evaluate_actor_expectations_read_today_as_the_files_own_latest_date(tmp_path):
    path = tmp_path / "expect.jsonl"
    path.write_text(
        '{"test": "a", "method": "agent_to_code", "args": ["X", "", "2 March 2020"], "expect": {"country": "FRA"}}\n'
        '{"test": "b", "method": "agent_to_code", "args": ["Y", "German", "Today"], "expect": {"code_1": "JRN"}}\n'
        '{"test": "c", "method": "agent_to_code", "args": ["Z"], "expect": {}, "expect_not": {"country": "GBR"}}\n'
        '{"test": "d", "method": "query_wiki", "args": ["Z"], "expect": {"title": "Z"}}\n', encoding="utf-8")
    assert is_actor_expectations(path)
    items, skipped = read_actor_expectations(path)
    assert skipped == 1
    a, b, c = items
    assert (a.date, a.country, a.sector) == ("2020-03-02", "FRA", None)
    assert (b.date, b.context, b.sector) == ("2020-03-02", "German", "MED")  # JRN is our MED (media)
    assert (c.date, c.country, c.not_country) == (None, None, "GBR")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"method": "agent_to_code", "args": ["A"], "expect": {"country": "X"}}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        read_actor_expectations(bad)


def test_evaluate_main_event_is_in_the_main_clause():
    from kautilya.evaluate import clause_depth, main_event

    events = code_text("Up to 1,000 Kurds began a hunger strike in Stockholm to protest against Sweden's decision.")
    strike = next(e for e in events if e.cameo_root == "14" and e.trigger == "strike")
    protest = next(e for e in events if e.trigger == "protest")
    assert protest.confidence > strike.confidence  # the purpose clause is the more confident one ...
    assert clause_depth(strike) < clause_depth(protest)
    assert main_event(events) is strike  # ... but the hunger strike is what the sentence reports


def test_evaluate_plover_gold_igo_accepts_international_bodies(tmp_path):
    path = tmp_path / "plover.json"
    path.write_text(json.dumps([
        {"id": "r1", "event": "DISAPPROVE", "text": "Amnesty International condemned Myanmar's army.",
         "source": [{"actorText": "Amnesty International", "code": "IGO"}]},
    ]), encoding="utf-8")
    report = score_plover(read_plover_records(path), lambda r: code_text(r["text"]), "p")
    assert (report.type_right, report.source_right) == (1, 1)


def test_evaluate_gold_with_an_unknown_side_is_scored_without_require_dyad(tmp_path):
    path = tmp_path / "gold.xml"
    path.write_text("""<Sentences><Sentence date="20250101" id="C" category="X">
<EventCoding sourcecode="CAN" targetcode="---" eventcode="111"></EventCoding>
<Text>Canada condemned the violence.</Text></Sentence></Sentences>""", encoding="utf-8")
    report = evaluate_file(path)
    assert (report.exact, report.triple.matched, report.triple.produced) == (1, 1, 1)


def test_evaluate_joint_act_written_one_way_is_not_a_false_event(tmp_path):
    path = tmp_path / "gold.xml"
    path.write_text("""<Sentences><Sentence date="20250101" id="D" category="X">
<EventCoding sourcecode="PAK" targetcode="AFG" eventcode="040"></EventCoding>
<Text>Pakistani officials met their Afghan counterparts in Kabul.</Text></Sentence>
<Sentence date="20250101" id="E" category="X">
<EventCoding sourcecode="DEU" targetcode="FRA" eventcode="040"></EventCoding>
<Text>Pakistani officials met their Afghan counterparts in Kabul.</Text></Sentence></Sentences>""",
                    encoding="utf-8")
    report = evaluate_file(path)
    # D: the mirror AFG -> PAK is the same meeting; E: a meeting the gold lacks is wrong both ways
    assert (report.triple.matched, report.triple.produced, report.exact) == (1, 3, 0)
