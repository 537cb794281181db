"""Exporters checked against the formats' own definitions: GDELT's header files and the PLOVER manual."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys

import duckdb
import pytest

from kautilya.export import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS, export_store, mentions_path_for
from kautilya.ingest import read_inputs
from kautilya.pipeline import code_into_store
from kautilya.schema import Article
from kautilya.store import EventStore

from conftest import REPO


def gdelt_header(shared, table: str) -> list[str]:
    folder = shared / "gold" / "gdelt"
    if table == "events":
        with open(folder / "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv", encoding="utf-8") as handle:
            return [row["tableId"] for row in csv.DictReader(handle)]
    with open(folder / "GDELT_2.0_eventMentions_Column_Labels_Header_Row_Sep2016.tsv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))[1:]
    return [row[1] for row in rows if len(row) > 2 and row[2]]  # the last line is a placeholder, not a column


@pytest.fixture()
def seed_twice_store(shared, coder, tmp_path):
    text = (shared / "seed" / "pahalgam-appeals.txt").read_text(encoding="utf-8")
    articles = [Article(doc, text, date="2025-04-28", url=f"https://news.example/{doc}", source=source)
                for doc, source in (("seed-a", "Example Wire"), ("seed-b", "Example Daily"))]
    with EventStore.open(tmp_path / "seed.duckdb") as store:
        code_into_store(articles, store, coder)
        yield store, text


def test_export_gdelt_columns_are_gdelts_own_in_count_and_order(shared):
    assert list(GDELT_EVENT_COLUMNS) == gdelt_header(shared, "events") and len(GDELT_EVENT_COLUMNS) == 61
    assert list(GDELT_MENTION_COLUMNS) == gdelt_header(shared, "mentions") and len(GDELT_MENTION_COLUMNS) == 16


def test_export_gdelt_events_and_mentions_load_under_gdelt_headers(shared, seed_twice_store, tmp_path):
    store, text = seed_twice_store
    out = tmp_path / "seed.export.CSV"
    result = export_store(store, "gdelt", out)
    assert result.files == [out, tmp_path / "seed.mentions.CSV"]
    event_names, mention_names = gdelt_header(shared, "events"), gdelt_header(shared, "mentions")
    raw_events = list(csv.reader(out.open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    raw_mentions = list(csv.reader(result.files[1].open(encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    assert {len(r) for r in raw_events} == {61} and {len(r) for r in raw_mentions} == {16}
    events = [dict(zip(event_names, r)) for r in raw_events]
    mentions = [dict(zip(mention_names, r)) for r in raw_mentions]
    assert len(events) == store.counts().clusters >= 9
    for e in events:
        assert e["NumArticles"] == "2" and e["NumSources"] == "2" and int(e["NumMentions"]) >= 2
        # The attack the seed only recalls ("the recent deadly attack in Pahalgam") has no date of
        # its own and no named attacker; every other event is dated on the article's day.
        recalled = e["EventRootCode"] in ("18", "19", "20") and e["Actor1CountryCode"] == ""
        dates = ("", "", "") if recalled else ("20250428", "202504", "2025")
        assert (e["SQLDATE"], e["MonthYear"], e["Year"]) == dates and e["DATEADDED"] == "20250428000000"
        assert e["EventCode"].startswith(e["EventBaseCode"]) and e["EventBaseCode"].startswith(e["EventRootCode"])
        assert 1 <= int(e["QuadClass"]) <= 4 and -10 <= float(e["GoldsteinScale"]) <= 10
        assert (recalled or e["Actor1CountryCode"] in ("RUS", "USA", "EUR", "IND"))  # IND: its side of the call and e["AvgTone"] == ""
        assert e["SOURCEURL"] == "https://news.example/seed-a"
    # RUS: the seed's phone call is a joint act, coded both ways (India to Russia too).
    assert {e["Actor2CountryCode"] for e in events} <= {"IND", "PAK", "RUS", ""}
    assert {e["IsRootEvent"] for e in events if e["EventCode"] == "0256" and e["Actor1Code"] == "RUS"} == {"1"}
    per_event = {e["GLOBALEVENTID"]: int(e["NumMentions"]) for e in events}
    assert {m["GLOBALEVENTID"] for m in mentions} == set(per_event)
    assert all(sum(m["GLOBALEVENTID"] == gid for m in mentions) == n for gid, n in per_event.items())
    for m in mentions:
        assert m["MentionType"] == "1" and m["MentionIdentifier"].startswith("https://news.example/")
        assert m["MentionSourceName"] in ("Example Wire", "Example Daily") and m["MentionDocLen"] == str(len(text))
        assert int(m["SentenceID"]) >= 1 and 0 <= int(m["Confidence"]) <= 100
        assert 0 <= int(m["ActionCharOffset"]) < len(text) and m["MentionTimeDate"] == "20250428000000"
    export_store(store, "gdelt", tmp_path / "with-header.tsv", header=True)
    assert (tmp_path / "with-header.tsv").read_text(encoding="utf-8").split("\n", 1)[0] == "\t".join(event_names)
    assert mentions_path_for(tmp_path / "with-header.tsv").read_text(encoding="utf-8").split("\n", 1)[0] == \
        "\t".join(mention_names)


def plover_manual(shared) -> dict[str, dict[str, bool]]:
    """The field tables of the PLOVER manual's Data Fields chapter: table label -> {field: required}."""
    tex = (shared / "gold" / "plover" / "PLOVER_MANUAL.tex").read_text(encoding="utf-8")
    chapter = tex[tex.index(r"\chapter{Data Fields}"):tex.index(r"\section{Adding to PLOVER")]
    tables = {}
    for body, label in re.findall(r"\\begin\{tabular\}(.*?)\\end\{tabular\}.*?\\label\{(tab:\w+)\}", chapter, re.S):
        fields = {}
        for line in body.split(r"\\"):
            cells = [c.strip() for c in line.replace(r"\hline", "").split("&")]
            name = cells[0].replace(r"\_", "_").strip()
            if len(cells) > 1 and re.fullmatch(r"[a-z_]+", name):
                fields[name] = cells[-1] == "Y"
        tables[label] = fields
    categories = re.findall(r"\\section\{([A-Z]+)\}", tex[tex.index(r"\chapter{Event Categories}"):
                                                         tex.index(r"\chapter{Contexts}")])
    tables["categories"] = {name: False for name in categories}
    return tables


def test_export_plover_records_validate_against_the_manuals_field_lists(shared, coder, tmp_path):
    manual = plover_manual(shared)
    assert {"id", "date", "actor", "event"} == {f for f, required in manual["tab:json"].items() if required}
    with EventStore.open(tmp_path / "x.duckdb") as store:
        code_into_store(read_inputs([str(REPO / "examples")], "2025-04-28"), store, coder)
        result = export_store(store, "plover", tmp_path / "events.jsonl")
        dated = store.rows("SELECT count(*) AS n FROM clusters WHERE plover_type IS NOT NULL")[0]["n"]
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == result.rows["records"] == dated >= 10
    assert len({r["id"] for r in records}) == len(records)
    nested = {"actor": "tab:actorinfo", "recipient": "tab:actorinfo", "text_info": "tab:textinfo",
              "cite_info": "tab:citeinfo", "event_loc": "tab:locations"}
    for record in records:
        assert set(record) <= set(manual["tab:json"]), set(record) - set(manual["tab:json"])
        assert {f for f, required in manual["tab:json"].items() if required} <= set(record)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["date"])
        assert record["event"] and set(record["event"]) <= set(manual["categories"])
        assert 1 <= record["quad_code"] <= 4 and isinstance(record["event_scale"], float)
        for key in ("event", "mode", "context", "event_text"):
            assert isinstance(record.get(key, []), list)
        for key, table in nested.items():
            for item in record.get(key) if isinstance(record.get(key), list) else [record.get(key) or {}]:
                assert set(item) <= set(manual[table]), (key, set(item) - set(manual[table]))
        for entity in record["actor"] + record.get("recipient", []):
            assert len(entity["code"]) == 3
    assert any(r["event"] == ["RETREAT"] and r.get("mode") == ["ceasefire"] for r in records)


def test_export_parquet_and_csv_write_the_chosen_table(coder, tmp_path):
    with EventStore.open(tmp_path / "x.duckdb") as store:
        code_into_store([Article("k1", "India accused Pakistan of backing militants. Japan praised France.",
                                 date="2025-05-01")], store, coder)
        for fmt, table in (("parquet", "clusters"), ("csv", "mentions"), ("parquet", "events")):
            out = tmp_path / f"{table}.{fmt}"
            result = export_store(store, fmt, out, table=table)
            reader = "read_parquet" if fmt == "parquet" else "read_csv_auto"
            with duckdb.connect() as con:
                rows = con.execute(f"SELECT * FROM {reader}('{out}')").fetchall()
                columns = [d[0] for d in con.description]
            assert len(rows) == result.rows[table] == 2
            assert {"clusters": "num_articles", "mentions": "char_start", "events": "source_country"}[table] in columns


def test_export_and_report_from_the_command_line(coder, tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, "-m", "kautilya", *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=300)

    db = tmp_path / "crisis.duckdb"
    code = run("code", str(REPO / "examples" / "articles.jsonl"), "-o", str(db), "--progress")
    assert code.returncode == 3 and code.stdout == ""  # one example is empty: rejected
    assert "articles" in code.stderr and "/s" in code.stderr and "2 coded (2 new, 0 replaced)" in code.stderr
    assert run("export", "--db", str(db), "--format", "gdelt", "-o", "out.tsv").returncode == 0
    assert (tmp_path / "out.tsv").exists() and (tmp_path / "out.mentions.tsv").exists()
    report = run("report", "--db", str(db), "--dyad", "IND-PAK", "--by", "day", "--png", "chart.png")
    assert report.returncode == 0, report.stderr
    assert "2025-05-07" in report.stdout and "2025-05-10" in report.stdout and "USA" in report.stdout
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    top = run("report", "--db", str(db), "--top-dyads", "3")
    assert top.returncode == 0 and "IND-PAK" in top.stdout
    assert run("report", "--db", str(tmp_path / "none.duckdb"), "--actor", "RUS").returncode == 2
    assert run("report", "--db", str(db), "--dyad", "IND").returncode == 2
    assert run("export", "--db", str(db), "--format", "xml", "-o", "x").returncode == 2
