"""Peak memory while coding millions of words: the corpora repeated, streamed, coded, written.

A fresh child process codes the three corpora of ../shared over and over, as ``kautilya code``
does (read in a stream, coded in batches, events written to a JSONL file), and reports its peak
resident memory (``ru_maxrss``) and current memory as the word count passes each checkpoint. Flat
figures across checkpoints mean memory does not grow with the input.

    .venv/bin/python bench/memory.py [--words 5000000] [--checkpoints 1000000,2500000,5000000] [--no-prefilter]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace

from corpus import ALL_CORPORA, read_articles, require


def repeated_corpora():
    """The corpora again and again, each pass with its own article ids."""
    for round_no in itertools.count(1):
        for path in ALL_CORPORA:
            for article in read_articles(path):
                yield replace(article, id=f"{article.id}#{round_no}")


def child(words_wanted: int, checkpoints: list[int], prefilter: bool) -> None:
    import psutil

    from kautilya import Settings
    from kautilya.output import EventWriter
    from kautilya.pipeline import Coder

    process = psutil.Process()
    coder = Coder.from_settings(Settings(prefilter=prefilter))

    def stream():
        read = 0
        for article in repeated_corpora():
            if read >= words_wanted:
                return
            read += len(article.text.split())
            yield article

    start = time.perf_counter()
    pending = list(checkpoints)
    articles = words = 0
    with tempfile.TemporaryDirectory() as folder:
        writer = EventWriter(os.path.join(folder, "events.jsonl"))
        for article, events in coder.code_articles(stream()):
            writer.write(events)
            articles += 1
            words += len(article.text.split())
            while pending and words >= pending[0]:
                print(json.dumps({"words": words, "articles": articles, "events": writer.count,
                                  "seconds": round(time.perf_counter() - start, 1),
                                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                  "rss_mb": process.memory_info().rss / 2**20}), flush=True)
                pending.pop(0)
        writer.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=5_000_000)
    parser.add_argument("--checkpoints", default="1000000,2500000,5000000")
    parser.add_argument("--no-prefilter", dest="prefilter", action="store_false")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    checkpoints = sorted(int(float(c)) for c in args.checkpoints.split(","))
    if args.child:
        child(args.words, checkpoints, args.prefilter)
        return 0
    require(*ALL_CORPORA)
    command = [sys.executable, __file__, "--child", "--words", str(args.words), "--checkpoints", args.checkpoints]
    if not args.prefilter:
        command.append("--no-prefilter")
    print(f"coding {args.words:,} words (the corpora repeated), pre-filter {'on' if args.prefilter else 'off'}")
    print(f"{'words':>10} {'articles':>9} {'events':>8} {'seconds':>8} {'peak RSS MB':>12} {'RSS now MB':>11}")
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as run:
        for line in run.stdout:
            row = json.loads(line)
            print(f"{row['words']:>10,} {row['articles']:>9,} {row['events']:>8,} {row['seconds']:>8} "
                  f"{row['peak_mb']:>12.0f} {row['rss_mb']:>11.0f}", flush=True)
    print(f"child peak RSS (whole run): {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
