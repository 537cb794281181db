"""Readers: turn input paths into Articles, and bad records into Rejects instead of crashes.

Supported inputs: ``.txt`` (one article, id = file stem), ``.jsonl`` and ``.jsonl.gz`` (one
article a line), ``.parquet`` (one article a row, columns named like the JSONL keys),
``.html``/``.htm`` (main text extracted by trafilatura), directories (every supported file
inside, sorted) and ``-`` (JSONL on standard input).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator
from urllib.parse import urlsplit

from .schema import Article

#: Articles longer than this are rejected, not truncated: a 10 MB "article" is a dump, not news.
MAX_ARTICLE_CHARS = 500_000
#: Dates more than this many days after today are rejected as unreadable.
FUTURE_TOLERANCE_DAYS = 2
# Function words: English news is full of the first set and nearly free of the second (the
# commonest function words of French, Spanish, German, Italian, Portuguese and Dutch, without
# the ones English shares or that start place names: "a", "in", "el", "la", "al"). Cheap, and
# it needs no model.
ENGLISH_WORDS = frozenset("""the of and to that for with was by it from his he said be are has have an
its were which not but this or had their they been who will would after than also more two over
into about against we her she there one all when new our could is at on a in""".split())
FOREIGN_WORDS = frozenset("""le les des du et est une un dans pour que qui sur avec par au aux ce cette
ne pas y los las del por con para una es se su der die das und ist nicht mit den dem ein eine zu
von auf für sich auch di che è della dei gli em uma não com e o ao na da het een van niet voor zijn""".split())
MIN_WORDS_FOR_LANGUAGE = 12
MAX_NON_LATIN_SHARE = 0.3
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
HTML_SUFFIXES = (".html", ".htm")
PARQUET_SUFFIXES = (".parquet",)
ARTICLE_FIELDS = ("id", "text", "title", "date", "url", "source")


@dataclass(frozen=True)
class Reject:
    """A record that could not be coded, and why. Written to the rejects file."""

    source: str
    reason_code: str
    reason: str
    line: int | None = None
    record_id: str | None = None
    stage: str = "ingest"

    def to_record(self) -> dict:
        return {
            "source": self.source,
            "line": self.line,
            "record_id": self.record_id,
            "stage": self.stage,
            "reason_code": self.reason_code,
            "reason": self.reason,
        }

    def describe(self) -> str:
        where = self.source + (f":{self.line}" if self.line else "")
        rec = f" (record {self.record_id!r})" if self.record_id else ""
        return f"{where}{rec}: {self.reason}"


def read_inputs(inputs: Iterable[str], default_date: str | None = None) -> Iterator[Article | Reject]:
    """Yield an Article for every readable record of ``inputs`` and a Reject for every bad one."""
    for name in inputs:
        if name == "-":
            yield from read_jsonl_lines(sys.stdin, "<stdin>", default_date)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file() and _kind(p)):
                yield from _read_path(child, default_date)
        else:
            yield from _read_path(path, default_date)


def count_records(inputs: Iterable[str]) -> int | None:
    """How many records ``read_inputs`` will yield (lines of JSONL, one per other file), for a
    progress bar's ETA; None when an input is standard input."""
    total = 0
    for name in inputs:
        if name == "-":
            return None
        path = Path(name)
        files = sorted(p for p in path.rglob("*") if p.is_file() and _kind(p)) if path.is_dir() else [path]
        for file in files:
            if _kind(file) != "jsonl":
                total += 1
                continue
            try:
                opener = gzip.open if file.name.lower().endswith(".gz") else open
                with opener(file, "rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except (OSError, EOFError, zlib.error):
                total += 1  # read_inputs reports it as one reject
    return total


def _kind(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(TEXT_SUFFIXES):
        return "txt"
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    return None


def _read_path(path: Path, default_date: str | None) -> Iterator[Article | Reject]:
    source = str(path)
    kind = _kind(path)
    if kind is None:
        yield Reject(source, "unsupported_type",
                     "unsupported file type (expected .txt, .jsonl, .jsonl.gz, .parquet, .html)")
        return
    if not path.exists():
        yield Reject(source, "not_found", "no such file")
        return
    if kind == "jsonl":
        try:
            if path.name.lower().endswith(".gz"):
                with gzip.open(path, "rb") as raw:
                    yield from read_jsonl_lines(io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape"),
                                                  source, default_date)
            else:
                with path.open("r", encoding="utf-8", errors="surrogateescape") as handle:
                    yield from read_jsonl_lines(handle, source, default_date)
        except (OSError, EOFError, zlib.error) as exc:
            yield Reject(source, "unreadable", f"cannot read file: {exc}")
        return
    if kind == "parquet":
        yield from read_parquet_rows(path, source, default_date)
        return
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Reject(source, "unreadable", f"cannot read file: {exc.strerror or exc}")
        return
    text, error = _decode(data)
    if error:
        yield Reject(source, "invalid_utf8", error, record_id=path.stem)
        return
    if kind == "html":
        article = _article_from_html(text, path.stem, source, default_date)
    else:
        article = _make_article({"id": path.stem, "text": text, "date": default_date}, source, None, None)
    yield article


def _decode(data: bytes) -> tuple[str, str | None]:
    if b"\x00" in data[:8192]:
        return "", "binary file (NUL bytes), not text"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return "", f"not valid UTF-8 (byte {exc.start}: {exc.reason})"


def _article_from_html(html: str, doc_id: str, source: str, default_date: str | None) -> Article | Reject:
    import trafilatura  # imported here: only HTML inputs pay for it

    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        return Reject(source, "no_text", "no main text found in the HTML", record_id=doc_id)
    meta = trafilatura.extract_metadata(html)
    date = (meta.date if meta and meta.date else None) or default_date  # the page's own date wins
    title = meta.title if meta else None
    return _make_article({"id": doc_id, "text": text, "title": title, "date": date}, source, None, None)


def read_jsonl_lines(handle: IO[str], source: str, default_date: str | None,
                     first_line: int = 1) -> Iterator[Article | Reject]:
    """Articles (and Rejects) of JSONL text; ``first_line`` numbers the handle's first line, for a
    block read from the middle of a file."""
    line_no = first_line - 1
    while True:
        try:
            line = handle.readline()
        except (OSError, EOFError, zlib.error) as exc:
            yield Reject(source, "unreadable", f"cannot read past line {line_no}: {exc}", line=line_no + 1)
            return
        if not line:
            return
        line_no += 1
        if not line.strip():
            continue
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            yield Reject(source, "invalid_utf8", "line is not valid UTF-8", line=line_no)
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(source, "malformed_json", f"malformed JSON ({exc.msg} at column {exc.colno})", line=line_no)
            continue
        if not isinstance(record, dict):
            yield Reject(source, "malformed_record", "a line must hold a JSON object", line=line_no)
            continue
        if "date" not in record or record.get("date") in (None, ""):
            record["date"] = default_date
        yield _make_article(record, source, line_no, f"{Path(source).name.split('.')[0]}-{line_no}")


def read_parquet_rows(file, source: str, default_date: str | None, row_groups: list[int] | None = None,
                      first_row: int = 1) -> Iterator[Article | Reject]:
    """Articles (and Rejects) of a Parquet file (a path or an open binary file), one a row.

    Columns are named like the JSONL keys; ``row_groups`` reads only those, whose first row is
    ``first_row`` (1-based: a Reject's ``line`` is the row number).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq  # imported here: only Parquet inputs pay for it

    try:
        parquet = pq.ParquetFile(file)
    except (OSError, pa.ArrowException) as exc:
        yield Reject(source, "unreadable", f"cannot read Parquet file: {exc}")
        return
    columns = [name for name in ARTICLE_FIELDS if name in parquet.schema_arrow.names]
    if "text" not in columns:
        yield Reject(source, "no_text", "the Parquet file has no 'text' column")
        return
    row = first_row - 1
    stem = Path(source).name.split(".")[0]
    batches = parquet.iter_batches(batch_size=256, row_groups=row_groups, columns=columns)
    while True:
        try:
            batch = next(batches, None)
        except (OSError, pa.ArrowException) as exc:
            yield Reject(source, "unreadable", f"cannot read past row {row}: {exc}", line=row + 1)
            return
        if batch is None:
            return
        for record in batch.to_pylist():
            row += 1
            date = record.get("date")
            if isinstance(date, (dt.date, dt.datetime)):
                record["date"] = date.isoformat()
            elif date in (None, ""):
                record["date"] = default_date
            yield _make_article(record, source, row, f"{stem}-{row}")


def _make_article(record: dict, source: str, line: int | None, fallback_id: str | None) -> Article | Reject:
    raw_id = record.get("id", fallback_id)
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or str(raw_id).strip() == "":
        return Reject(source, "bad_field", "field 'id' must be a non-empty string or integer", line=line)
    doc_id = str(raw_id)
    text = record.get("text")
    if text is None:
        return Reject(source, "no_text", "record has no 'text'", line=line, record_id=doc_id)
    if not isinstance(text, str):
        return Reject(source, "bad_field", "field 'text' must be a string", line=line, record_id=doc_id)
    if not text.strip():
        return Reject(source, "no_text", "article text is empty", line=line, record_id=doc_id)
    if len(text) > MAX_ARTICLE_CHARS:
        return Reject(source, "too_large", f"article has {len(text):,} characters (limit {MAX_ARTICLE_CHARS:,})",
                      line=line, record_id=doc_id)
    if not looks_english(text):
        return Reject(source, "not_english", "text is not English (too few English function words)",
                      line=line, record_id=doc_id)
    fields = {}
    for key in ("title", "url", "source"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            return Reject(source, "bad_field", f"field {key!r} must be a string", line=line, record_id=doc_id)
        fields[key] = value
    cited = _cited_sources(record.get("cited_sources"))
    if cited is None:
        return Reject(source, "bad_field", "field 'cited_sources' must be a list of names or {name, url} objects",
                      line=line, record_id=doc_id)
    date = record.get("date")
    if date is not None:
        parsed = parse_iso_date(date)
        if parsed is None:
            return Reject(source, "bad_date", f"unreadable date {date!r} (expected YYYY-MM-DD)",
                          line=line, record_id=doc_id)
        latest = dt.date.today() + dt.timedelta(days=FUTURE_TOLERANCE_DAYS)
        if parsed > latest.isoformat():
            return Reject(source, "bad_date", f"date {parsed} lies in the future", line=line, record_id=doc_id)
        date = parsed
    origin = source + (f":{line}" if line else "")
    return Article(id=doc_id, text=text, date=date, origin=origin, cited_sources=cited, **fields)


def _cited_sources(value: object) -> tuple[str, ...] | None:
    """Publisher names from ``cited_sources`` (names, or objects with a name or url); None if malformed."""
    if value is None:
        return ()
    if not isinstance(value, list):
        return None
    names = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("name") or url_domain(item.get("url"))
        if item is not None and not isinstance(item, str):
            return None
        if item and item.strip() and item.strip() not in names:
            names.append(item.strip())
    return tuple(names)


def url_domain(url: object) -> str | None:
    """The host of a URL without "www.": ``https://www.bbc.com/news/x`` -> ``bbc.com``."""
    if not isinstance(url, str):
        return None
    host = urlsplit(url.strip()).hostname
    return host.removeprefix("www.") if host else None


def looks_english(text: str) -> bool:
    """False for text in another script, or long enough to judge with too few English function words."""
    sample = text[:20_000]
    letters = [c for c in sample if c.isalpha()]
    if letters and sum(not ("a" <= c.lower() <= "z") and ord(c) > 0x24F for c in letters) / len(letters) \
            > MAX_NON_LATIN_SHARE:
        return False
    words = [w.lower().strip(".,;:!?\"'()") for w in sample.split()]
    if len(words) < MIN_WORDS_FOR_LANGUAGE:
        return True
    english = sum(w in ENGLISH_WORDS for w in words)
    foreign = sum(w in FOREIGN_WORDS for w in words)
    return not (foreign >= 3 and foreign > 1.5 * english)


def parse_iso_date(value: object) -> str | None:
    """Return ``YYYY-MM-DD`` for an ISO date or datetime string, else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def article_from_record(record: dict, source: str) -> Article | Reject:
    """One article from a JSON-like record (``id``, ``text``, optional ``title``, ``date``, ...),
    checked as a JSONL line is (size, language, date); a Reject says why not."""
    return _make_article(record, source, None, None)
