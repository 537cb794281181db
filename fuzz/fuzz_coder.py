"""A longer fuzz run of the readers and the coder than the test suite affords.

    .venv/bin/python fuzz/fuzz_coder.py [--examples 2000] [--seed 0]

Feeds arbitrary bytes to every reader and arbitrary text (random Unicode, news-like word salad,
markup) to the coder; checks that every record becomes valid events or a clean rejection and that
every span points inside its article. Prints how many inputs were tried and how many crashed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from test_robustness import TEXTS, assert_valid  # noqa: E402

from kautilya.ingest import Article, Reject, read_inputs  # noqa: E402
from kautilya.pipeline import code_text  # noqa: E402

MARKUP = st.lists(st.sampled_from(["<p>", "</p>", "<div>", "<script>", "</script>", "<!--", "-->", "&amp;",
                                   "India", "urged", "Pakistan", "<table><tr><td>", "\x00", "\ufeff"]),
                  max_size=200).map("".join)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = {"coder": 0, "reader": 0, "crashes": 0}
    folder = Path(tempfile.mkdtemp(prefix="kautilya-fuzz-"))

    @settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(TEXTS, MARKUP))
    def fuzz_coder(text):
        counts["coder"] += 1
        try:
            assert_valid(code_text(text, "2025-05-01"), text)
        except Exception:
            counts["crashes"] += 1
            traceback.print_exc()

    @settings(max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=2000), MARKUP.map(str.encode)),
           st.sampled_from([".txt", ".jsonl", ".html", ".jsonl.gz"]))
    def fuzz_readers(data, suffix):
        counts["reader"] += 1
        path = folder / f"input{suffix}"
        path.write_bytes(data)
        try:
            for item in read_inputs([str(path)]):
                assert isinstance(item, (Article, Reject))
        except Exception:
            counts["crashes"] += 1
            traceback.print_exc()

    fuzz_coder()
    fuzz_readers()
    print(f"inputs tried: coder {counts['coder']}, readers {counts['reader']}; crashes: {counts['crashes']}")
    return 1 if counts["crashes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
