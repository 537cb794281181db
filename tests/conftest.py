"""Shared fixtures: the real spaCy model and coder (loaded once), and the ../shared folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kautilya import Settings
from kautilya.pipeline import Coder

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder.from_settings(Settings())


@pytest.fixture(scope="session")
def uncertain_coder() -> Coder:
    return Coder.from_settings(Settings(keep_uncertain=True))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: the gold sets and corpora live there, beside the repository")
    return SHARED


def code(coder: Coder, text: str, date: str | None = "2025-05-01"):
    from kautilya.schema import Article

    article = Article(id="t", text=text, date=date)
    return coder.code_doc(article, coder.nlp(text))


def triples(events) -> set[tuple]:
    """(source country, CAMEO code, target country) of each event."""
    return {(e.source.country if e.source else None, e.cameo, e.target.country if e.target else None)
            for e in events}


# ---------------------------------------------------------------------- web (tests/test_web_*.py)

#: An article whose text carries markup that must never run in the dashboard (issue 8).
XSS_TEXT = ('India condemned Pakistan over the border attack <img src=x onerror="window.__xss=1">. '
            '<script>window.__xss=2</script> Pakistan accused India of staging the raid '
            '<b onmouseover="window.__xss=3">here</b>.')
#: An event given a place by hand, so the map has a dot (geolocation is a stage of its own).
LOCATED_TEXT = "Pakistani troops shelled Indian posts near Poonch."
POONCH = {"name": "Poonch", "country": "IND", "lat": 33.77, "lon": 74.09, "precision": "city"}


@pytest.fixture(scope="session")
def example_store(coder, tmp_path_factory) -> Path:
    """A store of examples/, the hostile article (as a JSONL record) and one located event."""
    import dataclasses
    import json

    from kautilya.analytics import rebuild_clusters
    from kautilya.ingest import read_inputs
    from kautilya.pipeline import code_into_store
    from kautilya.schema import Article, Location
    from kautilya.store import EventStore

    folder = tmp_path_factory.mktemp("web")
    hostile = folder / "hostile.jsonl"
    hostile.write_text(json.dumps({"id": "hostile", "date": "2025-05-02", "title": "<script>window.__xss=4</script>",
                                   "source": "<img src=x onerror=window.__xss=5>", "text": XSS_TEXT}) + "\n",
                       encoding="utf-8")
    path = folder / "examples.duckdb"
    with EventStore.open(path) as store:
        code_into_store(read_inputs([str(REPO / "examples"), str(hostile)], "2025-04-28"), store, coder)
        article = Article("located", LOCATED_TEXT, date="2025-05-03", source="Kautilya tests")
        events = [dataclasses.replace(e, location=Location(**POONCH))
                  for e in coder.code_doc(article, coder.nlp(article.text))]
        store.write([(article, events)])
        rebuild_clusters(store)
    return path


@pytest.fixture(scope="session")
def wcep_store(shared, coder, tmp_path_factory) -> Path:
    """The Wikipedia current-events items of 20 April to 20 May 2025 (the crisis) in a store."""
    from kautilya.ingest import read_inputs
    from kautilya.pipeline import code_into_store
    from kautilya.schema import Article
    from kautilya.store import EventStore

    corpus = shared / "corpora" / "wcep_2025_2026.jsonl.gz"
    crisis = [a for a in read_inputs([str(corpus)])
              if isinstance(a, Article) and a.date and "2025-04-20" <= a.date <= "2025-05-20"]
    path = tmp_path_factory.mktemp("wcep") / "wcep-crisis.duckdb"
    with EventStore.open(path) as store:
        code_into_store(crisis, store, coder)
    return path


def web_client(store_path: Path, **limits):
    """A client of the web app over ``store_path``, calling it in process (ASGI), as 127.0.0.1."""
    from fastapi.testclient import TestClient

    from kautilya.config import WebSettings
    from kautilya.web import create_app

    return TestClient(create_app(store_path, WebSettings(**limits)), base_url="http://127.0.0.1")


@pytest.fixture(scope="session")
def live_server(example_store):
    """The app served by uvicorn on a free loopback port, in a thread; yields its base URL."""
    from kautilya.web import background_server, create_app

    with background_server(create_app(example_store)) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (never a browser Playwright downloads)."""
    from kautilya.web import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).is_file():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    """A fresh browser page; fails the test on any script error or Content-Security-Policy report."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert not problems, problems


def wait_until_drawn(page, subject: str) -> None:
    """Wait until the dashboard has drawn every panel for ``subject`` (it clears main's aria-busy)."""
    page.wait_for_selector(f'main[aria-busy="false"][data-subject="{subject}"]')
