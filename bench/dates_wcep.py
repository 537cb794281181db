"""Event dates and places over the whole 2025-2026 Wikipedia current-events corpus.

Codes every item of ``../shared/corpora/wcep_2025_2026.jsonl.gz`` (each item is dated) and
counts: events, events dated after their article (the must-show: none), how events are dated
(the article's day, a date the text gives, or none for events recalled in the background), the
precision of dates, and how many events carry a location and of what precision:

    .venv/bin/python bench/dates_wcep.py [--limit N] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from kautilya import Settings
from kautilya.ingest import Reject, read_inputs
from kautilya.pipeline import Coder

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wcep_2025_2026.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="code only the first N items (0: all)")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    coder = Coder.from_settings(Settings())
    counts: collections.Counter[str] = collections.Counter()
    after: list[tuple[str, str, str, str]] = []
    rejects: list[Reject] = []
    start = time.perf_counter()
    for item, events in coder.code_articles(read_inputs([str(args.corpus)])):
        if isinstance(item, Reject):
            counts["rejected"] += 1
            rejects.append(item)
            continue
        counts["articles"] += 1
        for event in events:
            counts["events"] += 1
            if event.date is None:
                counts["dated: none (recalled in the background)"] += 1
            elif event.date == event.article_date and event.date_precision == "day":
                counts["dated: the article's day"] += 1
            else:
                counts["dated: from the text"] += 1
            counts[f"precision: {event.date_precision}"] += 1
            if event.date and event.article_date and event.date > event.article_date:
                after.append((event.doc_id, event.article_date, event.date, event.sentence[:100]))
            counts[f"location: {event.location.precision if event.location else 'none'}"] += 1
        if args.limit and counts["articles"] >= args.limit:
            break
    seconds = time.perf_counter() - start
    print(f"corpus: {args.corpus.name}, {counts['articles']} items coded in {seconds:.0f} s "
          f"({counts['rejected']} rejected)")
    for key in sorted(counts):
        if key not in ("articles", "rejected"):
            print(f"  {key}: {counts[key]}")
    for reject in rejects[:10]:
        print(f"  rejected: {reject.reason_code}: {reject.describe()}")
    print(f"events dated after their article: {len(after)}")
    for row in after[:20]:
        print("  ", *row)
    return 1 if after else 0


if __name__ == "__main__":
    sys.exit(main())
