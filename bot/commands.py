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
class RenameClient:
    name: str
    new_name: str


@dataclass(frozen=True, slots=True)
class ArchiveClient:
    name: str


@dataclass(frozen=True, slots=True)
class RestoreClient:
    name: str
    with_projects: bool = False  # also restore every project of the client


@dataclass(frozen=True, slots=True)
class DeleteClient:
    """Without ``confirm``: ask. With it: ``name`` is the client id the button carries."""

    name: str
    confirm: str = ""


@dataclass(frozen=True, slots=True)
class AddProject:
    name: str
    client: str | None = None


@dataclass(frozen=True, slots=True)
class ListTags:
    pass


@dataclass(frozen=True, slots=True)
class AddTag:
    name: str


@dataclass(frozen=True, slots=True)
class ListEntries:
    period: Period = Period("today")


@dataclass(frozen=True, slots=True)
class EditEntry:
    """``ref`` is ``last``, a full Toggl id or the short id shown by ``entries``.

    ``None`` means "leave as it is"; ``project == ""`` removes the project.
    """

    ref: str
    description: str | None = None
    project: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    start: time | None = None
    stop: time | None = None
    billable: bool | None = None


@dataclass(frozen=True, slots=True)
class DeleteEntry:
    ref: str
    confirm: str = ""


@dataclass(frozen=True, slots=True)
class AddEntry:
    """A finished entry on ``day``, or ``days_ago`` days before today in the person's zone."""

    description: str
    start: time
    stop: time
    day: date | None = None
    days_ago: int = 0
    project: str | None = None
    tags: tuple[str, ...] = ()
    billable: bool = False


@dataclass(frozen=True, slots=True)
class TagEntries:
    """Bulk tag edit of the entries named by ``refs``, or of every entry in ``period``."""

    refs: tuple[str, ...] = ()
    period: Period | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


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
    | RenameClient
    | ArchiveClient
    | RestoreClient
    | DeleteClient
    | AddProject
    | ListTags
    | AddTag
    | ListEntries
    | EditEntry
    | DeleteEntry
    | AddEntry
    | TagEntries
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
