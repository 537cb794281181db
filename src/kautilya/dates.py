"""Dates: when an event happened, from the article's date and the words tied to the event.

News reports say "on Tuesday", "yesterday", "last week" or "on April 22" and leave the year and
the week to the reader; here the article's date supplies them, by the news convention that such
phrases point back in time: "on Tuesday" is the most recent Tuesday on or before the article's
date, "April 22" the most recent April 22 not after it. Each date carries its precision (day,
week, month, year). Only date phrases attached to the event's trigger count, so "the Simla
Agreement of 1972" never dates a new event, and no event is dated after its article.

Parsing is a handful of linear regular expressions over a short phrase: the phrase is cut to
``MAX_PHRASE_CHARS`` and every parse checks a time budget, so one pathological phrase cannot
stall a batch (docs/dates.md).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Token

#: A date phrase longer than this is not a date phrase; it is cut before any pattern runs.
MAX_PHRASE_CHARS = 80
#: Seconds one phrase may take to parse; past this the parse gives up and returns None.
PARSE_BUDGET_SECONDS = 0.05

PRECISIONS = ("day", "week", "month", "year")
#: A day written without its year ("on April 22") that falls this far before the article is more
#: likely a coming date than last year's: it does not date the event.
MAX_YEARLESS_DAYS_BACK = 300
_YEAR_IN = re.compile(r"\b(?:1[89]|20)\d\d\b")

MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
     ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
     ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1) for name in names}
WEEKDAYS = {name: index for index, names in enumerate(
    [("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
     ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")]) for name in names}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_LEAD = r"^(?:(?:on|in|of|since|by|during|from|at|as of|until|till)\s+)?(?:the\s+)?"

# Each pattern is anchored and has no nested quantifiers: matching is linear in the phrase.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(_LEAD + body + r"$", re.IGNORECASE)) for name, body in [
    ("iso", r"(?P<year>\d{4})-(?P<monthnum>\d{2})-(?P<day>\d{2})"),
    ("month_day_year", _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR),
    ("day_month_year", _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR),
    ("weekday_month_day", _WEEKDAY + r",?\s+" + _MONTH + r"\s+" + _DAY),
    ("month_day", _MONTH + r"\s+" + _DAY),
    ("day_month", _DAY + r"(?:\s+of)?\s+" + _MONTH),
    ("month_year", _MONTH + r",?\s+(?:of\s+)?" + _YEAR),
    ("year", r"(?:the\s+year\s+)?" + _YEAR),
    ("weekday", r"(?:(?P<rel>last|this|past|previous)\s+)?" + _WEEKDAY
     + r"(?:\s+(?P<part>morning|afternoon|evening|night))?"),
    ("month", r"(?:(?P<rel>last|this|earlier\s+this|early|late|mid)[-\s]+)?" + _MONTH),
    ("relative_day", r"(?P<word>yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon|evening)"
     r"|(?:the\s+)?day\s+before\s+yesterday)"),
    ("relative_span", r"(?P<word>(?:last|past|previous|earlier\s+this|this|late\s+last|early\s+this)\s+"
     r"(?:week|month|year)|(?:the\s+)?(?:past|last)\s+(?:few|several|two|three)\s+(?:days|weeks))"),
    ("days_ago", r"(?P<count>\d{1,3}|a|one|two|three|four|five|six|seven|ten)\s+(?P<unit>days?|weeks?|months?)\s+ago"),
]]
_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


@dataclass(frozen=True)
class EventDate:
    """A date with its precision and the phrase it came from (None when it is the article's)."""

    date: str | None  # ISO YYYY-MM-DD: the day, or the first day of the week, month or year
    precision: str | None  # day, week, month, year
    phrase: str | None = None

    @property
    def day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.date) if self.date else None


def parse_date_phrase(phrase: str, reference: dt.date | str | None = None, *,
                      budget: float = PARSE_BUDGET_SECONDS) -> EventDate | None:
    """Read one date phrase ("on Tuesday", "April 22", "last week", "10 May 2015").

    Relative phrases need ``reference`` (the article's date) and resolve backwards from it.

    Args:
        phrase: the words of the phrase; cut to ``MAX_PHRASE_CHARS``.
        reference: the article's date, as a ``date`` or ISO string.
        budget: seconds the parse may take before it gives up.

    Returns:
        The date, or None when the phrase is no date, needs a reference it lacks, or the
        budget ran out.
    """
    deadline = time.monotonic() + budget
    text = " ".join(phrase[:MAX_PHRASE_CHARS].split()).strip(" ,.;:()'\"").replace("’", "'")
    if not text or len(text) < 3:
        return None
    ref = dt.date.fromisoformat(reference) if isinstance(reference, str) else reference
    for name, pattern in _PATTERNS:
        if time.monotonic() > deadline:
            return None
        match = pattern.match(text)
        if match:
            try:
                found = _resolve(name, match, ref)
            except ValueError:  # "February 30"
                return None
            return EventDate(found[0].isoformat(), found[1], phrase) if found else None
    return None


def _resolve(name: str, m: re.Match[str], ref: dt.date | None) -> tuple[dt.date, str] | None:
    groups = m.groupdict()
    month = MONTHS.get((groups.get("month") or "").lower().rstrip("."))
    if name == "iso":
        return dt.date(int(groups["year"]), int(groups["monthnum"]), int(groups["day"])), "day"
    if name in ("month_day_year", "day_month_year"):
        return dt.date(int(groups["year"]), month, int(groups["day"])), "day"
    if name == "month_year":
        return dt.date(int(groups["year"]), month, 1), "month"
    if name == "year":
        return dt.date(int(groups["year"]), 1, 1), "year"
    if ref is None:
        return None
    if name in ("month_day", "day_month", "weekday_month_day"):
        return _latest_month_day(month, int(groups["day"]), ref), "day"
    if name == "weekday":
        back = (ref.weekday() - WEEKDAYS[groups["weekday"].lower().rstrip(".")]) % 7
        if back == 0 and (groups.get("rel") or "").lower() in ("last", "past", "previous"):
            back = 7
        return ref - dt.timedelta(days=back), "day"
    if name == "month":
        rel = " ".join((groups.get("rel") or "").lower().split())
        if rel in ("earlier this", "this") or (not rel and month == ref.month):
            return ref.replace(day=1), "month"
        year = ref.year if month < ref.month else ref.year - 1
        return dt.date(year, month, 1), "month"
    if name == "relative_day":
        word = " ".join(groups["word"].lower().split())
        back = 2 if "before" in word else 1 if word in ("yesterday", "last night") else 0
        return ref - dt.timedelta(days=back), "day"
    if name == "relative_span":
        return _relative_span(" ".join(groups["word"].lower().split()), ref)
    if name == "days_ago":
        count = groups["count"].lower()
        n = int(count) if count.isdigit() else _NUMBER_WORDS[count]
        unit = groups["unit"].lower().rstrip("s")
        if unit == "day":
            return ref - dt.timedelta(days=n), "day"
        if unit == "week":
            return _monday(ref - dt.timedelta(weeks=n)), "week"
        return _month_start(ref, n), "month"
    return None


def _relative_span(word: str, ref: dt.date) -> tuple[dt.date, str]:
    unit = word.split()[-1]
    if unit in ("days", "weeks"):  # "the past few days": the week before the article
        return _monday(ref - dt.timedelta(days=6)) if unit == "days" else _monday(ref - dt.timedelta(weeks=2)), "week"
    current = word.startswith(("this", "earlier this", "early this"))
    if unit == "week":
        return _monday(ref if current else ref - dt.timedelta(weeks=1)), "week"
    if unit == "month":
        return _month_start(ref, 0 if current else 1), "month"
    return dt.date(ref.year if current else ref.year - 1, 1, 1), "year"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_start(ref: dt.date, months_back: int) -> dt.date:
    index = ref.year * 12 + ref.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def _latest_month_day(month: int, day: int, ref: dt.date) -> dt.date:
    """The most recent ``month``/``day`` not after ``ref`` (29 February falls back to a leap year)."""
    for year in range(ref.year, ref.year - 8, -1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= ref:
            return candidate
    raise ValueError(f"no {month}/{day} before {ref}")


# ------------------------------------------------------------------ events in a parse


def event_date(trigger: Token, article_date: str | None, *, background: bool = False) -> EventDate:
    """The date of the event that ``trigger`` reports.

    A date phrase attached to the trigger (or, for an event noun, to the verb that reports it)
    wins; a phrase that would put the event after the article is ignored. Without one, a news
    event takes the article's date (precision day), and an event recalled in the background
    ("after the attack in Pahalgam") takes none: it happened earlier, on a day the text does not say.
    """
    reference = dt.date.fromisoformat(article_date) if article_date else None
    for phrase in _date_phrases(trigger):
        found = parse_date_phrase(phrase, reference)
        if found is None:
            continue
        if reference is not None and found.day > reference:
            continue  # "next week", or a phrase read wrongly: an event is never after its report
        if reference is not None and found.precision == "day" and not _YEAR_IN.search(phrase) \
                and (reference - found.day).days > MAX_YEARLESS_DAYS_BACK:
            continue  # "voting on February 6" written on 31 January looks ahead, not a year back
        return found
    if background or reference is None:
        return EventDate(None, None)
    return EventDate(reference.isoformat(), "day")


def _date_phrases(trigger: Token) -> Iterable[str]:
    """Date phrases tied to the trigger: its own dependents, then its reporting verb's."""
    anchors = [trigger]
    if trigger.pos_ in ("NOUN", "PROPN"):
        node = trigger
        for _ in range(3):  # "launched strikes on Tuesday": climb to the verb
            if node.head is node or node.dep_ in ("nsubj", "nsubjpass"):
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                anchors.append(node)
                break
    seen: set[int] = set()
    for anchor in anchors:
        for child in anchor.children:
            if child.i in seen:
                continue
            phrase = _phrase_of(child, anchor)
            if phrase:
                seen.add(child.i)
                yield phrase


def _phrase_of(child: Token, anchor: Token) -> str | None:
    """The words of a date dependent: "on Tuesday", "yesterday", "last week", "the April 22 attack"."""
    # Not "since 2000" or "until May": those bound a period, they do not date the event.
    if child.dep_ == "prep" and child.lower_ in ("on", "in", "during", "at", "of"):
        objects = [c for c in child.children if c.dep_ == "pobj"]
        if objects and _looks_like_date(objects[0]):
            return child.lower_ + " " + _subtree_text(objects[0])
        return None
    if child.dep_ in ("npadvmod", "tmod", "advmod", "nmod", "compound", "nummod", "obl") and _looks_like_date(child):
        if child.dep_ in ("compound", "nmod", "nummod") and anchor.pos_ not in ("NOUN", "PROPN"):
            return None
        return _subtree_text(child)
    return None


def _looks_like_date(token: Token) -> bool:
    if token.ent_type_ in ("DATE", "TIME"):
        return True
    words = {t.lower_.rstrip(".") for t in token.subtree}
    return bool(words & (set(MONTHS) | set(WEEKDAYS) | {"yesterday", "today", "tonight", "week", "month"}))


def _subtree_text(token: Token) -> str:
    tokens = list(token.subtree)
    if len(tokens) > 12:  # a clause, not a date phrase
        return ""
    return token.doc[tokens[0].i: tokens[-1].i + 1].text
