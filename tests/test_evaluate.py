"""Gold readers: PLOVER records and actor-coding expectations (issue 4)."""

from __future__ import annotations

import json

import pytest

from kautilya.errors import InputError
from kautilya.evaluate import (is_actor_expectations, is_plover_gold, read_actor_expectations,
                               read_plover_gold)


def test_evaluate_reads_plover_records_with_markup_and_location(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(json.dumps([
        {"id": "DOC-1", "event": "DOCUMENT", "comment": "no text: skipped"},
        {"id": "R1", "event": "ASSAULT", "date": "2001-02-03", "eventText": "has been killed",
         "source": [{"actorText": "Rebels", "code": "UAF"}], "target": "",
         "text": "A soldier has been killed near Basra.",
         "textInfo": {"markup": "A (TAR: soldier) (EVT: has been killed) (LOC: near Basra)."},
         "eventLoc": {"name": "Basra", "country code": "IQ"}},
    ]), encoding="utf-8")
    assert is_plover_gold(path) and not is_actor_expectations(path)
    (record,) = read_plover_gold(path)
    assert (record.id, record.date, record.location) == ("R1", "2001-02-03", ("Basra", "IQ"))
    assert record.sources == ({"actorText": "Rebels", "code": "UAF"},) and record.targets == ()
    assert record.trigger_words == ["has been killed"]


def test_evaluate_bad_plover_records_name_file_and_record(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(json.dumps([{"id": "R9", "text": "Something happened."}]), encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.txt.*'R9'.*lacks"):
        read_plover_gold(path)


def test_evaluate_actor_expectations_read_today_as_the_files_own_latest_date(tmp_path):
    path = tmp_path / "expect.jsonl"
    path.write_text(
        '{"test": "a", "method": "agent_to_code", "args": ["X", "", "2 March 2020"], "expect": {"country": "FRA"}}\n'
        '{"test": "b", "method": "agent_to_code", "args": ["Y", "German", "Today"], "expect": {"code_1": "JRN"}}\n'
        '{"test": "c", "method": "agent_to_code", "args": ["Z"], "expect": {}, "expect_not": {"country": "GBR"}}\n'
        '{"test": "d", "method": "query_wiki", "args": ["Z"], "expect": {"title": "Z"}}\n', encoding="utf-8")
    assert is_actor_expectations(path)
    items, skipped = read_actor_expectations(path)
    assert skipped == 1
    a, b, c = items
    assert (a.date, a.country, a.sector) == ("2020-03-02", "FRA", None)
    assert (b.date, b.context, b.sector) == ("2020-03-02", "German", "MED")  # JRN is our MED (media)
    assert (c.date, c.country, c.not_country) == (None, None, "GBR")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"method": "agent_to_code", "args": ["A"], "expect": {"country": "X"}}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl:2"):
        read_actor_expectations(bad)
