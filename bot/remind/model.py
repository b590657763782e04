"""Reminder settings and what the scheduler knows about one person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal

from bot.domain import Quota, TimeEntry, UserKey

Kind = Literal["running", "idle", "recap", "relogin"]
KINDS: tuple[Kind, ...] = ("running", "idle", "recap")
WEEKDAYS = frozenset(range(5))
DEFAULT_START, DEFAULT_STOP = time(9, 0), time(17, 0)


class SendStatus(StrEnum):
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # refused by the platform: tried again after the lease
    UNCERTAIN = "uncertain"  # may have arrived: never repeated
    REFUSED = "refused"  # the platform refused for good: not retried
    ANSWERED = "answered"  # `remind ok` (Keep going) or snooze: not sent today


@dataclass(frozen=True, slots=True)
class Hours:
    """Working hours in the person's time zone, on ``days`` (0 = Monday)."""

    start: time = DEFAULT_START
    stop: time = DEFAULT_STOP
    days: frozenset[int] = WEEKDAYS


@dataclass(frozen=True, slots=True)
class Settings:
    """One person's reminders; None means that reminder is off."""

    hours: Hours = field(default_factory=Hours)
    running: timedelta | None = None
    idle: timedelta | None = None
    recap: time | None = None
    snoozed_until: datetime | None = None

    def any_on(self) -> bool:
        return self.running is not None or self.idle is not None or self.recap is not None


@dataclass(frozen=True, slots=True)
class Person:
    """A person whose ``next_at`` has come, with all the scheduler needs, read in one query."""

    account_id: int
    key: UserKey
    timezone: str
    settings: Settings
    token_valid: bool = True
    quota: Quota = field(default_factory=Quota)
    me_quota: Quota = field(default_factory=Quota)
    running: TimeEntry | None = None  # what the bot knows (a command or our last check)
    last: TimeEntry | None = None
    checks_day: date | None = None
    checks: int = 0  # Toggl requests reminders spent on checks_day
    checked_at: datetime | None = None
    due_at: datetime | None = None  # its next_at when leased (a touch meanwhile changes it)

    def checks_on(self, day: date) -> int:
        return self.checks if self.checks_day == day else 0


@dataclass(frozen=True, slots=True)
class SendClaim:
    """The right to send one reminder (person, kind, day), held by one worker."""

    send_id: int
    account_id: int
    kind: Kind
    local_date: date
    worker: str


@dataclass(frozen=True, slots=True)
class Release:
    """A person handed back after a look: when to look next and what was spent today."""

    person: Person
    next_at: datetime
    checks_day: date | None
    checks: int
    checked_at: datetime | None
