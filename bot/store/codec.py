"""Explicit JSON (de)serialisation of the domain objects kept in JSON columns.

Hand-written rather than reflective so a renamed domain field is a visible change here
and old rows keep loading. Datetimes are ISO-8601 strings; tuples become lists.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.domain import Catalog, Client, Project, Tag, TimeEntry

JsonObject = dict[str, Any]


def _dt_to_json(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt_from_json(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def entry_to_json(entry: TimeEntry | None) -> JsonObject | None:
    if entry is None:
        return None
    return {
        "id": entry.id,
        "workspace_id": entry.workspace_id,
        "description": entry.description,
        "start": _dt_to_json(entry.start),
        "stop": _dt_to_json(entry.stop),
        "project_id": entry.project_id,
        "tags": list(entry.tags),
        "billable": entry.billable,
    }


def entry_from_json(data: Mapping[str, Any] | None) -> TimeEntry | None:
    if data is None:
        return None
    start = _dt_from_json(data["start"])
    if start is None:
        raise ValueError("stored time entry has no start")
    return TimeEntry(
        id=int(data["id"]),
        workspace_id=int(data["workspace_id"]),
        description=str(data.get("description", "")),
        start=start,
        stop=_dt_from_json(data.get("stop")),
        project_id=_opt_int(data.get("project_id")),
        tags=tuple(str(t) for t in data.get("tags", ())),
        billable=bool(data.get("billable", False)),
    )


def project_to_json(project: Project) -> JsonObject:
    return {
        "id": project.id,
        "workspace_id": project.workspace_id,
        "name": project.name,
        "client_id": project.client_id,
        "active": project.active,
        "billable": project.billable,
    }


def project_from_json(data: Mapping[str, Any]) -> Project:
    return Project(
        id=int(data["id"]),
        workspace_id=int(data["workspace_id"]),
        name=str(data["name"]),
        client_id=_opt_int(data.get("client_id")),
        active=bool(data.get("active", True)),
        billable=bool(data.get("billable", False)),
    )


def client_to_json(client: Client) -> JsonObject:
    return {
        "id": client.id,
        "workspace_id": client.workspace_id,
        "name": client.name,
        "archived": client.archived,
    }


def client_from_json(data: Mapping[str, Any]) -> Client:
    return Client(
        id=int(data["id"]),
        workspace_id=int(data["workspace_id"]),
        name=str(data["name"]),
        archived=bool(data.get("archived", False)),
    )


def tag_to_json(tag: Tag) -> JsonObject:
    return {"id": tag.id, "workspace_id": tag.workspace_id, "name": tag.name}


def tag_from_json(data: Mapping[str, Any]) -> Tag:
    return Tag(id=int(data["id"]), workspace_id=int(data["workspace_id"]), name=str(data["name"]))


def catalog_columns(catalog: Catalog) -> JsonObject:
    """The workspace_cache column values for a catalog (without the key columns)."""
    return {
        "projects": [project_to_json(p) for p in catalog.projects],
        "clients": [client_to_json(c) for c in catalog.clients],
        "tags": [tag_to_json(t) for t in catalog.tags],
        "fetched_at": catalog.fetched_at,
    }


def catalog_from_columns(
    workspace_id: int,
    fetched_at: datetime,
    projects: list[Mapping[str, Any]],
    clients: list[Mapping[str, Any]],
    tags: list[Mapping[str, Any]],
) -> Catalog:
    return Catalog(
        workspace_id=workspace_id,
        fetched_at=fetched_at,
        projects=tuple(project_from_json(p) for p in projects),
        clients=tuple(client_from_json(c) for c in clients),
        tags=tuple(tag_from_json(t) for t in tags),
    )
