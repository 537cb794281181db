"""Writers: events to JSONL or CSV, rejects to their own JSONL file, and a readable table."""

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


def rejects_path_for(output: str) -> Path:
    """The rejects file sits next to the output: ``events.jsonl`` -> ``events.rejects.jsonl``."""
    if output == "-":
        return Path("rejects.jsonl")
    path = Path(output)
    stem = path.name.split(".")[0]
    return path.with_name(f"{stem}.rejects.jsonl")


class RejectWriter:
    """Appends rejects to their file (created on the first one) and reports each on stderr."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None
        if path.exists():
            path.unlink()  # a stale file from an earlier run would mislead

    def write(self, reject: Reject) -> None:
        if self._handle is None:
            self._handle = open(self.path, "w", encoding="utf-8")
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
