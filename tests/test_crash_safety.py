"""A crash never loses or duplicates an event: SIGKILL `kautilya code` at random moments, rerun,
and compare the store with one built in a single uninterrupted run."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent


def make_corpus(path: Path, n: int = 240) -> None:
    """Articles made from the project's own example sentences, each under its own id and date."""
    sentences = []
    for example in sorted((REPO / "examples").glob("*.txt")):
        sentences += [s for s in example.read_text(encoding="utf-8").splitlines() if s.strip()]
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = " ".join(rng.sample(sentences, 3))
            handle.write(json.dumps({"id": f"a{i:04d}", "date": f"2025-05-{1 + i % 28:02d}", "text": text,
                                     "source": f"paper{i % 5}"}) + "\n")


def run(corpus: Path, store: Path, kill_after: float | None = None) -> int | None:
    command = [sys.executable, "-m", "kautilya", "code", str(corpus), "-o", str(store), "--batch-size", "16"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if kill_after is None:
        return process.wait(timeout=600)
    time.sleep(kill_after)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return None


def snapshot(store: Path) -> dict:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return {
            "articles": con.execute("SELECT article_id, text_hash FROM articles ORDER BY 1").fetchall(),
            "events": con.execute("SELECT event_id, article_id, cameo FROM events ORDER BY 1").fetchall(),
            "clusters": con.execute("SELECT cluster_id, num_mentions, num_articles, num_sources FROM clusters "
                                    "ORDER BY 1").fetchall(),
            "mentions": con.execute("SELECT count(*) FROM mentions").fetchone(),
        }
    finally:
        con.close()


def test_crash_safety_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    make_corpus(corpus)
    clean = tmp_path / "clean.duckdb"
    started = time.monotonic()
    assert run(corpus, clean) == 0
    duration = time.monotonic() - started  # kill within the time a whole run takes on this machine now
    expected = snapshot(clean)
    assert len(expected["events"]) > 100 and expected["clusters"]

    crashed = tmp_path / "crashed.duckdb"
    rng = random.Random(20261129)
    partial = []
    for _ in range(4):
        run(corpus, crashed, kill_after=rng.uniform(0.5, 0.95) * duration)
        if crashed.exists():
            con = duckdb.connect(str(crashed))  # read-write: replays what the killed run committed
            partial.append(con.execute("SELECT count(*) FROM articles").fetchone()[0])
            con.close()
    # The kills landed mid-run: some left a store holding part of the corpus.
    assert any(0 < n < len(expected["articles"]) for n in partial), partial
    assert run(corpus, crashed) == 0
    assert snapshot(crashed) == expected
