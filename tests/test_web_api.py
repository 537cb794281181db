"""The HTTP API (kautilya.web) against real stores: examples/ and the WCEP crisis weeks."""

from __future__ import annotations


import pytest

from conftest import POONCH, web_client
from kautilya import analytics
from kautilya.cli import build_parser, main
from kautilya.store import EventStore


@pytest.fixture(scope="module")
def client(example_store):
    with web_client(example_store) as client:
        yield client


def _events(client, **params) -> dict:
    response = client.get("/api/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_web_events_filter_by_dyad_actor_codes_class_and_dates(client):
    every = _events(client)
    assert every["total"] == len(every["events"]) > 20
    dyad = _events(client, dyad="IND-PAK")
    assert 0 < dyad["total"] < every["total"]
    assert all({e["source_country"], e["target_country"]} == {"IND", "PAK"} for e in dyad["events"])
    assert _events(client, dyad="pak-ind")["total"] == dyad["total"]  # either order, any case
    usa = _events(client, actor="USA")["events"]
    assert usa and all("USA" in (e["source_country"], e["target_country"]) for e in usa)
    for params, check in [({"quad_class": 4}, lambda e: e["quad_class"] == 4),
                          ({"cameo_root": "19"}, lambda e: e["cameo_root"] == "19"),
                          ({"cameo": "087"}, lambda e: e["cameo"].startswith("087")),
                          ({"plover_type": "ASSAULT"}, lambda e: e["plover_type"] == "ASSAULT"),
                          ({"from": "2025-05-07", "to": "2025-05-09"},
                           lambda e: "2025-05-07" <= e["event_date"] <= "2025-05-09")]:
        found = _events(client, **params)["events"]
        assert found and all(check(e) for e in found), params
        assert len(found) < every["total"], params
    words = _events(client, q="CEASEFIRE")["events"]
    assert words and all("ceasefire" in e["sentence"].lower() or e["num_mentions"] > 1 for e in words)
    assert {e["cameo"] for e in words} >= {"0871"}
    located = _events(client, country="IND")["events"]
    assert POONCH["name"] in [e["location_name"] for e in located]


def test_web_events_pages_and_sorts(client):
    every = _events(client, sort="date", order="desc")["events"]
    pages = [_events(client, limit=7, offset=offset)["events"] for offset in range(0, len(every), 7)]
    assert [e["cluster_id"] for page in pages for e in page] == [e["cluster_id"] for e in every]
    dates = [e["event_date"] for e in every]
    assert dates == sorted(dates, reverse=True)
    by_tone = [e["goldstein"] for e in _events(client, sort="goldstein", order="asc")["events"]]
    assert by_tone == sorted(by_tone) and by_tone[0] == -10.0
    assert client.get("/api/events", params={"limit": 501}).status_code == 422
    assert client.get("/api/events", params={"sort": "text"}).status_code == 422


def test_web_event_cluster_has_its_mentions_with_highlighted_spans(client):
    truces = _events(client, dyad="IND-PAK", cameo="0871")["events"]
    # A joint act, coded both ways: India's side and Pakistan's.
    assert sorted(t["source_country"] for t in truces) == ["IND", "PAK"]
    truce = next(t for t in truces if t["source_country"] == "IND")
    detail = client.get(f"/api/events/{truce['cluster_id']}").json()
    assert detail["cluster"]["cluster_id"] == truce["cluster_id"] and detail["mentions_shown"] == 1
    (mention,) = detail["mentions"]
    assert mention["title"] == "A ceasefire holds" and mention["article_date"] == "2025-05-10"
    marked = {h["kind"]: mention["sentence"][h["start"]:h["end"]] for h in mention["highlights"]}
    assert marked == {"source": mention["source_text"], "target": mention["target_text"], "trigger": mention["trigger"]}
    assert marked["trigger"] == "agreed"
    assert client.get("/api/events/12345").status_code == 404


def test_web_dyad_timeline_is_the_dyad_report_with_third_parties_and_stances(client, example_store):
    body = client.get("/api/dyads/IND-PAK/timeline", params={"by": "day"}).json()
    with EventStore.open_read_only(example_store) as store:
        report = analytics.dyad_report(store, "IND", "PAK", by="day")
    assert [(p["start"], p["clusters"], p["goldstein_sum"]) for p in body["periods"]] == [
        (p.start.isoformat(), p.clusters, p.goldstein_sum) for p in report.periods]
    assert sum(p["clusters"] for p in body["periods"]) == _events(client, dyad="IND-PAK")["total"]
    april = {p["start"]: p for p in body["periods"]}["2025-04-28"]
    assert ("SAU", "offered to mediate", ["IND", "PAK"]) in [(t["party"], t["action"], t["targets"])
                                                          for t in april["third_parties"]]
    assert {v["actor"] for s in body["stances"] for v in s["verdicts"]} >= {"CHN", "USA"}
    week = client.get("/api/dyads/IND-PAK/timeline", params={"from": "2025-05-01", "to": "2025-05-31"}).json()
    assert [p["start"] for p in week["periods"]] == ["2025-04-28", "2025-05-05", "2025-05-12", "2025-05-19",
                                                      "2025-05-26"]
    actor = client.get("/api/actors/USA/timeline", params={"by": "month"}).json()
    assert actor["sides"] == ["USA"] and actor["stances"] == [] and sum(p["clusters"] for p in actor["periods"]) > 0
    assert client.get("/api/dyads/IND-IND/timeline").status_code == 422


def test_web_actors_dyads_network_and_claims(client):
    actors = {a["party"]: a for a in client.get("/api/actors").json()}
    assert actors["IND"]["name"] == "India" and actors["PAK"]["clusters"] >= actors["CHN"]["clusters"]
    assert [a["party"] for a in client.get("/api/actors", params={"q": "pakis"}).json()] == ["PAK"]
    top = client.get("/api/dyads", params={"limit": 1}).json()
    assert (top[0]["a"], top[0]["b"]) == ("IND", "PAK")
    network = client.get("/api/network", params={"around_dyad": "IND-PAK"}).json()
    nodes = {n["party"]: n for n in network["nodes"]}
    assert nodes["IND"]["focus"] and nodes["PAK"]["focus"] and not nodes["USA"]["focus"]
    assert all({e["source"], e["target"]} & {"IND", "PAK"} for e in network["edges"])
    strikes = next(e for e in network["edges"] if (e["source"], e["target"]) == ("IND", "PAK"))
    assert strikes["q4"] >= 1 and strikes["clusters"] == strikes["q1"] + strikes["q2"] + strikes["q3"] + strikes["q4"]
    claims = client.get("/api/claims", params={"dyad": "IND-PAK"}).json()
    assert claims["total"] >= 2
    assert ("IND", "asserts", "PAK") in {(c["claimant_country"], c["stance"], c["accused_country"])
                                         for c in claims["claims"]}


def test_web_locations_give_dots_and_country_labels(client):
    found = client.get("/api/locations").json()
    assert found["total"] >= 1 and len(found["points"]) == found["total"]
    point = next(p for p in found["points"] if p["location_name"] == POONCH["name"])
    assert (point["location_lat"], point["location_lon"], point["source_country"]) == (POONCH["lat"], POONCH["lon"], "PAK")
    labels = {c["country"]: c for c in found["countries"]}
    assert "IND" in labels and labels["IND"]["name"] == "India"
    assert sum(c["clusters"] for c in found["countries"]) == found["total"]
    assert client.get("/api/locations", params={"dyad": "USA-CHN"}).json() == {"total": 0, "points": [],
                                                                               "countries": []}


def test_web_post_code_returns_events_and_stores_nothing(client, example_store):
    before = client.get("/api/summary").json()
    text = "Iran offered to mediate between India and Pakistan. India launched missile strikes on camps in Pakistan."
    response = client.post("/api/code", json={"text": text, "date": "2025-05-08"})
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert {((e["source"] or {}).get("country"), e["cameo"][:2], (e["target"] or {}).get("country"))
            for e in events} >= {("IRN", "03", "IND"), ("IRN", "03", "PAK"), ("IND", "19", "PAK")}
    for event in events:
        assert event["date"] == "2025-05-08"
        for mark in event["highlights"]:
            assert event["sentence"][mark["start"]:mark["end"]] == (
                event["trigger"]["text"] if mark["kind"] == "trigger" else event[mark["kind"]]["text"])
    assert client.get("/api/summary").json() == before
    assert client.post("/api/code", json={"text": "   "}).status_code == 422
    assert client.post("/api/code", json={"text": "x", "path": "/etc/passwd"}).status_code == 422


def test_web_openapi_describes_every_endpoint(client):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {"/api/summary", "/api/events", "/api/events/{cluster_id}", "/api/locations",
                                    "/api/dyads/{dyad}/timeline", "/api/actors/{code}/timeline", "/api/dyads",
                                    "/api/actors", "/api/network", "/api/claims", "/api/code"}
    filters = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert filters >= {"dyad", "actor", "country", "cameo_root", "cameo", "quad_class", "plover_type", "from", "to",
                       "q", "limit", "offset", "sort", "order"}


def test_web_dashboard_is_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    for asset, kind in (("app.js", "javascript"), ("style.css", "css")):
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200 and kind in response.headers["content-type"]
        assert f"/static/{asset}" in page.text
    assert "http://" not in page.text.replace("http://www.w3.org", "") and "https://" not in page.text


def test_web_wcep_crisis_weeks(wcep_store):
    """The April-May 2025 India-Pakistan crisis, from the Wikipedia current-events corpus, over HTTP."""
    with web_client(wcep_store) as client:
        timeline = client.get("/api/dyads/IND-PAK/timeline", params={"by": "week"}).json()
        worst = sorted((p for p in timeline["periods"] if p["clusters"]), key=lambda p: p["goldstein_sum"])
        assert {p["start"] for p in worst[:2]} == {"2025-04-21", "2025-05-05"}
        truce = client.get("/api/events", params={"dyad": "IND-PAK", "q": "ceasefire", "quad_class": 2}).json()
        assert {(e["event_date"], e["cameo"][:3]) for e in truce["events"]} >= {("2025-05-10", "087")}
        strike = client.get("/api/events", params={"dyad": "IND-PAK", "cameo_root": "19", "limit": 1}).json()
        detail = client.get(f"/api/events/{strike['events'][0]['cluster_id']}").json()
        assert detail["mentions"] and all(m["url"].startswith("https://en.wikipedia.org/") for m in detail["mentions"])
        assert all(any(h["kind"] == "trigger" for h in m["highlights"]) for m in detail["mentions"])
        mediators = {(t["party"], t["action"]) for p in timeline["periods"] for t in p["third_parties"]}
        assert ("USA", "mediated") in mediators


def test_web_serve_listens_on_loopback_unless_told(tmp_path, capsys):
    args = build_parser().parse_args(["serve", "--db", "x.duckdb"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert main(["serve", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "no such store" in capsys.readouterr().err
