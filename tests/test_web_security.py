"""Hostile requests against the web API (issue 8): SQL injection, path traversal, oversized input,
slow coding, foreign Host headers, and an article whose markup must never run in the dashboard."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser
from importlib import resources
from urllib.parse import quote

import pytest

from conftest import wait_until_drawn, web_client

INJECTIONS = ["' OR '1'='1", "IND'; DROP TABLE events; --", "1; DELETE FROM articles", "IND-PAK' UNION SELECT * "
              "FROM articles --", "%' OR 1=1 --", "\\'; SELECT 1; --", "IND\x00PAK", "1 OR 1=1"]
FILTERS = ["dyad", "actor", "country", "cameo_root", "cameo", "quad_class", "plover_type", "q", "from", "to",
           "sort", "order", "limit", "offset"]
TRAVERSALS = ["../../../../etc/passwd", "..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/web.py", "..\\..\\web.py",
              "/etc/passwd", "....//....//etc/passwd", "app.js%00.png", "%252e%252e%252fetc%252fpasswd"]


@pytest.fixture(scope="module")
def client(example_store):
    with web_client(example_store) as client:
        yield client


def _counts(client) -> dict:
    return client.get("/api/summary").json()


def test_web_sql_injection_in_every_filter_is_data_not_sql(client):
    before = _counts(client)
    for name in FILTERS:
        for payload in INJECTIONS:
            response = client.get("/api/events", params={name: payload})
            assert response.status_code in (200, 422), (name, payload, response.text)
            if response.status_code == 200:  # only free text accepts it, and finds nothing with it
                assert name == "q" and response.json()["total"] == 0, (name, payload)
    for payload in INJECTIONS:
        segment = quote(payload, safe="")
        for path in (f"/api/dyads/{segment}/timeline", f"/api/actors/{segment}/timeline", f"/api/events/{segment}"):
            assert client.get(path).status_code in (404, 422), (path, payload)
        for endpoint, name in (("/api/actors", "q"), ("/api/claims", "actor"), ("/api/network", "around")):
            response = client.get(endpoint, params={name: payload})
            assert response.status_code in (200, 422), (endpoint, payload)
            if response.status_code == 200:
                assert response.json() == [], (endpoint, payload)
    assert _counts(client) == before  # every table still there, unchanged


def test_web_no_endpoint_reads_a_file_by_a_path_from_the_request(client):
    passwd = re.compile(r"root:.*:0:0:")
    for path in TRAVERSALS:
        for url in (f"/static/{path}", f"/{path}", f"/api/events/{path}", f"/api/dyads/{path}/timeline"):
            response = client.get(url)
            assert response.status_code in (404, 422), (url, response.status_code)
            assert not passwd.search(response.text) and "def create_app" not in response.text, url
    shipped = {entry.name for entry in (resources.files("kautilya") / "web_static").iterdir()}
    assert {"index.html", "app.js", "style.css"} <= shipped
    assert client.get("/static/web.py").status_code == 404  # a module beside the assets is not an asset


def test_web_oversized_bodies_queries_and_pages_are_refused(example_store):
    with web_client(example_store, max_body_bytes=5_000, max_text_chars=1_000, max_query_chars=500) as client:
        assert client.post("/api/code", json={"text": "India praised Japan. " * 1_000}).status_code == 413
        assert client.post("/api/code", json={"text": "India praised Japan. " * 100}).status_code == 413  # text cap

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(20):
                yield b" " * 1_000

        streamed = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413
        assert client.get("/api/events", params={"q": "x" * 600}).status_code == 414
        assert client.get("/api/events", params={"q": "x" * 201}).status_code == 422
        assert client.get("/api/events", params={"limit": 100_000}).status_code == 422
        assert client.get("/api/dyads/IND-PAK/timeline",
                          params={"by": "day", "from": "1900-01-01", "to": "2100-12-31"}).status_code == 422
        assert client.get("/api/events", params={"from": "0001-01-01"}).status_code == 422
        assert client.post("/api/code", json={"text": "India praised Japan."}).status_code == 200


def test_web_post_coding_is_bounded_in_time_and_the_server_stays_responsive(example_store):
    text = "India and Pakistan exchanged fire along the Line of Control. " * 1_500
    with web_client(example_store, code_timeout=0.2, max_text_chars=200_000, max_body_bytes=400_000) as client:
        started = time.monotonic()
        response = client.post("/api/code", json={"text": text})
        assert response.status_code == 503 and "longer than" in response.json()["detail"]
        assert time.monotonic() - started < 5
        assert client.get("/api/summary").status_code == 200


def test_web_foreign_host_headers_are_refused(client):
    assert client.get("/api/summary", headers={"host": "attacker.example"}).status_code == 400
    assert client.get("/api/summary", headers={"host": "127.0.0.1:8000"}).status_code == 200
    assert client.get("/api/summary", headers={"host": "localhost"}).status_code == 200


def test_web_security_headers_and_no_inline_script(client):
    for url in ("/", "/static/app.js", "/api/summary", "/api/events/1"):
        headers = client.get(url).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe" not in policy, url
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"

    class Scripts(HTMLParser):
        def __init__(self):
            super().__init__()
            self.problems = []

        def handle_starttag(self, tag, attrs):
            names = dict(attrs)
            if tag == "script" and not names.get("src", "").startswith("/static/"):
                self.problems.append("inline or foreign script")
            self.problems += [f"{tag} {name}" for name in names if name.startswith("on")]

    parser = Scripts()
    parser.feed(client.get("/").text)
    assert parser.problems == []
    script = client.get("/static/app.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


def test_web_stored_markup_is_shown_as_text_and_never_runs(page, live_server):
    """The hostile article (script tag, onerror and onmouseover attributes, in its text, title and
    source) is stored; its events are opened in the dashboard; nothing runs, the markup is text."""
    page.goto(f"{live_server}/#dyad=IND-PAK&by=day")
    wait_until_drawn(page, "IND-PAK")
    rows = page.locator("#events tbody tr.event-row", has_text="window.__xss")
    assert rows.count() == 2
    for index in range(rows.count()):
        rows.nth(index).click()
    page.locator("[data-testid=event-detail]").nth(1).wait_for()
    details = page.locator("[data-testid=event-detail]")
    shown = " ".join(details.all_inner_texts())
    assert '<img src=x onerror="window.__xss=1">' in shown and "<script>window.__xss=2</script>" in shown
    assert "<script>window.__xss=4</script>" in shown  # the title, as text
    page.locator("[data-testid=sentence]", has_text="onmouseover").first.hover()
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("main img, main script, main b, main [onerror], main [onmouseover]").count() == 0
