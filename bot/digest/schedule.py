"""When a digest is due: pure functions of a local time, a zone and a date.

A digest belongs to a *local* date. Daylight saving time moves UTC, not the wall clock:
18:00 Europe/Berlin is 17:00 UTC in winter and 16:00 UTC in summer. A time that does not
exist on a given day (the spring-forward gap) fires once at the next valid minute; a time
that happens twice (the autumn fold) fires at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.digest.model import Schedule

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
