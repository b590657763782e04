"""Typed commands: what a person asked for, parsed and validated, nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Literal

from pydantic import SecretStr

Status = Literal["active", "archived", "both"]
PeriodName = Literal["today", "yesterday", "week", "last week", "month", "range"]


@dataclass(frozen=True, slots=True)
class Period:
    """A summary range; named periods are resolved in the user's time zone at run time."""

    name: PeriodName
    first: date | None = None  # set for "range": inclusive days
    last: date | None = None


@dataclass(frozen=True, slots=True)
class Login:
    token: SecretStr | None = field(default=None, repr=False)  # None: ask privately


@dataclass(frozen=True, slots=True)
class Logout:
    pass


@dataclass(frozen=True, slots=True)
class Start:
    description: str = ""
    project: str | None = None
    tags: tuple[str, ...] = ()
    billable: bool = False


@dataclass(frozen=True, slots=True)
class Stop:
    pass


@dataclass(frozen=True, slots=True)
class Current:
    pass


@dataclass(frozen=True, slots=True)
class Continue:
    pass


@dataclass(frozen=True, slots=True)
class AddClient:
    name: str


@dataclass(frozen=True, slots=True)
class ListClients:
    status: Status = "active"
    name_filter: str = ""


@dataclass(frozen=True, slots=True)
class ListProjects:
    status: Status = "active"


@dataclass(frozen=True, slots=True)
class Summary:
    period: Period = Period("today")


@dataclass(frozen=True, slots=True)
class QuotaStatus:
    pass


@dataclass(frozen=True, slots=True)
class Refresh:
    pass


@dataclass(frozen=True, slots=True)
class Overview:
    """Not typed by people: the status panel (Slack App Home, Discord status)."""


@dataclass(frozen=True, slots=True)
class Help:
    topic: str = ""


@dataclass(frozen=True, slots=True)
class DigestAt:
    """Subscribe the channel; ``timezone`` None means the person's Toggl time zone."""

    at: time
    timezone: str | None = None
    weekdays_only: bool = False


@dataclass(frozen=True, slots=True)
class DigestJoin:
    pass


@dataclass(frozen=True, slots=True)
class DigestLeave:
    pass


@dataclass(frozen=True, slots=True)
class DigestShow:
    pass


@dataclass(frozen=True, slots=True)
class DigestOff:
    pass


Command = (
    Login
    | Logout
    | Start
    | Stop
    | Current
    | Continue
    | AddClient
    | ListClients
    | ListProjects
    | Summary
    | QuotaStatus
    | Refresh
    | Overview
    | Help
    | DigestAt
    | DigestJoin
    | DigestLeave
    | DigestShow
    | DigestOff
)
