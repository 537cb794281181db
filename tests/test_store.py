"""The event store: idempotent writes, replacement of changed articles, atomic batches, migrations,
and events that survive a DuckDB round trip unchanged."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kautilya.errors import StoreError
from kautilya.ingest import read_inputs
from kautilya.ontology import load_cameo_table
from kautilya.pipeline import code_into_store
from kautilya.schema import Actor, Article, Event, Location, Plover
from kautilya.store import MIGRATIONS, SCHEMA_VERSION, EventStore, publishers

from conftest import REPO


def _snapshot(store: EventStore) -> dict:
    return {
        "counts": dataclasses.astuple(store.counts()),
        "clusters": store.rows("SELECT cluster_id, num_mentions, num_articles, num_sources FROM clusters "
                               "ORDER BY cluster_id"),
        "events": sorted(e.event_id for e in store.events()),
    }


def test_store_rerun_and_overlapping_inputs_add_nothing(coder, tmp_path):
    examples = str(REPO / "examples")
    with EventStore.open(tmp_path / "x.duckdb") as store:
        first = code_into_store(read_inputs([examples], "2025-04-28"), store, coder)
        before = _snapshot(store)
        again = code_into_store(read_inputs([examples, str(REPO / "examples" / "articles.jsonl")], "2025-04-28"),
                                store, coder)
        assert _snapshot(store) == before
    assert first.added == 4 and first.events > 10 and first.rejected == 1  # one example has no text
    assert (again.added, again.replaced, again.events, again.skipped) == (0, 0, 0, 6)


def test_store_changed_article_replaces_its_old_events(coder, tmp_path):
    with EventStore.open(tmp_path / "x.duckdb") as store:
        code_into_store([Article("a1", "India condemned Pakistan.", date="2025-05-01")], store, coder)
        run = code_into_store([Article("a1", "Japan praised France.", date="2025-05-01")], store, coder)
        assert (run.added, run.replaced) == (0, 1)
        assert [(e.source.country, e.cameo, e.target.country) for e in store.events()] == [("JPN", "051", "FRA")]
        assert [r["cluster_key"] for r in store.rows("SELECT cluster_key FROM clusters")] == ["JPN|FRA|051"]
        assert store.rows("SELECT count(*) AS n FROM mentions")[0]["n"] == 1
        assert store.article_hashes()["a1"] != ""


def test_store_a_failed_batch_leaves_no_half_article(coder, tmp_path):
    with EventStore.open(tmp_path / "x.duckdb") as store:
        code_into_store([Article("kept", "Russia urged India to show restraint.", date="2025-05-01")], store, coder)
        before = _snapshot(store)
        good = Article("new", "Japan praised France.", date="2025-05-02")
        good_events = coder.code_doc(good, coder.nlp(good.text))
        clash = Article("clash", "Japan praised France.", date="2025-05-02")
        # An event id that collides with the good article's: the events insert fails mid-batch.
        clash_events = [dataclasses.replace(good_events[0], doc_id="clash")]
        with pytest.raises(StoreError, match="events"):
            store.write([(good, good_events), (clash, clash_events)])
        assert _snapshot(store) == before
        assert "new" not in store.article_hashes() and store.dirty_cluster_keys() == []


def test_store_migrations_run_once_with_a_schema_version(tmp_path):
    path = tmp_path / "x.duckdb"
    EventStore.open(path).close()
    with EventStore.open(path) as store:
        rows = store.rows("SELECT name, schema_version FROM schema_migrations ORDER BY schema_version")
        assert [(r["name"], r["schema_version"]) for r in rows] == [
            (name, i) for i, (name, _) in enumerate(MIGRATIONS, start=1)]
        assert store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)


def test_store_refuses_a_newer_schema_and_files_that_are_not_stores(tmp_path):
    path = tmp_path / "x.duckdb"
    EventStore.open(path).close()
    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO schema_migrations VALUES ('9999_future', 9999, now())")
    with pytest.raises(StoreError, match="newer Kautilya"):
        EventStore.open(path)
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(StoreError, match="notes.duckdb"):
        EventStore.open(text)
    with pytest.raises(StoreError, match="no such store"):
        EventStore.open(tmp_path / "missing.duckdb", create=False)


@pytest.mark.parametrize("article,expected", [
    (Article("a", "t", source="Wikipedia", cited_sources=("Reuters", "BBC News")), ["Reuters", "BBC News"]),
    (Article("a", "t", source="Reuters", url="https://www.bbc.com/news/1"), ["Reuters"]),
    (Article("a", "t", url="https://www.bbc.com/news/1"), ["bbc.com"]),
    (Article("a", "t", origin="in/batch.jsonl:7"), ["in/batch.jsonl"]),
])
def test_store_publishers_come_from_citations_source_url_or_file(article, expected):
    assert publishers(article) == expected


# ------------------------------------------------------------------ round trip (hypothesis)

_int32 = st.integers(min_value=0, max_value=2**31 - 1)
_maybe_text = st.none() | st.text(max_size=12)
_actors = st.builds(Actor, text=st.text(max_size=20), name=_maybe_text, country=_maybe_text, sector=_maybe_text,
                    code=_maybe_text, char_start=st.none() | _int32, char_end=st.none() | _int32,
                    via=st.sampled_from(["name", "person", "title", "agent", "coreference"]))
_floats = st.floats(allow_nan=False, allow_infinity=False)
_locations = st.builds(Location, name=st.text(max_size=20), country=_maybe_text, admin1=_maybe_text,
                       lat=st.none() | _floats, lon=st.none() | _floats,
                       geonameid=st.none() | st.integers(0, 2**62), precision=_maybe_text)


@st.composite
def _articles_with_events(draw):
    doc_id = draw(st.text(min_size=1, max_size=12))
    codes = sorted(load_cameo_table())
    events, sentences = [], {}
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, 5))
        sentence = sentences.setdefault(index, (draw(st.text(max_size=40)), draw(_int32), draw(_int32)))
        event = Event(
            doc_id=doc_id, sentence_index=index, sentence=sentence[0], char_start=sentence[1], char_end=sentence[2],
            date=draw(st.none() | st.dates().map(lambda d: d.isoformat())),
            source=draw(st.none() | _actors), target=draw(st.none() | _actors),
            cameo=draw(st.sampled_from(codes)), cameo_name=draw(st.text(max_size=20)),
            quad_class=draw(st.integers(1, 4)), goldstein=draw(_floats),
            plover=Plover(draw(_maybe_text), draw(_maybe_text), tuple(draw(st.lists(st.text(max_size=8), max_size=3)))),
            trigger=draw(st.text(max_size=10)), trigger_start=draw(_int32), trigger_end=draw(_int32),
            pattern_id=draw(st.text(max_size=10)), confidence=draw(_floats), negated=draw(st.booleans()),
            hypothetical=draw(st.booleans()), location=draw(st.none() | _locations),
            agreements=draw(st.lists(st.dictionaries(st.text(max_size=6), st.text(max_size=8) | _int32,
                                                     max_size=3), max_size=2)),
            coder_version=draw(st.text(max_size=6)), dictionary_version=draw(st.text(max_size=10)),
            origin=draw(_maybe_text),
        )
        if all(e.event_id != event.event_id for e in events):
            events.append(event)
    article = Article(doc_id, draw(st.text(max_size=60)), date=draw(st.none() | st.dates().map(str)))
    return article, events


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_articles_with_events())
def test_store_events_survive_a_duckdb_round_trip_unchanged(article_and_events):
    article, events = article_and_events
    with EventStore.open(":memory:") as store:
        store.write([(article, events)])
        stored = list(store.events(article.id))
    key = lambda e: e.event_id  # noqa: E731
    assert sorted(stored, key=key) == sorted(events, key=key)
