"""Coding on several processes and on a local Dask cluster gives what one process gives."""

from __future__ import annotations

import gzip
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from kautilya import Settings
from kautilya.ingest import Reject, read_inputs
from kautilya.parallel import code_in_processes

REPO = Path(__file__).resolve().parent.parent


def _rows(path: Path, count: int) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, count)]


def _outcomes(pairs):
    return [(item.to_record() if isinstance(item, Reject) else item.id, [e.to_record() for e in events])
            for item, events in pairs]


def test_parallel_two_workers_match_one_process_in_input_order(coder, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "b1", "text": "France praised India for its restraint."}\n'
                     '{"id": "b2", "text": \n'
                     '{"id": "b3", "text": "Japan condemned North Korea."}\n', encoding="utf-8")
    inputs = [str(REPO / "examples" / "articles.jsonl"), str(batch), str(REPO / "examples" / "kashmir-diplomacy.txt")]
    settings = Settings(batch_size=2)  # several batches in flight at once
    expected = _outcomes(coder.code_articles(read_inputs(inputs, "2025-04-28")))
    got = _outcomes(code_in_processes(read_inputs(inputs, "2025-04-28"), settings, workers=2))
    assert got == expected
    assert [got[3][0], got[4][0]["reason_code"], got[5][0]] == ["b1", "malformed_json", "b3"]
    assert sum(len(events) for _, events in got) >= 10


def test_parallel_cluster_local_2_gives_the_events_of_a_single_process(shared, tmp_path):
    corpora = shared / "corpora"
    plain = tmp_path / "press.jsonl"
    press = _rows(corpora / "state_dept_press_2021_2022.jsonl.gz", 8)
    lines = [json.dumps(row) for row in press]
    lines.insert(4, '{"id": "cut", "text": ')  # a bad record in the middle of a block
    plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
    packed = tmp_path / "wcep.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as handle:
        for row in _rows(corpora / "wcep_2025_2026.jsonl.gz", 6):
            handle.write(json.dumps(row) + "\n")
    table = tmp_path / "wikinews.parquet"
    news = [{key: row.get(key) for key in ("id", "title", "date", "text")}
            for row in _rows(corpora / "wikinews_2019_2020.jsonl", 6)]
    news[4]["text"] = ""  # rejected, and named by its row
    pq.write_table(pa.Table.from_pylist(news), table, row_group_size=3)
    inputs = [str(plain), str(packed), str(table)]

    single = tmp_path / "single.jsonl"
    one = subprocess.run([sys.executable, "-m", "kautilya", "code", *inputs, "-o", str(single)],
                         capture_output=True, text=True, timeout=600)
    assert one.returncode == 3, one.stderr
    out = tmp_path / "events"
    many = subprocess.run([sys.executable, "-m", "kautilya", "code", *inputs, "-o", f"{out}/",
                           "--cluster", "local:2", "--blocksize", "12000"],
                          capture_output=True, text=True, timeout=600)
    assert many.returncode == 3, many.stderr

    parts = sorted(p.name for p in out.glob("part-*.parquet"))
    assert len(parts) >= 6  # several blocks of the plain file, the gzip file, two row groups
    expected = [json.loads(line) for line in single.read_text(encoding="utf-8").splitlines()]
    got = ds.dataset(out, format="parquet").to_table().to_pylist()
    assert len(expected) > 20
    assert got == expected  # every field, event ids and origins (file:line) included, in input order
    rejects = [json.loads(line) for line in (tmp_path / "events.rejects.jsonl").read_text().splitlines()]
    assert rejects == [json.loads(line) for line in (tmp_path / "single.rejects.jsonl").read_text().splitlines()]
    assert [(Path(r["source"]).name, r["line"], r["reason_code"]) for r in rejects] == [
        ("press.jsonl", 5, "malformed_json"), ("wikinews.parquet", 5, "no_text")]


def test_parallel_cluster_joins_a_running_scheduler_by_address(coder, tmp_path):
    from distributed import LocalCluster

    from kautilya.output import RejectWriter
    from kautilya.parallel import code_on_cluster

    examples = str(REPO / "examples" / "articles.jsonl")
    rejects = RejectWriter(tmp_path / "rejects.jsonl")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        report = code_on_cluster([examples], str(tmp_path / "events"), Settings(), cluster.scheduler_address,
                                 on_reject=rejects.write)
    rejects.close()
    expected = [e.to_record() for _, events in coder.code_articles(read_inputs([examples])) for e in events]
    assert ds.dataset(tmp_path / "events", format="parquet").to_table().to_pylist() == expected
    assert (report.articles, report.events, report.rejects) == (2, len(expected), 1)
    assert json.loads((tmp_path / "rejects.jsonl").read_text())["source"] == examples


def test_parallel_parquet_schema_holds_every_key_of_the_event_record(tmp_path):
    from kautilya.output import ParquetEventWriter
    from kautilya.pipeline import code_text

    events = code_text("India launched missile strikes on nine sites in Pakistan early on Wednesday. "
                       "Pakistan said the strikes violated the 1972 Simla Agreement.", "2025-05-07")
    writer = ParquetEventWriter(str(tmp_path / "part.parquet"))
    writer.write(events)
    writer.close()
    assert pq.read_table(tmp_path / "part.parquet").to_pylist() == [e.to_record() for e in events]
    assert list(pq.read_schema(tmp_path / "part.parquet").names) == list(events[0].to_record())
