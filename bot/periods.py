"""Periods people name (`today`, `last week`, `2026-11-01..2026-11-15`), validated."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot import commands as c
from bot.errors import UsageError

SUMMARY = "summary [today|yesterday|week|last week|month|YYYY-MM-DD[..YYYY-MM-DD]]"
MAX_RANGE_DAYS = 366

NAMED_PERIODS: dict[str, c.PeriodName] = {
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
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"`{text[:40]}` is not a date I can read; use YYYY-MM-DD.", SUMMARY
        ) from None


_DATES = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:\.\.[0-9]{4}-[0-9]{2}-[0-9]{2})?")


def period_of(key: str) -> c.Period | None:
    """A named period or a YYYY-MM-DD[..YYYY-MM-DD] range; None when ``key`` is neither."""
    if key in NAMED_PERIODS:
        return c.Period(NAMED_PERIODS[key])
    if _DATES.fullmatch(key.replace(" ", "")):
        return dates(key)
    return None


def dates(key: str) -> c.Period:
    first_text, sep, last_text = key.replace(" ", "").partition("..")
    return date_range(first_text, last_text if sep else None)


def date_range(first_text: str, last_text: str | None = None) -> c.Period:
    """A validated `range` period from YYYY-MM-DD texts; the last day defaults to the first.

    Public so adapters with typed date options (Discord) validate exactly as the parser does.
    """
    first = parse_date(first_text)
    last = parse_date(last_text) if last_text is not None else first
    if last < first:
        raise UsageError("The range ends before it starts.", SUMMARY)
    if last - first >= timedelta(days=MAX_RANGE_DAYS):
        raise UsageError(f"Ranges can be at most {MAX_RANGE_DAYS} days long.")
    return c.Period("range", first, last)
