"""Words per second with 1 process, 2 worker processes and a local 2-worker Dask cluster, same texts.

The in-process coder (``kautilya code``) and a pool of 2 workers (``kautilya code --workers 2``)
are timed alternately, after warming up (each worker loads the model once, when the pool
starts). The Dask cluster (``kautilya code --cluster local:2``) is timed once, end to end
(cluster start, model load in each worker, reading, coding, writing Parquet). The extrapolation
table at the end turns the measured rates into hours for 100,000 articles of 500 words.

    .venv/bin/python bench/workers.py [--articles 400] [--rounds 2] [--no-cluster]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus import PRESS, memory_writer, read_articles, require, word_count

from kautilya import Settings
from kautilya.parallel import WorkerPool, code_on_cluster
from kautilya.pipeline import Coder

CORPUS_WORDS = 100_000 * 500  # 100,000 articles of 500 words


def busy(loops: int) -> int:
    total = 0
    for i in range(loops):
        total += i
    return total


def _busy_after(barrier, loops: int) -> None:
    barrier.wait()
    busy(loops)


def free_cores(loops: int = 20_000_000) -> float:
    """How many cores the machine gives now: 2 processes of pure Python work against 1 (2.00 if
    both cores are free; less when other jobs share the machine)."""
    import multiprocessing

    start = time.perf_counter()
    busy(loops)
    one = time.perf_counter() - start
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)  # both processes started and ready before the clock starts
    processes = [context.Process(target=_busy_after, args=(barrier, loops)) for _ in range(2)]
    for process in processes:
        process.start()
    barrier.wait()
    start = time.perf_counter()
    for process in processes:
        process.join()
    return 2 * one / (time.perf_counter() - start)


def time_run(coded) -> float:
    sink = memory_writer()
    start = time.perf_counter()
    for _, events in coded:
        sink.write(events)
    return time.perf_counter() - start


def time_cluster(articles, settings: Settings, workers: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "articles.jsonl"
        source.write_text("".join(json.dumps({"id": a.id, "text": a.text, "date": a.date}) + "\n"
                                  for a in articles), encoding="utf-8")
        start = time.perf_counter()
        # Blocks of about a tenth of the input: enough partitions to keep both workers busy.
        code_on_cluster([str(source)], f"{folder}/events/", settings, f"local:{workers}",
                        blocksize=max(1, source.stat().st_size // 10))
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=PRESS)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-prefilter", dest="prefilter", action="store_false")
    parser.add_argument("--no-cluster", dest="cluster", action="store_false")
    args = parser.parse_args()
    require(args.corpus)
    articles = list(read_articles(args.corpus, args.articles))
    words = word_count(articles)
    settings = Settings(prefilter=args.prefilter)
    coder = Coder.from_settings(settings)
    times: dict[str, list[float]] = {"1 process": [], "2 workers": []}
    with WorkerPool(settings, 2) as pool:
        time_run(coder.code_articles(articles[:10]))
        time_run(pool.code_articles(articles[: 4 * settings.batch_size]))  # both workers up and warm
        for _ in range(args.rounds):
            times["1 process"].append(time_run(coder.code_articles(articles)))
            times["2 workers"].append(time_run(pool.code_articles(articles)))
    rate = {name: words / statistics.median(values) for name, values in times.items()}
    cores = free_cores()
    if args.cluster:
        rate["Dask local:2 (end to end)"] = words / time_cluster(articles, settings, 2)
    print(f"corpus: {args.corpus.name}, {len(articles)} articles, {words} words, "
          f"pre-filter {'on' if args.prefilter else 'off'}, {args.rounds} rounds (median)")
    for name, value in rate.items():
        print(f"{name:<28}: {value:8.0f} words/s  ({value / rate['1 process']:.2f} x 1 process)")
    print(f"{'CPU check':<28}: 2 busy Python processes ran {cores:.2f} x 1 (2.00 when both cores are free)")
    per_worker = rate["2 workers"] / 2
    print(f"\nhours for {CORPUS_WORDS:,} words (100,000 articles of 500 words), from these rates:")
    rows = [("1 machine, 1 process", rate["1 process"]), ("1 machine, 2 workers", rate["2 workers"]),
            ("10 Dask workers (linear)", 10 * per_worker), ("100 Dask workers (linear)", 100 * per_worker)]
    for name, value in rows:
        print(f"{name:<28}: {CORPUS_WORDS / value / 3600:7.2f} h  ({value:,.0f} words/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
