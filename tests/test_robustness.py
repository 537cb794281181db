"""Hostile input: every record yields valid events or a clean rejection, and spans stay inside."""

from __future__ import annotations

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kautilya.ingest import Article, Reject, read_inputs
from kautilya.ontology import load_cameo_table
from kautilya.pipeline import bound_sentences, code_text

WORDS = ["India", "Pakistan", "urged", "attacked", "the", "Russia", "condemned", "ceasefire", "talks",
         "with", "and", "both", "nations", "not", "would", "said", "it", "Islamabad", "blamed", "for",
         "Lavrov", "held", "a", "phone", "call", "militants", "in", "Kashmir", ".", ",", "\n", "they"]
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.text(alphabet=string.ascii_letters + " .,;\n'\"-", max_size=300),
)


def assert_valid(events, text):
    table = load_cameo_table()
    for e in events:
        assert 0 <= e.char_start <= e.char_end <= len(text)
        assert text[e.char_start:e.char_end] == e.sentence
        assert 0 <= e.trigger_start < e.trigger_end <= len(text) and text[e.trigger_start:e.trigger_end] == e.trigger
        assert e.cameo in table and 1 <= e.quad_class <= 4 and 0.0 <= e.confidence <= 1.0
        for actor in (e.source, e.target):
            if actor is not None and actor.char_start is not None:
                assert text[actor.char_start:actor.char_end] == actor.text
        json.dumps(e.to_record())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_coding_any_text_yields_valid_events(text):
    assert_valid(code_text(text, "2025-05-01"), text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.sampled_from([".txt", ".jsonl", ".html", ".jsonl.gz"]))
def test_ingest_arbitrary_bytes_yield_articles_or_rejects(tmp_path, data, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    for item in read_inputs([str(path)]):
        assert isinstance(item, (Article, Reject))
        if isinstance(item, Reject):
            assert item.reason and item.source == str(path)


def test_robustness_bound_sentences_keeps_offsets():
    text = "India urged calm. " + "x" * 20_000 + ". Pakistan agreed.\n" + "y" * 10
    bounded = bound_sentences(text, 5_000)
    assert len(bounded) == len(text) and "x" * 100 not in bounded and bounded.startswith("India urged calm.")


def test_robustness_long_sentence_is_blanked_and_the_rest_coded():
    text = "Japan condemned North Korea. " + ("word " * 25_000) + "\nChina urged India and Pakistan to talk."
    events = code_text(text, "2025-05-01")
    assert_valid(events, text)
    assert {(e.source.country, e.cameo_root) for e in events} >= {("JPN", "11"), ("CHN", "02")}


def test_robustness_bad_records_are_rejected_with_reasons(tmp_path):
    big = "India urged calm. " * 600_000  # over 10 MB
    rows = [
        {"id": "huge", "text": big},
        {"id": "french", "text": "La France a condamné l'attaque et appelé l'Inde et le Pakistan à la retenue, "
                                 "a déclaré le ministère des affaires étrangères dans un communiqué."},
        {"id": "future", "text": "India urged calm.", "date": "2999-01-01"},
        {"id": "ok", "text": "Japan condemned North Korea."},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = list(read_inputs([str(path)]))
    rejects = {r.record_id: r.reason_code for r in items if isinstance(r, Reject)}
    assert rejects == {"huge": "too_large", "french": "not_english", "future": "bad_date"}
    assert [a.id for a in items if isinstance(a, Article)] == ["ok"]


def test_robustness_deeply_nested_and_broken_html(tmp_path):
    nested = tmp_path / "nested.html"
    nested.write_text("<html><body>" + "<div>" * 50_000 + "Pakistan condemned India." + "</div>" * 10 + "<p",
                      encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text("<html><p>Unclosed <b>tags <i>everywhere <p>and <table><tr><td>cells", encoding="utf-8")
    items = list(read_inputs([str(nested), str(broken)]))
    assert len(items) == 2 and all(isinstance(i, (Article, Reject)) for i in items)


def test_robustness_time_limit_rejects_a_pathological_article():
    from kautilya import Settings
    from kautilya.pipeline import Coder

    coder = Coder.from_settings(Settings(time_limit=0.0))
    article = Article(id="slow", text="India urged Pakistan to talk. Russia condemned the attack.")
    ((item, events),) = list(coder.code_articles([article]))
    assert isinstance(item, Reject) and item.reason_code == "time_limit" and events == []
    assert "time limit" in item.reason and item.record_id == "slow"
