"""The command line end to end: outputs, rejects file, exit codes, standard input."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(*args, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run([sys.executable, "-m", "kautilya", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_cli_codes_the_example_to_jsonl_with_the_record_contract(tmp_path):
    out = tmp_path / "events.jsonl"
    result = run("code", str(REPO / "examples" / "kashmir-diplomacy.txt"), "--date", "2025-04-28", "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 8
    required = {"event_id", "doc_id", "sentence_index", "sentence", "char_start", "char_end", "date", "source",
                "target", "cameo", "cameo_root", "quad_class", "goldstein", "plover", "location", "negated",
                "hypothetical", "confidence"}
    text = (REPO / "examples" / "kashmir-diplomacy.txt").read_text(encoding="utf-8")
    for record in records:
        assert required <= set(record)
        assert text[record["char_start"]:record["char_end"]] == record["sentence"]
        assert record["date"] == "2025-04-28" and record["doc_id"] == "kashmir-diplomacy"
        assert record["cameo"].startswith(record["cameo_root"]) and 1 <= record["quad_class"] <= 4
        for side in ("source", "target"):
            actor = record[side]
            if actor and actor["char_start"] is not None:
                assert text[actor["char_start"]:actor["char_end"]] == actor["text"]
    assert not (tmp_path / "events.rejects.jsonl").exists()
    pairs = {(r["source"]["country"] if r["source"] else None, r["cameo"],
              r["target"]["country"] if r["target"] else None) for r in records}
    assert ("CHN", "041", "PAK") in pairs and ("IND", "112", "PAK") in pairs


def test_cli_bad_input_is_rejected_with_exit_3_and_the_rest_coded(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("India accused Pakistan of backing the attackers.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Pakistan\xe2\x80 rejected the claim.")
    lines = tmp_path / "batch.jsonl"
    lines.write_text('{"id": "x1", "text": "Russia urged India and Pakistan to show restraint."}\n'
                     '{"id": "x2", "text": \n'
                     '{"id": "x3", "text": ""}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("code", str(good), str(bad), str(lines), "-o", str(out))
    assert result.returncode == 3
    doc_ids = {json.loads(line)["doc_id"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert doc_ids == {"good", "x1"}
    rejects = [json.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_text().splitlines()]
    assert [(Path(r["source"]).name, r["line"], r["reason_code"]) for r in rejects] == [
        ("bad.txt", None, "invalid_utf8"), ("batch.jsonl", 2, "malformed_json"), ("batch.jsonl", 3, "no_text")]
    assert f"{lines}:2" in result.stderr and "malformed JSON" in result.stderr


def test_cli_csv_output_and_stdin(tmp_path):
    out = tmp_path / "events.csv"
    result = run("code", "-", "-o", str(out),
                 stdin=json.dumps({"id": "s1", "text": "France praised India for its restraint."}) + "\n")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["doc_id"], r["source_country"], r["cameo"], r["target_country"]) for r in rows] == [
        ("s1", "FRA", "051", "IND")]


def test_cli_writes_jsonl_to_stdout_with_dash(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Japan condemned North Korea.", encoding="utf-8")
    result = run("code", str(path), "-o", "-", cwd=tmp_path)
    assert result.returncode == 0
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (record["source"]["country"], record["cameo"], record["target"]["country"]) == ("JPN", "111", "PRK")
    assert not (tmp_path / "kautilya.duckdb").exists()


def test_cli_writes_the_default_store_in_the_working_directory(tmp_path):
    import duckdb

    path = tmp_path / "a.txt"
    path.write_text("Japan condemned North Korea.", encoding="utf-8")
    result = run("code", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "1 articles read: 1 coded (1 new, 0 replaced)" in result.stderr
    with duckdb.connect(str(tmp_path / "kautilya.duckdb")) as con:
        assert con.execute("SELECT source_key, target_key, cameo FROM clusters").fetchall() == [("JPN", "PRK", "111")]


def test_cli_usage_errors_exit_2(tmp_path):
    assert run("code").returncode == 2
    assert run("code", "x.txt", "--date", "28/04/2025").returncode == 2
    assert run("code", "x.txt", "-o", str(tmp_path / "out.parquet")).returncode == 2
    assert run("frobnicate").returncode == 2


def test_cli_keep_uncertain_writes_flagged_events(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The United States stopped short of blaming Pakistan for the attack.", encoding="utf-8")
    assert run("code", str(path), "-o", "-").stdout.strip() == ""
    (record,) = [json.loads(line) for line in run("code", str(path), "--keep-uncertain", "-o", "-").stdout.splitlines()]
    assert record["negated"] is True and record["cameo_root"] == "11"


def test_cli_actors_lookup_shows_how_a_name_resolves_on_a_date():
    result = run("actors", "lookup", "Khawaja Asif", "--date", "2025-04-28")
    assert result.returncode == 0, result.stderr
    assert "PAK GOV (PAKGOV)" in result.stdout and "defence minister 2024-03-11 to now" in result.stdout
    early = run("actors", "lookup", "Pakistani Prime Minister", "--date", "2019-03-01", "--json")
    (record,) = json.loads(early.stdout)
    assert (record["name"], record["role"], record["term_start"]) == ("Imran Khan", "prime minister", "2018-08-18")
    assert run("actors", "lookup", "X", "--date", "March 2019").returncode == 2


def test_cli_eval_tells_gold_files_apart_by_content(tmp_path):
    plover = tmp_path / "plover.txt"
    plover.write_text(json.dumps([
        {"id": "DOC", "event": "DOCUMENT", "comment": "documentation records are skipped"},
        {"id": "G1", "event": "ASSAULT", "date": "2025-05-01", "eventText": "shelled",
         "text": "Indian troops shelled villages near Kotli.", "eventLoc": {"name": "Kotli"}},
        {"id": "G2", "event": "AGREE", "text": "Japan and India agreed to expand trade."},
    ]), encoding="utf-8")
    expectations = tmp_path / "actors.jsonl"
    expectations.write_text(
        '{"test": "a", "method": "agent_to_code", "args": ["Kyiv police"], "expect": {"country": "UKR", "code_1": "COP"}}\n'
        '{"test": "b", "method": "agent_to_code", "args": ["paramedics", "", "today"], "expect": {"code_1": "MED"}}\n'
        '{"test": "c", "method": "query_wiki", "args": ["Kyiv"], "expect": {"title": "Kyiv"}}\n', encoding="utf-8")
    result = run("eval", str(plover), str(expectations))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any("event location country 1/1 = 1.000" in line for line in lines)
    assert any("PLOVER type right" in line for line in lines)
    # NGEC's MED is medical, our HLH; the wiki lookup is not an actor expectation.
    assert any("actor country 1/1 = 1.000, sector 2/2 = 1.000" in line and "1 expectations of other kinds" in line
               for line in lines)
    assert run("eval", str(tmp_path / "missing.json")).returncode == 2


def test_cli_scale_options_usage_errors_exit_2(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Japan condemned North Korea.", encoding="utf-8")
    for bad in (["--workers", "0"], ["--cluster", "local:2", "-o", str(tmp_path / "out.jsonl")],
                ["--cluster", "local:2"], ["--cluster", "somewhere", "-o", str(tmp_path / "out")],
                ["--cluster", "local:2", "--workers", "2", "-o", str(tmp_path / "out")]):
        result = run("code", str(path), *bad)
        assert result.returncode == 2, bad
        assert "--cluster" in result.stderr or "--workers" in result.stderr


def test_cli_no_prefilter_and_workers_give_the_same_events(tmp_path):
    example = str(REPO / "examples" / "articles.jsonl")
    outputs = []
    for options in ([], ["--no-prefilter"], ["--workers", "2"]):
        out = tmp_path / f"run{len(outputs)}.jsonl"
        assert run("code", example, "-o", str(out), *options).returncode == 3  # the file holds a bad record
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]
