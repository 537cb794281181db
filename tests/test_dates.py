"""Event dates: phrases read back from the article's date, tied to the event, never after it (issue 4)."""

from __future__ import annotations

import time

import pytest

from conftest import code
from kautilya.dates import EventDate, parse_date_phrase

# "on Tuesday" in articles dated on each day of one week: the most recent Tuesday on or before.
WEEKDAY_CASES = [
    ("2025-04-21", "2025-04-15"),  # Monday: the Tuesday before
    ("2025-04-22", "2025-04-22"),  # Tuesday: that very day
    ("2025-04-23", "2025-04-22"),  # Wednesday
    ("2025-04-24", "2025-04-22"),  # Thursday
    ("2025-04-25", "2025-04-22"),  # Friday
    ("2025-04-26", "2025-04-22"),  # Saturday
    ("2025-04-27", "2025-04-22"),  # Sunday
]


@pytest.mark.parametrize("article,expected", WEEKDAY_CASES, ids=[c[0] for c in WEEKDAY_CASES])
def test_dates_on_tuesday_from_articles_dated_on_each_weekday(article, expected):
    assert parse_date_phrase("on Tuesday", article) == EventDate(expected, "day", "on Tuesday")


PHRASES = [
    ("yesterday", "2025-05-01", "2025-04-30", "day"),
    ("last night", "2025-03-01", "2025-02-28", "day"),
    ("last Friday", "2025-05-02", "2025-04-25", "day"),  # written on a Friday: a week back
    ("last week", "2025-04-24", "2025-04-14", "week"),  # the Monday of the week before
    ("earlier this week", "2025-04-24", "2025-04-21", "week"),
    ("earlier this month", "2025-04-28", "2025-04-01", "month"),
    ("last month", "2025-01-15", "2024-12-01", "month"),
    ("in March", "2025-04-28", "2025-03-01", "month"),
    ("in May", "2025-04-28", "2024-05-01", "month"),  # May has not come yet: last year's
    ("on April 22", "2025-04-28", "2025-04-22", "day"),
    ("on April 22", "2025-03-01", "2024-04-22", "day"),  # the most recent April 22
    ("Dec. 27", "2025-01-01", "2024-12-27", "day"),
    ("the 22nd of April", "2025-05-01", "2025-04-22", "day"),
    ("three days ago", "2025-05-01", "2025-04-28", "day"),
    ("10 May 2015", None, "2015-05-10", "day"),
    ("October 1, 2021", None, "2021-10-01", "day"),
    ("of 1972", None, "1972-01-01", "year"),
]


@pytest.mark.parametrize("phrase,article,expected,precision", PHRASES, ids=[f"{p[0]}@{p[1]}" for p in PHRASES])
def test_dates_phrases_resolve_back_from_the_article_with_their_precision(phrase, article, expected, precision):
    found = parse_date_phrase(phrase, article)
    assert (found.date, found.precision) == (expected, precision)


def test_dates_relative_phrases_need_the_article_date_and_non_dates_are_none():
    assert parse_date_phrase("on Tuesday", None) is None
    assert parse_date_phrase("in Pahalgam", "2025-04-28") is None
    assert parse_date_phrase("February 30, 2025") is None


def test_dates_pathological_phrases_return_at_once():
    # Linear patterns over a phrase cut to 80 characters: no input can make the parser crawl.
    # The bound is loose on purpose (a regression guard against backtracking, not a speed target).
    phrases = ["on " + "Tuesday " * 50_000, "1" * 1_000_000, "April " + "2" * 100_000, "(" * 200_000 + "May 2"]
    started = time.monotonic()
    results = [parse_date_phrase(p, "2025-04-28") for p in phrases]
    assert time.monotonic() - started < 2.0
    assert results == [None, None, None, None]


def test_dates_event_takes_the_date_tied_to_its_trigger(coder):
    # Article dated Thursday 24 April 2025.
    (closed,) = code(coder, "Pakistan closed its airspace to Indian airlines on Tuesday.", date="2025-04-24")
    assert (closed.date, closed.date_precision, closed.article_date) == ("2025-04-22", "day", "2025-04-24")
    (condemned,) = code(coder, "India condemned Pakistan yesterday.", date="2025-04-24")
    assert condemned.date == "2025-04-23"
    (praised,) = code(coder, "Japan praised India last week.", date="2025-04-24")
    assert (praised.date, praised.date_precision) == ("2025-04-14", "week")
    (plain,) = code(coder, "Japan praised India.", date="2025-04-24")
    assert (plain.date, plain.date_precision) == ("2025-04-24", "day")


def test_dates_background_agreement_does_not_date_the_event(coder):
    text = "Lavrov urged India and Pakistan to resolve their differences in line with the Simla Agreement of 1972."
    events = code(coder, text, date="2025-04-28")
    assert events and {(e.date, e.date_precision) for e in events} == {("2025-04-28", "day")}


def test_dates_no_event_is_dated_after_its_article(uncertain_coder):
    text = "India will hold talks with Pakistan next week. China praised Pakistan on Friday."
    events = code(uncertain_coder, text, date="2025-04-28")
    assert events and all(e.date is None or e.date <= "2025-04-28" for e in events)


def test_dates_recalled_attack_has_no_date_of_its_own(coder):
    text = "Tensions rose after the deadly attack in Pahalgam. Russia urged India to show restraint."
    recalled = [e for e in code(coder, text, date="2025-04-28") if e.cameo_root in ("18", "19")]
    assert [(e.date, e.date_precision, e.location.name) for e in recalled] == [(None, None, "Pahalgam")]


def test_dates_record_carries_precision_and_article_date(coder):
    (event,) = code(coder, "Japan praised India earlier this month.", date="2025-04-28")
    record = event.to_record()
    assert (record["date"], record["date_precision"], record["article_date"]) == ("2025-04-01", "month", "2025-04-28")


def test_dates_periods_and_coming_days_do_not_date_the_event(coder):
    meetings = code(coder, "Trump met Sharaa in Riyadh, the first such meeting since 2000.", date="2025-05-14")
    assert len(meetings) == 2  # a joint act, coded both ways
    assert {(m.date, m.date_precision) for m in meetings} == {("2025-05-14", "day")}
    (criticism,) = code(coder, "Greece criticized Turkey on May 6.", date="2025-05-01")
    assert criticism.date == "2025-05-01", "May 6 is still to come; last year's May 6 is not meant"
    (earlier,) = code(coder, "Greece criticized Turkey on April 6.", date="2025-05-01")
    assert earlier.date == "2025-04-06"
