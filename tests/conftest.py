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
