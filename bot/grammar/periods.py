"""Periods people name (`today`, `last week`, `2026-11-01..2026-11-15`), validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.errors import UsageError

PeriodName = Literal["today", "yesterday", "week", "last week", "month", "range"]
NamedPeriod = Literal["today", "yesterday", "week", "last week", "month"]
NAMED: tuple[NamedPeriod, ...] = ("today", "yesterday", "week", "last week", "month")
MAX_RANGE_DAYS = 366
# Toggl keeps entries from 2006 on; anything outside these years is a typo, and would
# overflow date arithmetic at the edges of what `date` can hold.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class Period:
    """A summary range; named periods are resolved in the user's time zone at run time."""

    name: PeriodName
    first: date | None = None  # set for "range": inclusive days
    last: date | None = None


NAMED_PERIODS: dict[str, PeriodName] = {
    "today": "today",
    "yesterday": "yesterday",
    "week": "week",
    "this week": "week",
    "last week": "last week",
    "lastweek": "last week",
    "month": "month",
    "this month": "month",
}


def parse_date(text: str) -> date:
    """A YYYY-MM-DD day between the years 2000 and 2100."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"`{text[:40]}` is not a date I can read; use YYYY-MM-DD.") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise UsageError(f"`{text[:40]}` is too far away; give a day between "
                         f"{FIRST_YEAR} and {LAST_YEAR}.")
    return day


_DATES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\.\.[0-9]{4}-[0-9]{2}-[0-9]{2})?")


def period_of(key: str) -> Period | None:
    """A named period or a YYYY-MM-DD[..YYYY-MM-DD] range; None when ``key`` is neither."""
    key = " ".join(key.lower().split())
    if key in NAMED_PERIODS:
        return Period(NAMED_PERIODS[key])
    if _DATES.fullmatch(key.replace(" ", "")):
        first_text, sep, last_text = key.replace(" ", "").partition("..")
        return date_range(first_text, last_text if sep else None)
    return None


def date_range(first_text: str, last_text: str | None = None) -> Period:
    """A validated `range` period from YYYY-MM-DD texts; the last day defaults to the first."""
    first = parse_date(first_text)
    last = parse_date(last_text) if last_text is not None else first
    if last < first:
        raise UsageError("The range ends before it starts.")
    if last - first >= timedelta(days=MAX_RANGE_DAYS):
        raise UsageError(f"Ranges can be at most {MAX_RANGE_DAYS} days long.")
    return Period("range", first, last)
