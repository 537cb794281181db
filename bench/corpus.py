"""What the bench scripts share: the corpora in ../shared, read as Articles, and a writer into memory."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Iterator

from kautilya.output import EventWriter
from kautilya.schema import Article

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
PRESS = CORPORA / "state_dept_press_2021_2022.jsonl.gz"
ALL_CORPORA = (PRESS, CORPORA / "wikinews_2019_2020.jsonl", CORPORA / "wcep_2025_2026.jsonl.gz")


def read_articles(path: Path, limit: int | None = None) -> Iterator[Article]:
    """The articles of one corpus file, with text, in file order."""
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if limit is not None and count >= limit:
                return
            row = json.loads(line)
            if row.get("text", "").strip():
                count += 1
                yield Article(id=str(row["id"]), text=row["text"], date=(row.get("date") or "")[:10] or None,
                              origin=f"{path.name}:{count}")


def word_count(articles: list[Article]) -> int:
    return sum(len(article.text.split()) for article in articles)


def memory_writer() -> EventWriter:
    """An EventWriter that serialises JSONL records into memory, so timing includes the output step."""
    sink = EventWriter.__new__(EventWriter)
    sink.path, sink.format, sink._handle, sink._csv, sink.count = "-", "jsonl", io.StringIO(), None, 0
    return sink


def require(*paths: Path) -> None:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise SystemExit(f"corpus not found: {', '.join(missing)} (../shared is needed for the benchmarks)")
