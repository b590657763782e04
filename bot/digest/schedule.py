"""When a digest is due: pure functions of a local time, a zone and a date.

A digest belongs to a *local* date. Daylight saving time moves UTC, not the wall clock:
18:00 Europe/Berlin is 17:00 UTC in winter and 16:00 UTC in summer. A time that does not
exist on a given day (the spring-forward gap) fires once at the next valid minute; a time
that happens twice (the autumn fold) fires at its first occurrence.
"""

from __future__ import annotations

import difflib
import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.digest.model import Schedule
from bot.errors import UsageError

_CLOCK = re.compile(r"(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)")
_MAX_GAP_MINUTES = 24 * 60  # real gaps are an hour or less; this only bounds the search


def due_at(local_time: time, tz: ZoneInfo, local_date: date) -> datetime:
    """The aware UTC instant of ``local_time`` on ``local_date`` in ``tz``."""
    wall = datetime.combine(local_date, local_time.replace(second=0, microsecond=0))
    for minutes in range(_MAX_GAP_MINUTES):
        candidate = wall + timedelta(minutes=minutes)
        # fold=0 is the first occurrence of an ambiguous time.
        instant = candidate.replace(tzinfo=tz, fold=0).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == candidate:
            return instant  # it exists: the round trip gives the same wall time
    raise ValueError(f"no valid local time after {wall} in {tz.key}")  # pragma: no cover


def local_date(now: datetime, schedule: Schedule) -> date:
    return now.astimezone(ZoneInfo(schedule.timezone)).date()


def due_today(schedule: Schedule, now: datetime) -> tuple[date, datetime] | None:
    """(local date, due instant) when today's digest is due at ``now``, else None.

    Only *today* in the digest's zone counts: a worker started late catches up on today's
    digest, and never posts yesterday's.
    """
    tz = ZoneInfo(schedule.timezone)
    today = now.astimezone(tz).date()
    if schedule.weekdays_only and today.weekday() >= 5:
        return None
    due = due_at(schedule.at, tz, today)
    return (today, due) if now >= due else None


def next_due(schedule: Schedule, now: datetime) -> datetime:
    """The next instant this schedule fires after ``now`` (for `digest show`)."""
    tz = ZoneInfo(schedule.timezone)
    day = now.astimezone(tz).date()
    for _ in range(8):
        if not (schedule.weekdays_only and day.weekday() >= 5):
            due = due_at(schedule.at, tz, day)
            if due > now:
                return due
        day += timedelta(days=1)
    raise ValueError("no due time within a week")  # pragma: no cover


def parse_clock(text: str, usage: str = "") -> time:
    """``18:00`` or ``9:30`` -> a time; anything else is a UsageError."""
    found = _CLOCK.fullmatch(text)
    if found is None:
        raise UsageError(f"`{text[:20]}` is not a time; use 24-hour HH:MM, e.g. `18:00`.", usage)
    return time(int(found["h"]), int(found["m"]))


@cache
def _zones() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def zone_name(text: str, usage: str = "") -> str:
    """The canonical IANA name for ``text`` (any case), or a UsageError with a suggestion."""
    known = _zones().get(text.casefold())
    if known is not None:
        return known
    close = difflib.get_close_matches(text.casefold(), list(_zones()), n=1, cutoff=0.75)
    hint = f" Did you mean `{_zones()[close[0]]}`?" if close else ""
    raise UsageError(
        f"`{text[:64]}` is not a time zone I know.{hint} "
        "Use an IANA name such as `Europe/Berlin` or `America/New_York`.",
        usage,
    )
