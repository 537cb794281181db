"""Readers: every supported input, and bad records that become rejects instead of crashes."""

from __future__ import annotations

import gzip
import json

from kautilya.ingest import Reject, read_inputs
from kautilya.schema import Article


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Reject)]


def test_ingest_txt_takes_id_from_file_name_and_date_from_option(tmp_path):
    path = tmp_path / "kabul-talks.txt"
    path.write_text("Pakistan held talks with Afghanistan.", encoding="utf-8")
    (article,), rejects = _split(read_inputs([str(path)], default_date="2025-04-28"))
    assert (article.id, article.date, rejects) == ("kabul-talks", "2025-04-28", [])


def test_ingest_jsonl_and_gzip_with_optional_fields(tmp_path):
    rows = [{"id": "a1", "text": "India urged calm.", "date": "2025-05-10T08:00:00Z", "title": "T", "url": "u",
             "source": "s"}, {"id": 7, "text": "Pakistan urged calm."}]
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    packed = tmp_path / "b.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        handle.write(plain.read_text(encoding="utf-8"))
    articles, rejects = _split(read_inputs([str(plain), str(packed)]))
    assert rejects == []
    assert [(a.id, a.date) for a in articles] == [("a1", "2025-05-10"), ("7", None)] * 2
    assert articles[0].title == "T" and articles[0].origin.endswith("a.jsonl:1")


def test_ingest_html_main_text_without_navigation(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>X</title></head><body><nav>Home | World | Sport</nav><article>"
                    "<p>Iran offered to mediate between India and Pakistan on Thursday, its foreign "
                    "ministry said in a statement released in Tehran.</p></article></body></html>",
                    encoding="utf-8")
    (article,), _ = _split(read_inputs([str(path)]))
    assert "Iran offered to mediate" in article.text and "Sport" not in article.text


def test_ingest_directory_reads_supported_files_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("B text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A text.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    articles, _ = _split(read_inputs([str(tmp_path)]))
    assert [a.id for a in articles] == ["a", "b"]


def test_ingest_bad_records_become_rejects_and_the_rest_is_read(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps({"id": "ok1", "text": "India urged calm."}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "empty", "text": "   "}),
        json.dumps({"id": "notext"}),
        json.dumps({"id": "wrongtype", "text": 42}),
        json.dumps({"id": "baddate", "text": "x", "date": "next Tuesday"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "ok2", "text": "Pakistan urged calm."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, rejects = _split(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert [(r.line, r.reason_code) for r in rejects] == [
        (2, "malformed_json"), (3, "no_text"), (4, "no_text"), (5, "bad_field"), (6, "bad_date"),
        (7, "malformed_record")]
    assert all(r.source == str(path) for r in rejects)


def test_ingest_invalid_utf8_binary_and_missing_files_are_rejected(tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Pakistan\u2019s army".encode("cp1252"))
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    bad_line = tmp_path / "bad.jsonl"
    bad_line.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n{"id": "y", "text": "fine"}\n')
    articles, rejects = _split(read_inputs([str(latin), str(binary), str(tmp_path / "missing.txt"),
                                            str(bad_line)]))
    assert [a.id for a in articles] == ["y"]
    assert [r.reason_code for r in rejects] == ["invalid_utf8", "invalid_utf8", "not_found", "invalid_utf8"]
    assert "byte 8" in rejects[0].reason and "NUL" in rejects[1].reason and rejects[3].line == 1


def test_ingest_truncated_gzip_is_rejected_after_the_good_lines(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    body = "".join(json.dumps({"id": f"a{i}", "text": "India urged Pakistan to show restraint after the attack. " * 20}) + "\n" for i in range(200))
    data = gzip.compress(body.encode("utf-8"))
    path.write_bytes(data[: len(data) // 2])
    articles, rejects = _split(read_inputs([str(path)]))
    assert len(articles) > 0 and len(rejects) == 1 and rejects[0].reason_code == "unreadable"


def test_ingest_cited_sources_are_read_and_bad_ones_rejected(tmp_path):
    from kautilya.ingest import count_records

    path = tmp_path / "digest.jsonl"
    rows = [{"id": "d1", "text": "x", "cited_sources": [{"name": "Reuters", "url": "https://reuters.com/a"},
                                                        {"url": "https://www.bbc.co.uk/news/1"}, "AP", "AP"]},
            {"id": "d2", "text": "x", "cited_sources": "Reuters"},
            {"id": "d3", "text": "x", "cited_sources": [{"name": 7}]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    articles, rejects = _split(read_inputs([str(path)]))
    assert [a.cited_sources for a in articles] == [("Reuters", "bbc.co.uk", "AP")]
    assert [(r.record_id, r.reason_code) for r in rejects] == [("d2", "bad_field"), ("d3", "bad_field")]
    assert count_records([str(path), str(tmp_path)]) == 3 + 3  # the directory holds the same file


def test_ingest_parquet_rows_with_typed_dates_and_rejects_by_row(tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "news.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": ["India urged calm.", " ", "Pakistan urged calm."],
                             "date": pa.array([dt.date(2025, 5, 10), None, dt.date(2025, 5, 11)])}), path)
    articles, rejects = _split(read_inputs([str(path)], default_date="2025-01-01"))
    assert [(a.id, a.date, a.origin) for a in articles] == [
        ("1", "2025-05-10", f"{path}:1"), ("3", "2025-05-11", f"{path}:3")]
    assert [(r.line, r.reason_code) for r in rejects] == [(2, "no_text")]
    untitled = tmp_path / "no-text.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), untitled)
    assert [r.reason_code for r in read_inputs([str(untitled)])] == ["no_text"]
