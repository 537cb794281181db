"""Exporters: the event store as GDELT 2.0 Events and Mentions, PLOVER JSONL, Parquet or CSV.

``EXPORTERS`` maps a format name to its function; each takes an open store and an output path
and returns what it wrote. Formats are described in ``docs/export.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from . import __version__
from .analytics import SHARED_COUNTRY_FIELDS
from .errors import StoreError
from .ingest import url_domain

if TYPE_CHECKING:
    from .store import EventStore

#: GDELT 2.0 Events table columns, in GDELT's order (GDELT Event Codebook 2.0; the header file
#: GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016).
GDELT_EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code", "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code", "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code", "ActionGeo_ADM2Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

#: GDELT 2.0 Mentions table columns, in GDELT's order.
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)

_MENTION_WEB, _MENTION_CITATION = 1, 2

#: Tables that ``--format csv|parquet`` can write.
FLAT_TABLES = ("clusters", "mentions", "events", "articles")


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)  # reason -> records not exported

    def summary(self) -> str:
        parts = [f"{count} {what}" for what, count in self.rows.items()]
        text = f"wrote {', '.join(parts)} to {', '.join(map(str, self.files))}"
        if self.left_out:
            text += " (left out: " + ", ".join(f"{n} {why}" for why, n in self.left_out.items()) + ")"
        return text


# ---------------------------------------------------------------------- GDELT


def mentions_path_for(events_path: Path) -> Path:
    """Where the Mentions table goes: ``x.export.CSV`` -> ``x.mentions.CSV``, ``x.tsv`` -> ``x.mentions.tsv``."""
    name = events_path.name
    if ".export." in name:
        return events_path.with_name(name.replace(".export.", ".mentions.", 1))
    return events_path.with_name(f"{events_path.stem}.mentions{events_path.suffix}")


def export_gdelt(store: "EventStore", out: Path, *, header: bool = False, **_: Any) -> ExportResult:
    """The GDELT 2.0 Events table (61 columns) to ``out`` and its Mentions table (16 columns) beside it.

    Tab-separated, no header row unless ``header`` (GDELT's own files have none). One event is
    one event cluster; what Kautilya does not know (tone, ethnic and religious codes, actor
    geography, FIPS country codes) is left blank.
    """
    clusters = store.rows("SELECT * FROM clusters ORDER BY event_date NULLS LAST, cluster_id")
    added = {c["cluster_id"]: _timestamp(c["first_reported"] or c["event_date"]) for c in clusters}
    mentions = store.rows("SELECT * FROM mentions ORDER BY cluster_id, mention_date NULLS LAST, article_id, "
                          "sentence_index, trigger_start, event_id")
    mentions_out = mentions_path_for(out)
    _write_tsv(out, GDELT_EVENT_COLUMNS if header else None, (gdelt_event_row(c) for c in clusters))
    _write_tsv(mentions_out, GDELT_MENTION_COLUMNS if header else None,
               (gdelt_mention_row(m, added[m["cluster_id"]]) for m in mentions))
    return ExportResult([out, mentions_out], {"events": len(clusters), "mentions": len(mentions)})


def gdelt_event_row(c: dict[str, Any]) -> list[str]:
    """One cluster as the 61 values of a GDELT 2.0 Events row, in ``GDELT_EVENT_COLUMNS`` order."""
    date: dt.date | None = c["event_date"]
    row = {
        "GLOBALEVENTID": c["cluster_id"],
        "SQLDATE": date.strftime("%Y%m%d") if date else "",
        "MonthYear": date.strftime("%Y%m") if date else "",
        "Year": date.year if date else "",
        # GDELT's own approximation: (month * 30 + day) / 365 as the fraction of the year.
        "FractionDate": f"{date.year + (date.month * 30 + date.day) / 365:.4f}" if date else "",
        **_gdelt_actor("Actor1", c, "source"), **_gdelt_actor("Actor2", c, "target"),
        "IsRootEvent": int(c["is_root_event"]),
        "EventCode": c["cameo"], "EventBaseCode": c["cameo_base"], "EventRootCode": c["cameo_root"],
        "QuadClass": c["quad_class"], "GoldsteinScale": f"{c['goldstein']:.1f}",
        "NumMentions": c["num_mentions"], "NumSources": c["num_sources"], "NumArticles": c["num_articles"],
        "AvgTone": "",
        **_gdelt_action_geo(c),
        "DATEADDED": _timestamp(c["first_reported"] or date),
        "SOURCEURL": c["source_url"] or "",
    }
    return [_cell(row.get(column, "")) for column in GDELT_EVENT_COLUMNS]


def _gdelt_actor(prefix: str, c: dict[str, Any], side: str) -> dict[str, Any]:
    code, country, sector = c[f"{side}_code"], c[f"{side}_country"], c[f"{side}_sector"]
    if not (code or country):
        return {}
    return {
        f"{prefix}Code": code or country,
        f"{prefix}Name": (c[f"{side}_name"] or "").upper(),
        f"{prefix}CountryCode": country if country and country not in SHARED_COUNTRY_FIELDS else "",
        f"{prefix}KnownGroupCode": known_group_code(code, country, sector),
        f"{prefix}Type1Code": sector or "",
    }


def known_group_code(code: str | None, country: str | None, sector: str | None) -> str:
    """The CAMEO known-group code inside an actor code: IGONAT -> NAT, UNOSEC -> UNO, PAKREBTTP -> TTP."""
    if not code:
        return ""
    if country == "UNO":
        return "UNO"
    if country in ("IGO", "NGO") and code.startswith(country) and len(code) >= 6:
        return code[3:6]
    if country and sector and code.startswith(country + sector) and len(code) == len(country + sector) + 3:
        return code[-3:]
    return ""


def _gdelt_action_geo(c: dict[str, Any]) -> dict[str, Any]:
    if not c["location_name"]:
        return {}
    in_us = c["location_country"] == "USA"
    # GDELT's resolution codes: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
    geo_type = {"country": 1, "region": 2 if in_us else 5, "city": 3 if in_us else 4}
    return {
        "ActionGeo_Type": geo_type.get(c["location_precision"] or "", ""),
        "ActionGeo_FullName": c["location_name"],
        "ActionGeo_Lat": "" if c["location_lat"] is None else f"{c['location_lat']:.4f}",
        "ActionGeo_Long": "" if c["location_lon"] is None else f"{c['location_lon']:.4f}",
        "ActionGeo_FeatureID": c["location_geonameid"] or "",
    }


def gdelt_mention_row(m: dict[str, Any], event_added: str) -> list[str]:
    """One mention as the 16 values of a GDELT 2.0 Mentions row."""
    url = m["url"]
    row = {
        "GLOBALEVENTID": m["cluster_id"],
        "EventTimeDate": event_added,
        "MentionTimeDate": _timestamp(m["mention_date"]),
        "MentionType": _MENTION_WEB if url else _MENTION_CITATION,
        "MentionSourceName": m["publisher"] or url_domain(url) or "",
        "MentionIdentifier": url or m["article_id"],
        "SentenceID": m["sentence_index"] + 1,  # GDELT counts sentences from 1
        "Actor1CharOffset": _blank_if_none(m["source_char_start"]),
        "Actor2CharOffset": _blank_if_none(m["target_char_start"]),
        "ActionCharOffset": m["trigger_start"],
        "InRawText": 1,  # every mention is coded from the article's own words
        "Confidence": round(m["confidence"] * 100),
        "MentionDocLen": m["n_chars"],
    }
    return [_cell(row.get(column, "")) for column in GDELT_MENTION_COLUMNS]


def _timestamp(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d000000") if day else ""


def _blank_if_none(value: Any) -> Any:
    return "" if value is None else value


def _cell(value: Any) -> str:
    # GDELT files are tab-separated with no quoting: tabs and line breaks inside a value would
    # break a row, so they become spaces.
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _write_tsv(path: Path, header: tuple[str, ...] | None, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        if header:
            handle.write("\t".join(header) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")


# ---------------------------------------------------------------------- PLOVER


def export_plover(store: "EventStore", out: Path, **_: Any) -> ExportResult:
    """One PLOVER JSON record a line per event cluster (the fields of the PLOVER manual's Data
    Fields chapter). Clusters without a date or without a PLOVER type (CAMEO 01 statements) are
    left out, since PLOVER requires both."""
    clusters = store.rows("SELECT * FROM clusters ORDER BY event_date NULLS LAST, cluster_id")
    texts = _first_mentions(store)
    result = ExportResult([out], {"records": 0})
    with open(out, "w", encoding="utf-8") as handle:
        for c in clusters:
            if c["event_date"] is None:
                result.left_out["undated"] = result.left_out.get("undated", 0) + 1
                continue
            if not c["plover_type"]:
                result.left_out["without a PLOVER type"] = result.left_out.get("without a PLOVER type", 0) + 1
                continue
            handle.write(json.dumps(plover_record(c, texts[c["cluster_id"]]), ensure_ascii=False) + "\n")
            result.rows["records"] += 1
    return result


def _first_mentions(store: "EventStore") -> dict[int, list[dict[str, Any]]]:
    rows = store.rows("""
        SELECT m.cluster_id, m.sentence_index, m.char_start, m.char_end, s.text AS sentence,
               e.source_text, e.target_text, e.trigger, a.title, a.url, a.article_id, m.publisher
        FROM mentions m
        JOIN events e USING (event_id)
        JOIN sentences s ON s.article_id = m.article_id AND s.sentence_index = m.sentence_index
        JOIN articles a ON a.article_id = m.article_id
        ORDER BY m.cluster_id, m.mention_date NULLS LAST, m.article_id, m.sentence_index, m.trigger_start""")
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["cluster_id"]].append(row)
    return grouped


def plover_record(c: dict[str, Any], mentions: list[dict[str, Any]]) -> dict[str, Any]:
    """One event cluster as a PLOVER record; ``mentions`` are its mentions, first report first."""
    first = mentions[0]
    record: dict[str, Any] = {
        "id": f"kautilya-{c['cluster_id']}",
        "has_event": True,
        "date": c["event_date"].isoformat(),
        "actor": [_plover_entity(c, "source", first["source_text"])] if c["source_code"] or c["source_country"]
        else [],
        "event": c["plover_type"].split("|"),
        "event_text": sorted({m["trigger"] for m in mentions}),
        "quad_code": c["quad_class"],
        "event_scale": c["goldstein"],  # the Goldstein value of the CAMEO code
        "text_info": {"sequence": first["sentence_index"], "start": first["char_start"], "end": first["char_end"]},
        "cite_info": {key: value for key, value in {
            "citation": first["article_id"], "url": first["url"], "title": first["title"],
            "publication": first["publisher"], "language": "en", "coder": f"kautilya {__version__}",
            "codebook": "CAMEO 1.1b3 with the PLOVER 2021 conversion"}.items() if value},
        "coder": f"kautilya {__version__}",
        "comment": (f"CAMEO {c['cameo']} ({c['cameo_name']}); {c['num_mentions']} mentions in "
                    f"{c['num_articles']} articles from {c['num_sources']} sources"),
    }
    if c["end_date"] and c["end_date"] != c["event_date"]:
        record["enddate"] = c["end_date"].isoformat()
    if c["target_code"] or c["target_country"]:
        record["recipient"] = [_plover_entity(c, "target", first["target_text"])]
    if c["plover_mode"]:
        record["mode"] = [c["plover_mode"]]
    if c["plover_contexts"]:
        record["context"] = list(c["plover_contexts"])
    if c["location_name"]:
        record["event_loc"] = {key: value for key, value in {
            "extracted_place": c["location_name"], "country_code": c["location_country"],
            "geonameid": c["location_geonameid"], "lat": c["location_lat"], "lon": c["location_lon"],
            "resolution": {"country": 1, "region": 2, "city": 4}.get(c["location_precision"] or "")}.items()
            if value is not None}
    return record


def _plover_entity(c: dict[str, Any], side: str, text: str | None) -> dict[str, Any]:
    entity = {"code": c[f"{side}_country"] or c[f"{side}_code"], "sector": c[f"{side}_sector"],
              "entity_text": text, "identifier_text": c[f"{side}_name"]}
    return {key: value for key, value in entity.items() if value}


# ---------------------------------------------------------------------- flat tables


_FLAT_QUERIES = {
    "clusters": "SELECT * FROM clusters ORDER BY event_date NULLS LAST, cluster_id",
    "mentions": "SELECT * FROM mentions ORDER BY cluster_id, mention_date NULLS LAST, article_id, sentence_index",
    "events": """SELECT e.* EXCLUDE (source_actor_id, target_actor_id),
                        sa.code AS source_code, sa.name AS source_name, sa.country AS source_country,
                        sa.sector AS source_sector, ta.code AS target_code, ta.name AS target_name,
                        ta.country AS target_country, ta.sector AS target_sector, s.text AS sentence
                 FROM events e JOIN sentences s USING (article_id, sentence_index)
                 LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id
                 LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id
                 ORDER BY e.article_id, e.sentence_index, e.trigger_start, e.event_id""",
    "articles": "SELECT * EXCLUDE (text) FROM articles ORDER BY article_id",
}


def _export_flat(fmt: str) -> Callable[..., ExportResult]:
    def export(store: "EventStore", out: Path, *, table: str = "clusters", **_: Any) -> ExportResult:
        if table not in _FLAT_QUERIES:
            raise StoreError(f"unknown table {table!r} (expected one of {', '.join(FLAT_TABLES)})")
        count = store.rows(f"SELECT count(*) AS n FROM ({_FLAT_QUERIES[table]})")[0]["n"]
        options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
        import duckdb

        target = str(out).replace("'", "''")
        try:
            store.con.execute(f"COPY ({_FLAT_QUERIES[table]}) TO '{target}' ({options})")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {out}: {exc}") from exc
        return ExportResult([out], {table: count})

    export.__doc__ = f"One table of the store ({', '.join(FLAT_TABLES)}) as {fmt}, via DuckDB's COPY."
    return export


#: Exporters by format name.
EXPORTERS: dict[str, Callable[..., ExportResult]] = {
    "gdelt": export_gdelt,
    "plover": export_plover,
    "parquet": _export_flat("parquet"),
    "csv": _export_flat("csv"),
}


def export_store(store: "EventStore", fmt: str, out: str | Path, **options: Any) -> ExportResult:
    """Write the store in ``fmt`` (a key of ``EXPORTERS``) to ``out``.

    Raises:
        StoreError: unknown format or table, or the file cannot be written.
    """
    try:
        exporter = EXPORTERS[fmt]
    except KeyError:
        raise StoreError(f"unknown export format {fmt!r} (expected one of {', '.join(EXPORTERS)})") from None
    return exporter(store, Path(out), **options)
