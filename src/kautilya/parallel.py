"""Coding on more than one core: a process pool on one machine, or a Dask cluster.

Both run the same library function as a single process (``Coder.code_articles``), with a coder
loaded once per worker process, so they give the same events.

- ``code_in_processes``: N worker processes on this machine. Batches of articles go out, at most
  two per worker at a time (memory stays flat), and results come back in input order.
- ``code_on_cluster``: partitions of JSONL(.gz) or Parquet inputs (local paths or fsspec URLs)
  are coded on a Dask cluster (``local:N`` starts one here; ``tcp://host:8786`` joins one), each
  partition written by its worker as ``part-NNNNN.parquet`` in the output folder.

Docs: docs/scale.md
"""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import zlib
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .config import Settings
from .errors import InputError
from .ingest import JSONL_SUFFIXES, PARQUET_SUFFIXES, Reject, read_jsonl_lines, read_parquet_rows
from .schema import Article, Event

#: Uncompressed JSONL is cut into blocks of about this many bytes (on line boundaries), so one
#: big file still spreads over every worker; gzip files cannot be cut and are one partition each.
DEFAULT_BLOCKSIZE = 32 * 2**20
#: Characters of text in one batch sent to a worker process: a second or two of parsing.
DEFAULT_CHUNK_CHARS = 100_000

# ---------------------------------------------------------------------------- process pool

_worker_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    global _worker_settings
    _worker_settings = settings
    from .pipeline import coder_for

    coder_for(settings)  # load the model and dictionaries before the first batch arrives


def _code_batch(articles: list[Article]) -> list[list[Event] | Reject]:
    from .pipeline import coder_for

    coder = coder_for(_worker_settings)
    return [item if isinstance(item, Reject) else events for item, events in coder.code_articles(articles)]


class WorkerPool:
    """Worker processes on this machine, each with its own coder; reusable for many streams.

    Workers start with 'spawn' (nothing is inherited from the caller) and load the model once,
    when the pool starts. Use as a context manager, or call ``close``.

    Args:
        settings: coder settings, passed to every worker.
        workers: number of worker processes.
        chunk_chars: a batch sent to a worker holds about this many characters (or
            ``settings.batch_size`` articles): small enough that articles of very different
            lengths still spread evenly over the workers.
    """

    def __init__(self, settings: Settings, workers: int, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.settings = settings
        self.workers = workers
        self.chunk_chars = chunk_chars
        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_start_worker, initargs=(settings,))

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._pool.shutdown()

    def code_articles(self, items: Iterable[Article | Reject]) -> Iterator[tuple[Article | Reject, list[Event]]]:
        """Like ``Coder.code_articles``, on the pool's workers; results in input order.

        Batches go out at most two per worker at a time, so memory stays flat. Rejects from reading never leave this process; an article that fails in a
        worker comes back as a Reject.
        """
        pending: deque = deque()  # (batch of items, future of its coded articles)

        def submit(batch: list[Article | Reject]) -> None:
            articles = [item for item in batch if isinstance(item, Article)]
            pending.append((batch, self._pool.submit(_code_batch, articles) if articles else None))

        def collect() -> Iterator[tuple[Article | Reject, list[Event]]]:
            batch, future = pending.popleft()
            results = iter(future.result() if future is not None else ())
            for item in batch:
                if isinstance(item, Reject):
                    yield item, []
                    continue
                result = next(results)
                yield (result, []) if isinstance(result, Reject) else (item, result)

        batch: list[Article | Reject] = []
        chars = 0
        for item in items:
            batch.append(item)
            chars += len(item.text) if isinstance(item, Article) else 0
            if len(batch) >= self.settings.batch_size or chars >= self.chunk_chars:
                submit(batch)
                batch, chars = [], 0
                while len(pending) > 2 * self.workers:
                    yield from collect()
        if batch:
            submit(batch)
        while pending:
            yield from collect()


def code_in_processes(items: Iterable[Article | Reject], settings: Settings,
                      workers: int) -> Iterator[tuple[Article | Reject, list[Event]]]:
    """Like ``Coder.code_articles``, on ``workers`` processes started for this stream."""
    with WorkerPool(settings, workers) as pool:
        yield from pool.code_articles(items)


# ---------------------------------------------------------------------------- Dask cluster


@dataclass(frozen=True)
class Partition:
    """One unit of cluster work: a block of a JSONL file, a whole gzip file, or Parquet row groups."""

    index: int
    source: str  # the input as the user named it (it goes into each record's origin)
    url: str  # what fsspec opens
    kind: str  # "jsonl", "jsonl.gz" or "parquet"
    offset: int = 0
    length: int | None = None
    row_groups: tuple[int, ...] = ()
    first_line: int = 1


@dataclass(frozen=True)
class PartitionResult:
    index: int
    articles: int
    events: int
    rejects: tuple[Reject, ...]


@dataclass(frozen=True)
class ClusterReport:
    """What a cluster run did: partitions coded, articles, events written, records rejected."""

    partitions: int
    articles: int
    events: int
    rejects: int
    output: str


def code_on_cluster(inputs: list[str], output: str, settings: Settings, address: str, *,
                    default_date: str | None = None, blocksize: int = DEFAULT_BLOCKSIZE,
                    on_reject: Callable[[Reject], None] | None = None) -> ClusterReport:
    """Code JSONL(.gz) and Parquet inputs on a Dask cluster into a folder of Parquet parts.

    Args:
        inputs: files, folders (their .jsonl, .jsonl.gz and .parquet files), globs or fsspec URLs
            (``s3://bucket/news/*.jsonl.gz``).
        output: the output folder (path or fsspec URL that every worker can write to); earlier
            ``part-*.parquet`` files in it are removed.
        settings: coder settings, sent to every worker (extra dictionary files must be readable
            there under the same path).
        address: ``local:N`` for a cluster of N processes on this machine, or a scheduler address
            (``tcp://scheduler:8786``).
        default_date: the date of records that carry none.
        blocksize: bytes of uncompressed JSONL per partition.
        on_reject: called with each Reject, in input order (e.g. ``RejectWriter.write``).

    Raises:
        InputError: the output is a file, or no input file was found.
    """
    import fsspec
    from distributed import Client, LocalCluster, as_completed

    fs, root = fsspec.core.url_to_fs(output)
    if fs.isfile(root):
        raise InputError("the cluster output must be a folder, not a file", source=output)
    fs.makedirs(root, exist_ok=True)
    for stale in fs.glob(f"{root.rstrip('/')}/part-*.parquet"):
        fs.rm(stale)
    report_reject = on_reject or (lambda reject: None)
    cluster = None
    if address.startswith("local:"):
        cluster = LocalCluster(n_workers=int(address[len("local:"):]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(cluster or address)
    try:
        partitions, rejected = _plan_partitions(inputs, blocksize, client)
        if not partitions and not rejected:
            raise InputError("no .jsonl, .jsonl.gz or .parquet input found", source=" ".join(inputs))
        for reject in rejected:
            report_reject(reject)
        futures = [client.submit(code_partition, part, settings, output, default_date, pure=False)
                   for part in partitions]
        finished: dict[int, PartitionResult] = {}
        articles = events = rejects = 0
        next_index = 0
        for future in as_completed(futures):
            result = future.result()
            finished[result.index] = result
            while next_index in finished:  # in input order, whatever order partitions finish in
                done = finished.pop(next_index)
                articles, events, rejects = articles + done.articles, events + done.events, rejects + len(done.rejects)
                for reject in done.rejects:
                    report_reject(reject)
                next_index += 1
        return ClusterReport(len(partitions), articles, events, rejects + len(rejected), output)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _plan_partitions(inputs: list[str], blocksize: int, client) -> tuple[list[Partition], list[Reject]]:
    """Partitions of every input file; Rejects for inputs that are missing or of another type."""
    import fsspec
    import pyarrow.parquet as pq

    parts: list[Partition] = []
    rejects: list[Reject] = []
    for name in inputs:
        fs, _ = fsspec.core.url_to_fs(name)
        for source, url in _expand(name):
            lower = url.lower()
            if not lower.endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):
                rejects.append(Reject(source, "unsupported_type",
                                      "unsupported file type for --cluster (expected .jsonl, .jsonl.gz, .parquet)"))
            elif not fs.exists(url):
                rejects.append(Reject(source, "not_found", "no such file"))
            elif lower.endswith(PARQUET_SUFFIXES):
                with fsspec.open(url, "rb") as handle:
                    meta = pq.ParquetFile(handle).metadata
                first = 1
                for group in range(meta.num_row_groups):
                    parts.append(Partition(len(parts), source, url, "parquet", row_groups=(group,), first_line=first))
                    first += meta.row_group(group).num_rows
            elif lower.endswith(".gz"):
                parts.append(Partition(len(parts), source, url, "jsonl.gz"))
            else:
                for offset in range(0, max(fs.size(url), 1), blocksize):
                    parts.append(Partition(len(parts), source, url, "jsonl", offset=offset, length=blocksize))
    # Blocks cut from the middle of a file need their first line number, so that records name the
    # same lines as in a single-process run: count every block's lines first (a cheap pass).
    blocks = [part for part in parts if part.kind == "jsonl"]
    counts = client.gather([client.submit(_count_lines, block, pure=False) for block in blocks])
    next_line: dict[str, int] = {}
    for block, count in zip(blocks, counts):
        first = next_line.get(block.url, 1)
        parts[block.index] = dataclasses.replace(block, first_line=first)
        next_line[block.url] = first + count
    return parts, rejects


def _expand(name: str) -> list[tuple[str, str]]:
    """(name for provenance, URL to open) of each file an input names: itself, a folder's, a glob's.

    Local files are named as ``read_inputs`` names them, so origins match a single-process run.
    """
    import fsspec
    from fsspec.implementations.local import LocalFileSystem

    fs, path = fsspec.core.url_to_fs(name)
    local = isinstance(fs, LocalFileSystem)
    if fs.isdir(path):
        found = sorted(p for p in fs.find(path) if p.lower().endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES))
        if local:
            return [(str(Path(name) / Path(p).relative_to(path)), p) for p in found]
    elif any(char in path for char in "*?["):
        found = sorted(fs.glob(path))
    else:
        return [(str(Path(name)) if local else name, path if local else name)]
    return [(p, p) if local else (fs.unstrip_protocol(p),) * 2 for p in found]


def _read_block(part: Partition) -> bytes:
    import fsspec
    from fsspec.utils import read_block

    with fsspec.open(part.url, "rb") as handle:
        return read_block(handle, part.offset, part.length, delimiter=b"\n")


def _count_lines(part: Partition) -> int:
    return _read_block(part).count(b"\n")


def _partition_items(part: Partition, default_date: str | None) -> Iterator[Article | Reject]:
    import fsspec

    if part.kind == "parquet":
        with fsspec.open(part.url, "rb") as handle:
            yield from read_parquet_rows(handle, part.source, default_date, list(part.row_groups), part.first_line)
    elif part.kind == "jsonl.gz":
        try:
            with fsspec.open(part.url, "rt", compression="gzip", encoding="utf-8", errors="surrogateescape") as text:
                yield from read_jsonl_lines(text, part.source, default_date)
        except (OSError, EOFError, zlib.error) as exc:
            yield Reject(part.source, "unreadable", f"cannot read file: {exc}")
    else:
        text = io.TextIOWrapper(io.BytesIO(_read_block(part)), encoding="utf-8", errors="surrogateescape")
        yield from read_jsonl_lines(text, part.source, default_date, part.first_line)


def code_partition(part: Partition, settings: Settings, output: str,
                   default_date: str | None) -> PartitionResult:
    """Code one partition on a worker and write its events to ``output/part-NNNNN.parquet``.

    The coder is loaded once per worker process and kept (``pipeline.coder_for``).
    """
    from .output import ParquetEventWriter
    from .pipeline import coder_for

    coder = coder_for(settings)
    writer = ParquetEventWriter(f"{output.rstrip('/')}/part-{part.index:05d}.parquet")
    articles, rejects = 0, []
    try:
        for item, events in coder.code_articles(_partition_items(part, default_date)):
            if isinstance(item, Reject):
                rejects.append(item)
                continue
            articles += 1
            writer.write(events)
    finally:
        writer.close()
    return PartitionResult(part.index, articles, writer.count, tuple(rejects))
