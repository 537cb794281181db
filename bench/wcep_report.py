"""Rebuild the Wikipedia current-events store and the India-Pakistan weekly report and chart.

    .venv/bin/python bench/wcep_report.py [--corpus PATH] [--db out/wcep.duckdb] [--png docs/ind-pak-weekly.png]

Codes the whole corpus (10,580 items) into a fresh store, codes it a second time to show that
nothing is added twice, then prints the IND-PAK weekly report for 2025 and the figures the README
quotes: the most negative weeks, the 10 May 2025 ceasefire and the third parties of its week.
The same figures come from the command line:

    kautilya code ../shared/corpora/wcep_2025_2026.jsonl.gz -o out/wcep.duckdb
    kautilya report --db out/wcep.duckdb --dyad IND-PAK --by week --from 2025-01-01 --to 2025-12-31 \\
        --png docs/ind-pak-weekly.png
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from kautilya import analytics
from kautilya.charts import plot_report
from kautilya.ingest import read_inputs
from kautilya.output import print_report
from kautilya.pipeline import Coder, code_into_store
from kautilya.store import EventStore

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "wcep_2025_2026.jsonl.gz"
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
CEASEFIRE = dt.date(2025, 5, 10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--db", type=Path, default=REPO / "out" / "wcep.duckdb")
    parser.add_argument("--png", type=Path, default=REPO / "docs" / "ind-pak-weekly.png")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus} (the shared data lives in ../shared)", file=sys.stderr)
        return 2
    args.db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (args.db, args.db.with_name(args.db.name + ".wal")):
        stale.unlink(missing_ok=True)

    coder = Coder.from_settings()
    with EventStore.open(args.db) as store:
        for attempt in ("first run", "second run (same input)"):
            start = time.perf_counter()
            run = code_into_store(read_inputs([str(args.corpus)]), store, coder)
            seconds = time.perf_counter() - start
            counts = store.counts()
            print(f"{attempt}: {run.read} articles read, {run.added} added, {run.skipped} skipped, "
                  f"{run.events} events written in {seconds:.1f} s ({run.read / seconds:.0f} articles/s); "
                  f"store: {counts.articles} articles, {counts.events} events, {counts.clusters} clusters, "
                  f"{counts.mentions} mentions")
        report = analytics.dyad_report(store, "IND", "PAK", by="week", since=YEAR[0], until=YEAR[1])
        ceasefire = store.rows("SELECT source_code, cameo, target_code, quad_class, goldstein, num_articles "
                               "FROM clusters WHERE event_date = ? AND cameo_base = '087' "
                               "AND source_country IN ('IND', 'PAK') AND target_country IN ('IND', 'PAK')",
                               [CEASEFIRE])

    print_report(report)
    plot_report(report, args.png, title="India-Pakistan, 2025: event clusters per week (Wikipedia current events)")
    print(f"chart: {args.png}")

    worst = sorted((p for p in report.periods if p.clusters), key=lambda p: p.goldstein_sum)[:3]
    print("most negative weeks of 2025 (Goldstein sum):",
          "; ".join(f"week of {p.start} {p.goldstein_sum:+.1f} ({p.clusters} events)" for p in worst))
    for row in ceasefire:
        print(f"ceasefire {CEASEFIRE}: {row['source_code']} {row['cameo']} {row['target_code']}, "
              f"QuadClass {row['quad_class']}, Goldstein {row['goldstein']:+.1f}, {row['num_articles']} article(s)")
    week = report.periods[[p.start for p in report.periods].index(analytics.period_start(CEASEFIRE, "week"))]
    print(f"third parties in the week of {week.start}:",
          "; ".join(f"{t.party} {t.action} {', '.join(t.targets)}" for t in week.third_parties) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
