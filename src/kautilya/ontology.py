"""CAMEO event codes with their QuadClass, Goldstein value and PLOVER type, mode and contexts.

The table is ``data/cameo.tsv`` (see ``data/README.md`` for where each column comes from).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import DictionaryError
from .schema import Plover


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: Plover


@lru_cache(maxsize=1)
def load_cameo_table() -> dict[str, CameoCode]:
    path = resources.files("kautilya") / "data" / "cameo.tsv"
    table: dict[str, CameoCode] = {}
    with path.open(encoding="utf-8") as handle:
        for line_no, row in enumerate(csv.DictReader(handle, delimiter="\t"), start=2):
            try:
                contexts = tuple(c for c in row["plover_contexts"].split("|") if c)
                table[row["code"]] = CameoCode(
                    code=row["code"],
                    name=row["name"],
                    goldstein=float(row["goldstein"]),
                    quad_class=int(row["quad_class"]),
                    plover=Plover(row["plover_type"] or None, row["plover_mode"] or None, contexts),
                )
            except (KeyError, ValueError) as exc:
                raise DictionaryError(f"bad CAMEO row ({exc})", source=str(path), line=line_no) from exc
    return table


def lookup_cameo(code: str) -> CameoCode:
    """Return the codebook entry of a CAMEO event code such as ``"0256"``.

    Raises:
        DictionaryError: the code is not in the CAMEO codebook.
    """
    try:
        return load_cameo_table()[code]
    except KeyError:
        raise DictionaryError(f"unknown CAMEO code {code!r}", reason_code="unknown_cameo") from None


def describe_code(code: str) -> CameoCode:
    """The codebook entry of ``code``; for a code outside the codebook (a PETRARCH dictionary
    may have its own, such as "1010" or "174K"), an entry with the values of its nearest
    codebook ancestor ("101"), or neutral values when it has none."""
    table = load_cameo_table()
    if code in table:
        return table[code]
    for length in range(len(code) - 1, 1, -1):
        parent = table.get(code[:length])
        if parent:
            return CameoCode(code, f"{parent.name} (dictionary code {code})", parent.goldstein,
                             parent.quad_class, parent.plover)
    return CameoCode(code, f"dictionary code {code}, not in the CAMEO codebook", 0.0, 0, Plover(None))
