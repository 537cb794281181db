"""Event clusters across articles, and the dyad and actor reports built on them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import statistics

import pytest

from kautilya import analytics
from kautilya.ingest import read_inputs
from kautilya.ontology import lookup_cameo
from kautilya.pipeline import code_into_store
from kautilya.schema import Article, Location
from kautilya.store import EventStore


def _store(tmp_path, coder, articles, name="x.duckdb") -> EventStore:
    store = EventStore.open(tmp_path / name)
    code_into_store(articles, store, coder)
    return store


def _clusters(store: EventStore) -> list[dict]:
    return store.rows("SELECT * FROM clusters ORDER BY cluster_key, event_date, cluster_id")


def test_analytics_seed_coded_twice_gives_the_same_clusters_each_with_two_articles(shared, coder, tmp_path):
    """Issue 5 must-show: two copies of one article are one set of events reported twice."""
    seed = shared / "seed" / "pahalgam-appeals.txt"
    for name in ("first.txt", "second.txt"):
        (tmp_path / name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    once = _store(tmp_path, coder, read_inputs([str(tmp_path / "first.txt")]), "once.duckdb")
    twice = _store(tmp_path, coder, read_inputs([str(tmp_path / "first.txt"), str(tmp_path / "second.txt")]),
                   "twice.duckdb")
    with once, twice:
        single, double = _clusters(once), _clusters(twice)
        assert len(single) == len(double) >= 9
        assert [c["cluster_id"] for c in single] == [c["cluster_id"] for c in double]
        assert {c["num_articles"] for c in double} == {2}
        assert all(d["num_mentions"] == 2 * s["num_mentions"] for s, d in zip(single, double))
        assert twice.counts().events == 2 * once.counts().events


def test_analytics_clusters_join_reports_of_the_same_or_next_day_only(coder, tmp_path):
    text = "Germany condemned Russia for the missile strike."
    articles = [Article(f"a{i}", text, date=day, source=source)
                for i, (day, source) in enumerate([("2025-03-01", "Reuters"), ("2025-03-02", "AP"),
                                                   ("2025-03-02", "Reuters"), ("2025-03-04", "DW")])]
    with _store(tmp_path, coder, articles) as store:
        rows = _clusters(store)
        assert [(str(c["event_date"]), str(c["end_date"]), c["num_mentions"], c["num_articles"], c["num_sources"])
                for c in rows] == [("2025-03-01", "2025-03-02", 3, 3, 2), ("2025-03-04", "2025-03-04", 1, 1, 1)]
        assert {(c["first_reported"], c["last_reported"]) for c in rows} == {
            (dt.date(2025, 3, 1), dt.date(2025, 3, 2)), (dt.date(2025, 3, 4), dt.date(2025, 3, 4))}
        mentions = store.rows("SELECT cluster_id, article_id, sentence_index, char_start, char_end, confidence "
                              "FROM mentions ORDER BY article_id")
        assert [m["article_id"] for m in mentions] == ["a0", "a1", "a2", "a3"]
        assert all(text[m["char_start"]:m["char_end"]] == text and 0 < m["confidence"] <= 1 for m in mentions)


def test_analytics_clusters_do_not_depend_on_input_order(coder, tmp_path):
    texts = ["Japan praised France.", "France praised Japan.", "India accused Pakistan of backing militants.",
             "Japan praised France for its help."]
    articles = [Article(f"n{i}", t, date=f"2025-06-0{1 + i % 2}") for i, t in enumerate(texts)]
    forward = _store(tmp_path, coder, articles, "f.duckdb")
    backward = _store(tmp_path, coder, list(reversed(articles)), "b.duckdb")
    with forward, backward:
        assert _clusters(forward) == _clusters(backward)


def test_analytics_place_splits_clusters_only_when_both_places_are_known(coder, tmp_path):
    article = Article("p1", "Pakistani troops shelled Indian posts.", date="2025-05-01")
    (event,) = coder.code_doc(article, coder.nlp(article.text))
    near = Location("Poonch", country="IND")
    far = Location("Kotli", country="PAK")
    variants = {"p1": None, "p2": near, "p3": far, "p4": near}
    with EventStore.open(tmp_path / "x.duckdb") as store:
        store.write([(dataclasses.replace(article, id=doc),
                      [dataclasses.replace(event, doc_id=doc, location=place, event_id="")])
                     for doc, place in variants.items()])
        analytics.rebuild_clusters(store)
        rows = store.rows("SELECT location_country, num_articles FROM clusters ORDER BY location_country")
    # The unplaced report joins the first placed cluster; the other country's report stands alone.
    assert [(r["location_country"], r["num_articles"]) for r in rows] == [("IND", 3), ("PAK", 1)]


def test_analytics_party_key_merges_a_state_and_keeps_organisations_and_rebels_apart():
    from kautilya.schema import Actor

    assert analytics.party_key(Actor("Lavrov", country="RUS", sector="GOV", code="RUSGOV")) == "RUS"
    assert analytics.party_key(Actor("Russia", country="RUS", code="RUS")) == "RUS"
    assert analytics.party_key(Actor("TTP", country="PAK", sector="REB", code="PAKREBTTP")) == "PAKREB"
    assert analytics.party_key(Actor("NATO", country="IGO", sector="IGO", code="IGONAT")) == "IGONAT"
    assert analytics.party_key(None) == ""


def test_analytics_escalation_index_follows_its_formula():
    sums = [0.0, 0.0, -10.0, 0.0, -4.0]
    expected = [0.0]
    for t in range(1, len(sums)):
        history = sums[max(0, t - 8):t]
        spread = max(statistics.pstdev(history), math.sqrt(statistics.fmean(abs(g) for g in history)), 1.0)
        expected.append(round((statistics.fmean(history) - sums[t]) / spread, 3))
    assert analytics.escalation_index(sums) == expected
    assert expected[2] == 10.0 and expected[3] < 0  # a jump after calm; relief after it


CRISIS = [  # (date, text): written for this test, a fortnight of an imagined crisis
    ("2025-03-03", "India accused Pakistan of supporting cross-border terrorism."),
    ("2025-03-11", "Pakistani troops shelled Indian posts along the Line of Control."),
    ("2025-03-11", "India launched airstrikes on militant camps in Pakistan."),
    ("2025-03-12", "The United States called on India and Pakistan to show restraint."),
    ("2025-03-13", "Iran offered to mediate between India and Pakistan."),
    ("2025-03-13", "Qatar mediated between Pakistan and Afghanistan."),
    ("2025-03-20", "India and Pakistan agreed to a ceasefire on Saturday."),
    ("2025-03-21", "France praised India for its restraint."),
]


@pytest.fixture()
def crisis_store(coder, tmp_path):
    articles = [Article(f"c{i}", text, date=day) for i, (day, text) in enumerate(CRISIS)]
    with _store(tmp_path, coder, articles) as store:
        yield store


def test_analytics_dyad_report_counts_clusters_goldstein_and_third_parties(crisis_store):
    report = analytics.dyad_report(crisis_store, "IND", "PAK", by="week")
    weeks = {str(p.start): p for p in report.periods}
    assert list(weeks) == ["2025-03-03", "2025-03-10", "2025-03-17"]
    first, strikes, truce = weeks.values()
    assert (first.clusters, first.quad, first.goldstein_sum) == (1, {1: 0, 2: 0, 3: 1, 4: 0}, lookup_cameo("1123").goldstein)
    assert strikes.clusters == 2 and strikes.quad[4] == 2 and strikes.plover == {"ASSAULT": 2}
    assert strikes.goldstein_sum == lookup_cameo("194").goldstein + lookup_cameo("195").goldstein
    assert strikes.goldstein_mean == strikes.goldstein_sum / 2
    # The truce is a joint act, coded both ways (docs/patterns.md).
    assert (truce.clusters, truce.quad[2], truce.plover) == (2, 2, {"RETREAT": 2})
    assert [(t.party, t.action, t.targets) for t in strikes.third_parties] == [
        ("IRN", "offered to mediate", ("IND", "PAK")), ("USA", "appealed to", ("IND", "PAK"))]
    # Qatar mediated between Pakistan and Afghanistan: not a third party of this dyad.
    assert not any(t.party == "QAT" for p in report.periods for t in p.third_parties)
    assert [(t.party, t.action, t.targets) for t in truce.third_parties] == [("FRA", "sided with", ("IND",))]
    assert [p.escalation for p in report.periods] == analytics.escalation_index(
        [p.goldstein_sum for p in report.periods])
    assert strikes.escalation > 0 > truce.escalation


def test_analytics_report_window_keeps_the_escalation_baseline(crisis_store):
    whole = analytics.dyad_report(crisis_store, "IND", "PAK", by="week")
    late = analytics.dyad_report(crisis_store, "IND", "PAK", by="week", since=dt.date(2025, 3, 17),
                                 until=dt.date(2025, 3, 31))
    assert [str(p.start) for p in late.periods] == ["2025-03-17", "2025-03-24", "2025-03-31"]
    assert late.periods[0].escalation == whole.periods[-1].escalation


def test_analytics_actor_report_and_top_dyads(crisis_store):
    report = analytics.actor_report(crisis_store, "pak", by="month")
    (march,) = report.periods
    # The accusation, two strikes and the truce with India (coded both ways: each side declares
    # it); the appeal, the offer and the mediation.
    assert march.clusters == 8 and march.quad == {1: 3, 2: 2, 3: 1, 4: 2}
    assert {(t.party, t.action) for t in march.third_parties} == {
        ("USA", "appealed to"), ("IRN", "offered to mediate"), ("QAT", "mediated")}
    top = analytics.top_dyads(crisis_store, limit=3)
    assert (top[0].a, top[0].b, top[0].clusters) == ("IND", "PAK", 5)  # the truce both ways
    assert top[0].conflict_share == 0.6 and top[0].first_date == dt.date(2025, 3, 3)


def test_analytics_parse_dyad_rejects_what_is_not_a_pair():
    assert analytics.parse_dyad("ind-pak") == ("IND", "PAK")
    for bad in ("IND", "IND-IND", "IND-PAK-CHN", "-PAK"):
        with pytest.raises(ValueError):
            analytics.parse_dyad(bad)


def test_analytics_wcep_india_pakistan_crisis_weeks(shared, coder, tmp_path):
    """Issue 5 must-show on the April-May 2025 part of the Wikipedia current-events corpus (the whole
    corpus is coded by bench/wcep_report.py, which reports the same facts for all of 2025)."""
    corpus = shared / "corpora" / "wcep_2025_2026.jsonl.gz"
    spring = [a for a in read_inputs([str(corpus)])
              if isinstance(a, Article) and a.date and "2025-04-01" <= a.date <= "2025-05-31"]
    assert len(spring) > 800
    with _store(tmp_path, coder, spring) as store:
        report = analytics.dyad_report(store, "IND", "PAK", by="week")
        ceasefire = store.rows("SELECT quad_class, source_country, target_country FROM clusters "
                               "WHERE event_date = DATE '2025-05-10' AND cameo_base = '087'")
    weeks = sorted((p for p in report.periods if p.clusters), key=lambda p: p.goldstein_sum)
    # The Pahalgam attack (22 April) and the strikes of 7-10 May fall in the two most negative weeks.
    assert {str(p.start) for p in weeks[:2]} == {"2025-04-21", "2025-05-05"}
    assert all(p.goldstein_sum > weeks[1].goldstein_sum for p in weeks[2:])
    assert {(r["quad_class"], r["source_country"], r["target_country"]) for r in ceasefire} == {
        (2, "IND", "PAK"), (2, "PAK", "IND")}  # a joint act, coded both ways
    strikes_week = next(p for p in report.periods if str(p.start) == "2025-05-05")
    assert strikes_week.quad[2] >= 1
    assert ("USA", "mediated", ("IND", "PAK")) in {(t.party, t.action, t.targets) for t in strikes_week.third_parties}
