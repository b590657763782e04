"""The Toggl emulator's objects and value checks: what Toggl stores, and how it refuses.

Every check raises ``Refusal`` with the status and plain-text message Toggl answers with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

Json = dict[str, Any]
RECENT_DAYS = 9  # what GET /me/time_entries returns without a range, like Toggl
MAX_BULK_IDS = 100
ME_ENTRIES_DAYS = 90  # how far back GET /me/time_entries serves a range
PAGE_DEFAULT = 151  # what a list answers without per_page, like Toggl
PAGE_MAX = 200  # the largest per_page Toggl accepts
COLORS = ("#0b83d9", "#9e5bd9", "#d94182", "#e36a00", "#bf7000", "#2da608", "#06a893")
_PATCH_PATHS = frozenset(
    {
        "/description",
        "/project_id",
        "/tags",
        "/tag_ids",
        "/billable",
        "/start",
        "/stop",
        "/duration",
    }
)


class Refusal(Exception):
    """Toggl's answer instead of doing the thing: an HTTP status and its message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(slots=True)
class FakeUser:
    id: int
    token: str = field(repr=False)
    email: str
    fullname: str
    timezone: str
    default_workspace_id: int


@dataclass(slots=True)
class FakeWorkspace:
    id: int
    name: str
    premium: bool = False
    members: set[int] = field(default_factory=set)


@dataclass(slots=True)
class FakeClient:
    id: int
    workspace_id: int
    name: str
    at: datetime
    archived: bool = False


@dataclass(slots=True)
class FakeProject:
    id: int
    workspace_id: int
    name: str
    at: datetime
    client_id: int | None = None
    active: bool = True
    private: bool = False
    billable: bool = False
    color: str = COLORS[0]


@dataclass(slots=True)
class FakeTag:
    id: int
    workspace_id: int
    name: str
    at: datetime


@dataclass(slots=True)
class FakeEntry:
    id: int
    workspace_id: int
    user_id: int
    description: str
    start: datetime
    at: datetime
    stop: datetime | None = None
    project_id: int | None = None
    tag_ids: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # names of tag_ids, kept in step
    billable: bool = False

    @property
    def running(self) -> bool:
        return self.stop is None

    @property
    def duration(self) -> int:
        """Seconds; Toggl's running entries carry minus the start's epoch seconds."""
        if self.stop is None:
            return -int(self.start.timestamp())
        return int((self.stop - self.start).total_seconds())


def _uid(user: FakeUser | int) -> int:
    return user if isinstance(user, int) else user.id


def _second(when: datetime) -> datetime:
    """Toggl keeps whole seconds, in UTC."""
    if when.tzinfo is None:
        raise ValueError("datetimes given to the fake must be aware")
    return when.astimezone(UTC).replace(microsecond=0)


def _fmt(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _time(value: Any, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise Refusal(400, f"{name}: invalid RFC3339 time") from None
    if parsed.tzinfo is None:
        raise Refusal(400, f"{name}: time zone offset required")
    return _second(parsed)


def _bound(value: str, user: FakeUser) -> datetime:
    """A range bound: RFC3339, or a date meaning midnight in the user's time zone."""
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is not None:
        return datetime.combine(day, time(), ZoneInfo(user.timezone)).astimezone(UTC)
    return _time(value, "start_date/end_date")


def _page(items: list[Any], query: dict[str, str]) -> list[Any]:
    """One page of a list: ``page`` counts from 1, ``per_page`` up to ``PAGE_MAX``."""
    try:
        page = int(query.get("page", "1"))
        per_page = int(query.get("per_page", str(PAGE_DEFAULT)))
    except ValueError:
        raise Refusal(400, "page and per_page must be integers") from None
    if page < 1 or not 1 <= per_page <= PAGE_MAX:
        raise Refusal(400, f"page must be at least 1 and per_page between 1 and {PAGE_MAX}")
    return items[(page - 1) * per_page : page * per_page]


def _object(body: Any) -> Json:
    if not isinstance(body, dict):
        raise Refusal(400, "JSON is not valid")
    return body


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Refusal(400, "JSON is not valid")
    return value


def _int_or_none(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refusal(400, f"{name}: must be an integer")
    return value


def _str_or_empty(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refusal(400, f"{name}: must be a string")
    return value


def _patch_op(op: Any) -> Json:
    """One JSON-patch operation as the equivalent PUT body."""
    op = _object(op)
    kind, path = op.get("op"), op.get("path")
    if kind not in ("add", "remove", "replace") or path not in _PATCH_PATHS:
        raise Refusal(400, f"Unsupported patch operation {kind!r} on {path!r}")
    field_name: str = path[1:]
    value = op.get("value")
    if field_name in ("tags", "tag_ids"):
        if kind == "replace":
            return {field_name: value or []}
        if kind == "remove" and value is None:
            return {field_name: []}
        return {field_name: value or [], "tag_action": "add" if kind == "add" else "delete"}
    if kind == "remove":
        value = {"description": "", "billable": False}.get(field_name)
        if field_name in ("start", "stop", "duration"):
            raise Refusal(400, f"{field_name} cannot be removed")
    elif "value" not in op:
        raise Refusal(400, f"{kind} needs a value")
    return {field_name: value}
