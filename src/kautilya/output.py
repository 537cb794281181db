"""Writers: events to JSONL, CSV or Parquet, rejects to their own JSONL file, and a readable table."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import IO, Iterable

from .ingest import Reject
from .schema import Event

CSV_COLUMNS = [
    "event_id", "doc_id", "sentence_index", "char_start", "char_end", "date",
    "source_text", "source_name", "source_country", "source_sector", "source_code",
    "target_text", "target_name", "target_country", "target_sector", "target_code",
    "cameo", "cameo_root", "cameo_name", "quad_class", "goldstein",
    "plover_type", "plover_mode", "plover_contexts", "trigger", "negated", "hypothetical",
    "confidence", "location", "pattern_id", "sentence",
    # Added with schema 2; new columns only ever go at the end.
    "date_precision", "article_date", "location_name", "location_country", "location_admin1",
    "location_lat", "location_lon", "location_precision",
]


class EventWriter:
    """Writes events to ``path`` (``-`` for standard output) as JSONL or CSV, by extension."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.format = "csv" if path.lower().endswith(".csv") else "jsonl"
        self._handle: IO[str] = sys.stdout if path == "-" else open(path, "w", encoding="utf-8", newline="")
        self._csv = None
        if self.format == "csv":
            self._csv = csv.DictWriter(self._handle, fieldnames=CSV_COLUMNS)
            self._csv.writeheader()
        self.count = 0

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            record = event.to_record()
            if self._csv is not None:
                self._csv.writerow(flatten_record(record))
            else:
                self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.count += 1

    def close(self) -> None:
        self._handle.flush()
        if self._handle is not sys.stdout:
            self._handle.close()


def flatten_record(record: dict) -> dict:
    """One flat row of an event record, for CSV and tables."""
    row = {key: record.get(key) for key in CSV_COLUMNS if key in record}
    for side in ("source", "target"):
        actor = record.get(side) or {}
        for key in ("text", "name", "country", "sector", "code"):
            row[f"{side}_{key}"] = actor.get(key)
    plover = record.get("plover") or {}
    row["plover_type"] = plover.get("type")
    row["plover_mode"] = plover.get("mode")
    row["plover_contexts"] = "|".join(plover.get("contexts") or [])
    row["trigger"] = (record.get("trigger") or {}).get("text")
    row["location"] = json.dumps(record["location"]) if record.get("location") else ""
    for key in ("name", "country", "admin1", "lat", "lon", "precision"):
        row[f"location_{key}"] = (record.get("location") or {}).get(key)
    return row


def parquet_schema():
    """The Parquet form of the event record: the same keys, nested parts as structs (docs/scale.md)."""
    import pyarrow as pa

    actor = pa.struct([("text", pa.string()), ("name", pa.string()), ("country", pa.string()),
                       ("sector", pa.string()), ("code", pa.string()), ("char_start", pa.int64()),
                       ("char_end", pa.int64()), ("via", pa.string())])
    return pa.schema([
        ("event_id", pa.string()), ("doc_id", pa.string()), ("sentence_index", pa.int64()),
        ("sentence", pa.string()), ("char_start", pa.int64()), ("char_end", pa.int64()), ("date", pa.string()),
        ("date_precision", pa.string()), ("article_date", pa.string()),
        ("source", actor), ("target", actor),
        ("cameo", pa.string()), ("cameo_root", pa.string()), ("cameo_name", pa.string()),
        ("quad_class", pa.int64()), ("goldstein", pa.float64()),
        ("plover", pa.struct([("type", pa.string()), ("mode", pa.string()), ("contexts", pa.list_(pa.string()))])),
        ("trigger", pa.struct([("text", pa.string()), ("char_start", pa.int64()), ("char_end", pa.int64())])),
        ("location", pa.struct([("name", pa.string()), ("country", pa.string()), ("admin1", pa.string()),
                                ("lat", pa.float64()), ("lon", pa.float64()), ("geonameid", pa.int64()),
                                ("precision", pa.string())])),
        ("agreements", pa.list_(pa.struct([("name", pa.string()), ("year", pa.int64()), ("text", pa.string()),
                                           ("char_start", pa.int64()), ("char_end", pa.int64()),
                                           ("known", pa.bool_())]))),
        ("negated", pa.bool_()), ("hypothetical", pa.bool_()), ("confidence", pa.float64()),
        ("pattern_id", pa.string()), ("coder_version", pa.string()), ("dictionary_version", pa.string()),
        ("origin", pa.string()), ("schema_version", pa.string()),
    ])


class ParquetEventWriter:
    """Writes events to one Parquet file (a path or an fsspec URL), a row group every ``rows`` events."""

    def __init__(self, path: str, rows: int = 10_000) -> None:
        import fsspec
        import pyarrow.parquet as pq

        self.path = path
        self.schema = parquet_schema()
        self._file = fsspec.open(path, "wb").open()
        self._writer = pq.ParquetWriter(self._file, self.schema)
        self._rows: list[dict] = []
        self._limit = rows
        self.count = 0

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            self._rows.append(event.to_record())
            self.count += 1
        if len(self._rows) >= self._limit:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self.schema))
        self._rows.clear()

    def close(self) -> None:
        if self._rows:
            self._flush()
        self._writer.close()
        self._file.close()


def rejects_path_for(output: str) -> str:
    """The rejects file sits next to the output: ``events.jsonl`` -> ``events.rejects.jsonl``,
    ``events/`` (a Parquet folder, maybe an fsspec URL) -> ``events.rejects.jsonl``."""
    if output == "-":
        return "rejects.jsonl"
    parent, _, name = output.rstrip("/").rpartition("/")
    stem = name.split(".")[0]
    return f"{parent}/{stem}.rejects.jsonl" if parent else f"{stem}.rejects.jsonl"


class RejectWriter:
    """Appends rejects to their file (created on the first one; a path or an fsspec URL) and reports
    each on stderr."""

    def __init__(self, path: str | Path) -> None:
        import fsspec

        self.path = str(path)
        self.count = 0
        self._handle: IO[str] | None = None
        self._fs, self._fs_path = fsspec.core.url_to_fs(self.path)
        if self._fs.exists(self._fs_path):
            self._fs.rm(self._fs_path)  # a stale file from an earlier run would mislead

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self._handle = self._fs.open(self._fs_path, "w", encoding="utf-8")
        self._handle.write(json.dumps(reject.to_record(), ensure_ascii=False) + "\n")
        self.count += 1
        print(f"kautilya: rejected {reject.describe()}", file=sys.stderr)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def print_table(events: list[Event], file: IO[str] | None = None) -> None:
    """A readable table of events: who did what to whom, with codes."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(events)} events", show_lines=False)
    for column in ("doc", "sent", "date", "source", "CAMEO", "event", "target", "where", "PLOVER", "Goldstein",
                   "conf"):
        table.add_column(column, overflow="fold")
    for e in events:
        table.add_row(
            e.doc_id, str(e.sentence_index), _date_label(e),
            _actor_label(e.source), e.cameo, e.cameo_name, _actor_label(e.target), _place_label(e),
            "/".join(x for x in (e.plover.type, e.plover.mode) if x) or "-",
            f"{e.goldstein:+.1f}", f"{e.confidence:.2f}",
        )
    Console(file=file or sys.stdout, width=140).print(table)


def _date_label(event: Event) -> str:
    if not event.date:
        return "-"
    return event.date if event.date_precision in (None, "day") else f"{event.date} ({event.date_precision})"


def _place_label(event: Event) -> str:
    place = event.location
    if place is None:
        return "-"
    return f"{place.name}, {place.country}" if place.precision != "country" else place.country or place.name


def _actor_label(actor) -> str:
    if actor is None:
        return "-"
    label = actor.code or "?"
    if actor.name and actor.via in ("person", "title"):
        label += f" ({actor.name})"
    return label


class Progress:
    """A progress bar on standard error (articles, articles per second, ETA), or nothing.

    Use as a context manager and call ``advance()`` once per record.
    """

    def __init__(self, total: int | None, enabled: bool, description: str = "coding") -> None:
        self.enabled = enabled
        self._bar = None
        self._task = None
        if enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("articles"), _rate_column(), TimeElapsedColumn(),
                                     TextColumn("ETA"), TimeRemainingColumn(),
                                     console=_stderr_console(), transient=False)
            self._task = self._bar.add_task(description, total=total)

    def __enter__(self) -> "Progress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)


def _stderr_console():
    from rich.console import Console

    return Console(file=sys.stderr)


def _rate_column():
    """Articles per second (rich's own speed column counts bytes); rich is imported only here."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f}/s" if speed else "-/s")

    return RateColumn()


def print_report(report, file: IO[str] | None = None, events_per_period: int = 3) -> None:
    """A report (``analytics.Report``) as a table: one row per period with events or third parties."""
    from rich.console import Console
    from rich.table import Table

    rows = report.active_periods
    empty = len(report.periods) - len(rows)
    caption = f"{empty} periods without events not shown" if empty else None
    if report.undated:
        caption = (caption + "; " if caption else "") + f"{report.undated} undated clusters left out"
    table = Table(title=f"{report.subject} by {report.by}: event clusters", caption=caption, show_lines=True)
    for column in ("period", "events", "reports", "Q1", "Q2", "Q3", "Q4", "Goldstein sum", "mean",
                   "escalation", "PLOVER types", "third parties", "most negative events"):
        table.add_column(column, overflow="fold", justify="right" if column in (
            "events", "reports", "Q1", "Q2", "Q3", "Q4", "Goldstein sum", "mean", "escalation") else "left")
    for p in rows:
        table.add_row(
            p.label, str(p.clusters), str(p.mentions), *(str(p.quad[q]) for q in (1, 2, 3, 4)),
            f"{p.goldstein_sum:+.1f}", "-" if p.goldstein_mean is None else f"{p.goldstein_mean:+.2f}",
            f"{p.escalation:+.2f}",
            ", ".join(f"{name} {count}" for name, count in sorted(p.plover.items(), key=lambda kv: (-kv[1], kv[0]))),
            "\n".join(f"{t.party} {t.action} {', '.join(t.targets)}" for t in p.third_parties),
            "\n".join(p.events[:events_per_period]),
        )
    Console(file=file or sys.stdout, width=200).print(table)


def print_top_dyads(dyads, file: IO[str] | None = None) -> None:
    """The most active pairs (``analytics.DyadActivity``) as a table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Most active pairs (event clusters, either direction)")
    for column in ("pair", "events", "reports", "Goldstein sum", "conflict share", "first", "last"):
        table.add_column(column, justify="left" if column in ("pair", "first", "last") else "right")
    for d in dyads:
        table.add_row(f"{d.a}-{d.b}", str(d.clusters), str(d.mentions), f"{d.goldstein_sum:+.1f}",
                      f"{d.conflict_share:.0%}", str(d.first_date or "-"), str(d.last_date or "-"))
    Console(file=file or sys.stdout, width=140).print(table)


def print_stances(stances, file: IO[str] | None = None) -> None:
    """Third-party stances (``analytics.dyad_stances``): one row per outside actor and period."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Third parties between the two sides (docs/attribution.md)")
    for column in ("period", "actor", "stance", "lean", "behind the verdict"):
        table.add_column(column, overflow="fold")
    for label, verdicts in stances:
        for v in verdicts:
            table.add_row(label, v.actor, v.verdict, f"{v.score:+.0f}", "; ".join(v.reasons[:6]))
    Console(file=file or sys.stdout, width=160).print(table)
