"""Gold readers and scorers: PETRARCH XML (including its broken published layout), PLOVER records."""

from __future__ import annotations

import json

from kautilya.evaluate import (detect_gold, evaluate_file, read_petrarch_xml, read_plover_records,
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
