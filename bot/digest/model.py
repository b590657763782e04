"""The nouns of digests: a channel, its schedule, its opt-in members, and one day's run."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Literal

from bot.domain import UserKey
from bot.summary import Totals


@dataclass(frozen=True, slots=True)
class Channel:
    """Where a digest is posted. A channel id is only unique within its team."""

    platform: str
    team_id: str
    channel_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.team_id}:{self.channel_id}"


@dataclass(frozen=True, slots=True)
class Schedule:
    """A local wall-clock time in an IANA zone; ``weekdays_only`` skips Saturday and Sunday."""

    at: time
    timezone: str
    weekdays_only: bool = False

    def describe(self) -> str:
        days = "weekdays" if self.weekdays_only else "every day"
        return f"{self.at:%H:%M} {self.timezone}, {days}"


@dataclass(frozen=True, slots=True)
class Member:
    key: UserKey
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.key.user_id


@dataclass(frozen=True, slots=True)
class Digest:
    id: int
    channel: Channel
    schedule: Schedule
    enabled: bool = True
    members: tuple[Member, ...] = field(default=())
    set_up_by: str = ""  # the platform user id of whoever last ran `digest at`; "" unknown


class RunStatus(StrEnum):
    CLAIMED = "claimed"  # a worker builds it; others wait until its lease expires
    SENDING = "sending"  # handed to the platform; the one window where the outcome is unknown
    POSTED = "posted"  # done, with the platform's message id
    FAILED = "failed"  # the platform refused it: retried after lease_expires_at, up to a limit
    UNCERTAIN = "uncertain"  # a send whose outcome is unknown: never repeated blind
    REFUSED = "refused"  # the platform refused for good (no access, archived): not retried


@dataclass(frozen=True, slots=True)
class RunState:
    """What the ledger says about one (digest, local date)."""

    status: RunStatus
    attempts: int
    lease_expires_at: datetime


@dataclass(frozen=True, slots=True)
class Claim:
    """This worker holds (digest, local date) until ``lease_expires_at`` (or it heartbeats)."""

    run_id: int
    digest_id: int
    local_date: date
    worker: str
    attempt: int

Outcome = Literal["tracked", "empty", "relogin", "quota", "unavailable"]

@dataclass(frozen=True, slots=True)
class MemberDay:
    """What one member's day looks like in the digest."""

    member: Member
    outcome: Outcome
    totals: Totals | None = None
    resets_at: datetime | None = None
