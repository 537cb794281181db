"""Attribution claims in the Wikipedia current-events corpus for a period, as a table of actors
and stances (no corpus text), with a count per stance:

    .venv/bin/python bench/wcep_claims.py [--start 2025-04-01] [--end 2025-05-31] [--markdown]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from kautilya.ingest import _make_article
from kautilya.pipeline import Coder

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "wcep_2025_2026.jsonl.gz"


def label(actor: dict | None) -> str:
    if not actor:
        return "-"
    who = actor.get("name") if actor.get("via") in ("person", "org") else None
    code = actor.get("code") or "?"
    return f"{code} ({who})" if who else code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--start", default="2025-04-01")
    parser.add_argument("--end", default="2025-05-31")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    articles = [_make_article(r, str(args.corpus), i, None) for i, r in enumerate(rows, start=1)
                if args.start <= (r.get("date") or "")[:10] <= args.end]
    coder = Coder.from_settings()
    claims = [c.to_record() for _, _, found in coder.analyse_articles(articles) for c in found]
    counts = Counter(c["stance"] for c in claims)
    print(f"{len(articles)} items from {args.start} to {args.end}: {len(claims)} claims; "
          + ", ".join(f"{stance} {counts[stance]}" for stance in ("asserts", "denies", "declines", "questions")))
    if args.markdown:
        print("\n| date | claimant | stance | accused | evidence |\n|---|---|---|---|---|")
    for c in claims:
        cells = [c["date"], label(c["claimant"]), c["stance"], label(c["accused"]),
                 c["evidence"] + (", hearsay" if c["hearsay"] else "")]
        print(("| " + " | ".join(cells) + " |") if args.markdown else "  ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
