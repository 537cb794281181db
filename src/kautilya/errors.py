"""One exception per condition, each naming where the bad input came from."""

from __future__ import annotations


class KautilyaError(Exception):
    """Base class: carries the source (file or URL), record id and line where known."""

    def __init__(self, message: str, *, source: str | None = None, record: str | None = None,
                 line: int | None = None, reason_code: str = "error") -> None:
        self.message = message
        self.source = source
        self.record = record
        self.line = line
        self.reason_code = reason_code
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.source:
            where.append(self.source + (f":{self.line}" if self.line else ""))
        if self.record:
            where.append(f"record {self.record!r}")
        return (", ".join(where) + ": " if where else "") + self.message


class InputError(KautilyaError):
    """An input file or record cannot be read as an article."""


class DictionaryError(KautilyaError):
    """A data file (actors, patterns, CAMEO table) has a bad entry."""


class CodingError(KautilyaError):
    """The coder failed on one article."""


class StoreError(KautilyaError):
    """The event store cannot be read or written."""
