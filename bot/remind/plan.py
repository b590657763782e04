"""When could a person next need a reminder? Pure: no database, no Toggl, no clock.

The answer is a list of kinds that could be due *now* (the scheduler then spends one Toggl
request to confirm) and the next moment worth looking again, which the store indexes.
Everything is computed in the person's time zone, so DST days have 23 or 25 hours and
working hours stay at the same wall-clock time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain import TimeEntry
from bot.remind.model import Kind, Person, Settings

MAX_CHECKS = 8  # Toggl requests reminders may spend per person per local day
RECAP_LATE = timedelta(hours=3)  # a recap later than this (worker down) is skipped
FAR = timedelta(days=30)  # nothing on: look again in a while (a command looks sooner)
MIN_PROBE = timedelta(hours=1)  # unknown timers are probed at most this often


@dataclass(frozen=True, slots=True)
class Look:
    due: tuple[Kind, ...]  # could be due now: worth one Toggl request to confirm
    next_at: datetime  # when to look again if nothing changes


def at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """A wall-clock time on a local day, in UTC (a time DST skipped moves forward)."""
    local = datetime.combine(day, clock, tzinfo=tz)
    return local.astimezone(UTC)


def window(settings: Settings, day: date, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The working hours of ``day`` in UTC, or None on a day off."""
    hours = settings.hours
    if day.weekday() not in hours.days:
        return None
    return at(day, hours.start, tz), at(day, hours.stop, tz)


def today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def look(person: Person, done: frozenset[Kind], now: datetime, tz: ZoneInfo) -> Look:
    """What may be due now for ``person`` (``done``: kinds already settled today)."""
    settings = person.settings
    if not settings.any_on() or not person.token_valid:
        return Look((), now + FAR)
    snooze = settings.snoozed_until if settings.snoozed_until and settings.snoozed_until > now \
        else None
    day = today(now, tz)
    candidates = _candidates(person, done, day, now, tz)
    if snooze is not None:
        candidates = {k: max(t, snooze) for k, t in candidates.items()}
    due = tuple(k for k, t in candidates.items() if t <= now)
    later = [t for t in candidates.values() if t > now]
    next_at = min(later) if later else next_day(settings, day, tz)
    if snooze is not None:
        next_at = max(next_at, snooze) if not due else next_at
    return Look(due, next_at)


def _candidates(
    person: Person, done: frozenset[Kind], day: date, now: datetime, tz: ZoneInfo
) -> dict[Kind, datetime]:
    settings = person.settings
    found: dict[Kind, datetime] = {}
    span = window(settings, day, tz)
    if settings.recap is not None and span is not None and "recap" not in done:
        recap = at(day, settings.recap, tz)
        if now < recap + RECAP_LATE:
            found["recap"] = recap
    if span is None:
        return found
    start, stop = span
    if now >= stop:
        return found
    running, last = person.running, person.last
    looked = person.checked_at or start
    if settings.running is not None and "running" not in done:
        if running is not None:
            when = max(running.start + settings.running, start)
        elif settings.idle is None or "idle" in done:
            # Not known to run, and no idle checks to notice one: probe now and then.
            when = max(start + settings.running, looked + max(settings.running, MIN_PROBE))
        else:
            when = stop  # idle's checks would see a timer started elsewhere
        if when < stop:
            found["running"] = when
    if settings.idle is not None and "idle" not in done:
        if running is None:
            since = max(_stopped(last), start)
            when = since + settings.idle
        else:
            # Known to run: it may have been stopped elsewhere; look again now and then.
            when = max(running.start, looked, start) + max(settings.idle, MIN_PROBE * 2)
            if settings.running is not None and "running" not in done:
                when = max(when, found.get("running", when))
        if when < stop:
            found["idle"] = when
    return found


def _stopped(last: TimeEntry | None) -> datetime:
    if last is None or last.stop is None:
        return datetime.min.replace(tzinfo=UTC)
    return last.stop


def next_day(settings: Settings, day: date, tz: ZoneInfo) -> datetime:
    """The start of the next working day (or its recap, if earlier); far away if none."""
    for ahead in range(1, 8):
        following = day + timedelta(days=ahead)
        span = window(settings, following, tz)
        if span is None:
            continue
        first = span[0]
        if settings.recap is not None:
            first = min(first, at(following, settings.recap, tz))
        return first
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC) + FAR


def checks_left(person: Person, due: tuple[Kind, ...], day: date) -> bool:
    """May reminders spend one more Toggl request today? The last one is kept for the
    recap while it is still to come."""
    used = person.checks_on(day)
    if "recap" in due:
        return used < MAX_CHECKS
    recap_pending = person.settings.recap is not None
    return used < MAX_CHECKS - (1 if recap_pending else 0)


def snooze_until(settings: Settings, now: datetime, tz: ZoneInfo,
                 length: timedelta | None) -> datetime:
    """The end of a snooze: ``length`` from now, or (None) the end of today."""
    if length is not None:
        return now + length
    day = today(now, tz)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
