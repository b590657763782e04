"""Toggl v9 JSON -> our domain objects. Unknown fields are ignored (including api_token)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.domain import Client, Project, Tag, TimeEntry, TogglProfile

Json = Mapping[str, Any]


def parse_time(value: str) -> datetime:
    """Toggl timestamps are RFC 3339; we keep them aware, in UTC."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry(data: Json) -> TimeEntry:
    stop = data.get("stop")
    return TimeEntry(
        id=int(data["id"]),
        workspace_id=int(data.get("workspace_id") or data["wid"]),
        description=str(data.get("description") or ""),
        start=parse_time(data["start"]),
        stop=parse_time(stop) if stop else None,
        project_id=_optional_int(data.get("project_id", data.get("pid"))),
        tags=tuple(str(t) for t in data.get("tags") or ()),
        billable=bool(data.get("billable")),
    )


def entry_tags(data: Json) -> tuple[Tag, ...]:
    """The entry's tags as objects: Toggl sends names and ids side by side."""
    names, ids = data.get("tags") or (), data.get("tag_ids") or ()
    if len(names) != len(ids):
        return ()
    wid = int(data.get("workspace_id") or data["wid"])
    return tuple(Tag(int(i), wid, str(n)) for n, i in zip(names, ids, strict=True))


def project(data: Json) -> Project:
    return Project(
        id=int(data["id"]),
        workspace_id=int(data.get("workspace_id") or data["wid"]),
        name=str(data["name"]),
        client_id=_optional_int(data.get("client_id", data.get("cid"))),
        active=bool(data.get("active", True)),
        billable=bool(data.get("billable")),
    )


def client(data: Json) -> Client:
    return Client(
        id=int(data["id"]),
        workspace_id=int(data.get("wid") or data["workspace_id"]),
        name=str(data["name"]),
        archived=bool(data.get("archived")),
    )


def tag(data: Json) -> Tag:
    return Tag(
        id=int(data["id"]),
        workspace_id=int(data.get("workspace_id") or data["wid"]),
        name=str(data["name"]),
    )


def profile(data: Json) -> TogglProfile:
    return TogglProfile(
        id=int(data["id"]),
        fullname=str(data.get("fullname") or data.get("email") or ""),
        timezone=str(data.get("timezone") or "UTC"),
        default_workspace_id=int(data["default_workspace_id"]),
    )


def items(data: Any) -> list[Json]:
    """Toggl answers an empty list as ``null`` on several endpoints."""
    if data is None:
        return []
    if isinstance(data, list):
        return [d for d in data if isinstance(d, Mapping)]
    if isinstance(data, Mapping) and isinstance(data.get("items"), list):
        return [d for d in data["items"] if isinstance(d, Mapping)]
    raise ValueError("expected a list")


def _optional_int(value: Any) -> int | None:
    return int(value) if value is not None else None
