"""Words per second of Kautilya's coding beside spaCy's nlp.pipe alone, same model, same texts.

Both are measured in one run, alternately, so the ratio holds on a noisy machine:

    .venv/bin/python bench/throughput.py [--articles 300] [--rounds 3] [--corpus PATH]

The coder's figure is end to end: parsing, actor matching, event coding and serialising each
event as a JSONL record (to an in-memory sink).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import statistics
import sys
import time
from pathlib import Path

import spacy

from kautilya import Settings
from kautilya.nlp import MODEL_PACKAGE
from kautilya.output import EventWriter
from kautilya.pipeline import Coder
from kautilya.schema import Article

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "state_dept_press_2021_2022.jsonl.gz"


def load_articles(path: Path, limit: int) -> list[Article]:
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text", "").strip():
                out.append(Article(id=str(row["id"]), text=row["text"], date=(row.get("date") or "")[:10] or None))
            if len(out) >= limit:
                break
    return out


def time_spacy(nlp, texts: list[str]) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def time_kautilya(coder: Coder, articles: list[Article]) -> tuple[float, int]:
    sink = EventWriter.__new__(EventWriter)  # a writer into memory, not a file
    sink.path, sink.format, sink._handle, sink._csv, sink.count = "-", "jsonl", io.StringIO(), None, 0
    start = time.perf_counter()
    for _, events in coder.code_articles(articles):
        sink.write(events)
    return time.perf_counter() - start, sink.count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus} (../shared is needed for this benchmark)", file=sys.stderr)
        return 2
    articles = load_articles(args.corpus, args.articles)
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(MODEL_PACKAGE)
    coder = Coder.from_settings(Settings())
    # Warm both up (model load, matcher build) before timing.
    time_spacy(nlp, texts[:10])
    time_kautilya(coder, articles[:10])
    spacy_times, coder_times, events = [], [], 0
    for _ in range(args.rounds):
        spacy_times.append(time_spacy(nlp, texts))
        elapsed, events = time_kautilya(coder, articles)
        coder_times.append(elapsed)
    spacy_wps = words / statistics.median(spacy_times)
    coder_wps = words / statistics.median(coder_times)
    print(f"corpus: {args.corpus.name}, {len(articles)} articles, {words} words, {args.rounds} rounds")
    print(f"spaCy nlp.pipe alone : {spacy_wps:9.0f} words/s")
    print(f"kautilya code        : {coder_wps:9.0f} words/s ({events} events)")
    print(f"ratio kautilya/spaCy : {coder_wps / spacy_wps:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
