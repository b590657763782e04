"""Toggl's wire format, both ways: JSON -> domain objects, domain changes -> JSON.

Only ``bot.toggl`` imports this module; unknown fields are ignored (including api_token).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.domain import (
    BulkResult,
    Catalog,
    Client,
    EntryChanges,
    ListedEntry,
    MeWithRelated,
    Project,
    ProjectTime,
    Tag,
    TimeEntry,
    TogglProfile,
)

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


def listed_entry(data: Json) -> ListedEntry:
    """An entry of ``GET /me/time_entries?meta=true``, names included."""
    project_name, client_name = data.get("project_name"), data.get("client_name")
    return ListedEntry(
        entry(data),
        str(project_name) if project_name else None,
        str(client_name) if client_name else None,
    )


def me(data: Json, now: datetime) -> MeWithRelated:
    """``GET /me?with_related_data=true``: the profile and a catalog per workspace."""
    found = profile(data)
    workspace_ids = {found.default_workspace_id} | {
        int(w["id"]) for w in items(data.get("workspaces"))
    }
    projects = [project(p) for p in items(data.get("projects"))]
    clients = [client(c) for c in items(data.get("clients"))]
    tags = [tag(t) for t in items(data.get("tags"))]
    catalogs = {
        wid: Catalog(
            workspace_id=wid,
            fetched_at=now,
            projects=tuple(p for p in projects if p.workspace_id == wid),
            clients=tuple(c for c in clients if c.workspace_id == wid),
            tags=tuple(t for t in tags if t.workspace_id == wid),
        )
        for wid in workspace_ids
    }
    entries = [entry(e) for e in items(data.get("time_entries"))]
    return MeWithRelated(found, catalogs, entries)


SUMMARY_BY_PROJECT = {
    "grouping": "projects", "sub_grouping": "time_entries", "include_time_entry_ids": True,
}


def report_range(first: date, last: date, user_id: int) -> dict[str, Any]:
    """A Reports v3 body's dates (local, both included) and the person's own user id."""
    return {"start_date": first.isoformat(), "end_date": last.isoformat(),
            "user_ids": [user_id]}


def report_rows(data: Any, workspace_id: int) -> list[ListedEntry]:
    """Detailed report rows: one row per description/project/tags, its entries inside."""
    found = []
    for row in items(data):
        project_id = _optional_int(row.get("project_id"))
        tag_ids = tuple(int(t) for t in row.get("tag_ids") or ())
        for te in items(row.get("time_entries")):
            start = parse_time(te["start"])
            stop = parse_time(te["stop"]) if te.get("stop") else None
            if stop is None and te.get("seconds") is not None and int(te["seconds"]) >= 0:
                stop = start + timedelta(seconds=int(te["seconds"]))
            entry = TimeEntry(
                id=int(te["id"]), workspace_id=workspace_id,
                description=str(row.get("description") or ""), start=start, stop=stop,
                project_id=project_id, billable=bool(row.get("billable")),
            )
            found.append(ListedEntry(entry, tag_ids=tag_ids))
    return found


def next_page(headers: Mapping[str, str]) -> dict[str, int] | None:
    """The body fields of the next Detailed report page, or None on the last one."""
    lower = {k.lower(): v for k, v in headers.items()}
    row, first_id = lower.get("x-next-row-number"), lower.get("x-next-id")
    if not row or not first_id:
        return None
    return {"first_row_number": int(row), "first_id": int(first_id)}


def project_times(data: Any) -> list[ProjectTime]:
    """A Summary report grouped by project: seconds and entry count per project."""
    groups = data.get("groups") if isinstance(data, Mapping) else None
    found = []
    for group in items(groups):
        subs = items(group.get("sub_groups"))
        found.append(ProjectTime(
            _optional_int(group.get("id")),
            sum(int(s.get("seconds") or 0) for s in subs),
            sum(len(s.get("ids") or ()) for s in subs),
        ))
    return found


def related_counts(data: Json) -> dict[str, int]:
    """How many clients, projects and tags ``/me?with_related_data`` listed."""
    return {kind: len(items(data.get(kind))) for kind in ("clients", "projects", "tags")}


def changes_json(changes: EntryChanges) -> dict[str, Any]:
    """A PUT body with only the fields that change; ``tag_action`` adds or deletes tags."""
    body: dict[str, Any] = {}
    if changes.description is not None:
        body["description"] = changes.description
    if changes.clear_project:
        body["project_id"] = None
    elif changes.project_id is not None:
        body["project_id"] = changes.project_id
    if changes.tags is not None:
        body["tags"] = list(changes.tags)
    elif changes.add_tags:
        body.update(tags=list(changes.add_tags), tag_action="add")
    elif changes.remove_tags:
        body.update(tags=list(changes.remove_tags), tag_action="delete")
    if changes.billable is not None:
        body["billable"] = changes.billable
    if changes.start is not None:
        body["start"] = format_time(changes.start)
    if changes.start is not None and changes.stop is not None:
        body["stop"] = format_time(changes.stop)
        body["duration"] = seconds_between(changes.start, changes.stop)
    return body


def seconds_between(start: datetime, stop: datetime) -> int:
    """Elapsed seconds between two instants; UTC first, so a clock change can't skew it."""
    return int((stop.astimezone(UTC) - start.astimezone(UTC)).total_seconds())


def retag_operations(add: Sequence[str], remove: Sequence[str]) -> list[dict[str, Any]]:
    """JSON-patch operations of a bulk tag change."""
    operations: list[dict[str, Any]] = []
    if add:
        operations.append({"op": "add", "path": "/tags", "value": list(add)})
    if remove:
        operations.append({"op": "remove", "path": "/tags", "value": list(remove)})
    return operations


def bulk_result(data: Any) -> BulkResult:
    data = data if isinstance(data, Mapping) else {}
    failure = tuple(
        (int(f.get("id", 0)), str(f.get("message", ""))) for f in items(data.get("failure"))
    )
    return BulkResult(tuple(int(i) for i in data.get("success") or ()), failure)


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
