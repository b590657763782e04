"""The emulator's storage: Toggl's objects, its rules for changing them, and their JSON.

Validation happens before any mutation, so a refused request never leaves half its
changes behind. The v9 operations on top of it are in ``bot.emulator.v9``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import Clock, utcnow
from bot.emulator.model import (
    COLORS,
    FakeClient,
    FakeEntry,
    FakeProject,
    FakeTag,
    FakeUser,
    FakeWorkspace,
    Json,
    Refusal,
    _fmt,
    _int_or_none,
    _list,
    _second,
    _str_or_empty,
    _time,
    _uid,
)


class TogglStore:
    """Users, workspaces and their objects: seeding, introspection, Toggl's rules and JSON."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or utcnow
        # Handlers run on uvicorn's thread while tests seed and inspect from theirs.
        self._lock = threading.RLock()
        self._ids = itertools.count(1000)  # one counter: ids are unique across kinds
        self._users: dict[int, FakeUser] = {}
        self._by_token: dict[str, FakeUser] = {}
        self._workspaces: dict[int, FakeWorkspace] = {}
        self._clients: dict[int, FakeClient] = {}
        self._projects: dict[int, FakeProject] = {}
        self._tags: dict[int, FakeTag] = {}
        self._entries: dict[int, FakeEntry] = {}

    # -- seeding -------------------------------------------------------------------------

    def add_user(
        self,
        token: str,
        fullname: str = "Ada Lovelace",
        timezone: str = "Europe/Berlin",
        email: str | None = None,
        *,
        workspace: str | None = None,
    ) -> FakeUser:
        """A user with a default workspace (named ``workspace`` or after the user)."""
        ZoneInfo(timezone)  # fail early on a typo rather than in a handler
        with self._lock:
            if token in self._by_token:
                raise ValueError("a user with this token already exists")
            uid = next(self._ids)
            email = email or fullname.lower().replace(" ", ".") + "@example.com"
            user = FakeUser(uid, token, email, fullname, timezone, default_workspace_id=0)
            self._users[uid] = user
            self._by_token[token] = user
            first = fullname.split(" ")[0] if fullname else "My"
            user.default_workspace_id = self.add_workspace(
                user, workspace or f"{first}'s workspace"
            ).id
            return user

    def add_workspace(
        self, user: FakeUser | int, name: str, premium: bool = False
    ) -> FakeWorkspace:
        with self._lock:
            ws = FakeWorkspace(next(self._ids), name, premium, {_uid(user)})
            self._workspaces[ws.id] = ws
            return ws

    def add_member(self, wid: int, user: FakeUser | int) -> None:
        with self._lock:
            self._workspaces[wid].members.add(_uid(user))

    def add_client(self, wid: int, name: str, archived: bool = False) -> FakeClient:
        with self._lock:
            client = FakeClient(next(self._ids), wid, name, self._now(), archived)
            self._clients[client.id] = client
            return client

    def add_project(
        self,
        wid: int,
        name: str,
        client_id: int | None = None,
        active: bool = True,
        private: bool = False,
        billable: bool = False,
    ) -> FakeProject:
        with self._lock:
            pid = next(self._ids)
            color = COLORS[len(self._projects) % len(COLORS)]
            project = FakeProject(
                pid, wid, name, self._now(), client_id, active, private, billable, color
            )
            self._projects[pid] = project
            return project

    def add_tag(self, wid: int, name: str) -> FakeTag:
        with self._lock:
            tag = FakeTag(next(self._ids), wid, name, self._now())
            self._tags[tag.id] = tag
            return tag

    def add_entry(
        self,
        user: FakeUser | int,
        wid: int,
        description: str,
        start: datetime,
        stop: datetime | None = None,
        project_id: int | None = None,
        tags: Iterable[str] = (),
        billable: bool = False,
    ) -> FakeEntry:
        """An entry as given (``stop=None`` runs); unknown tag names are created."""
        with self._lock:
            named = [self._tag_named(wid, t) for t in tags]
            entry = FakeEntry(
                next(self._ids),
                wid,
                _uid(user),
                description,
                _second(start),
                self._now(),
                _second(stop) if stop else None,
                project_id,
                [t.id for t in named],
                [t.name for t in named],
                billable,
            )
            self._entries[entry.id] = entry
            return entry

    def stop_entry(self, entry_id: int, at: datetime | None = None) -> FakeEntry:
        """Stop an entry as another app would (no request is logged); default ``at``: now."""
        with self._lock:
            entry = self._entries[entry_id]
            entry.stop = max(_second(at or self._now()), entry.start)
            entry.at = self._now()
            return entry

    # -- introspection -------------------------------------------------------------------

    def user_ids(self) -> list[int]:
        """In creation order."""
        return list(self._users)

    def workspace_ids(self) -> list[int]:
        """In creation order; a user's default workspace comes right after the user."""
        return list(self._workspaces)

    def user(self, user_id: int) -> FakeUser:
        return self._users[user_id]

    def workspace(self, wid: int) -> FakeWorkspace:
        return self._workspaces[wid]

    def entries(self, user_id: int) -> list[FakeEntry]:
        """The user's entries, newest start first."""
        with self._lock:
            mine = [e for e in self._entries.values() if e.user_id == user_id]
        return sorted(mine, key=lambda e: e.start, reverse=True)

    def running(self, user_id: int) -> FakeEntry | None:
        return next((e for e in self.entries(user_id) if e.running), None)

    def clients(self, wid: int) -> list[FakeClient]:
        with self._lock:
            return [c for c in self._clients.values() if c.workspace_id == wid]

    def projects(self, wid: int) -> list[FakeProject]:
        with self._lock:
            return [p for p in self._projects.values() if p.workspace_id == wid]

    def tags(self, wid: int) -> list[FakeTag]:
        with self._lock:
            return [t for t in self._tags.values() if t.workspace_id == wid]

    def user_for_token(self, token: str) -> FakeUser | None:
        return self._by_token.get(token)

    # -- rules ---------------------------------------------------------------------------

    def _apply(self, entry: FakeEntry, body: Json) -> None:
        """Validate every field of a v9 entry update first, then change ``entry``."""
        description = entry.description
        if "description" in body:
            description = _str_or_empty(body["description"], "description")
        project_id = entry.project_id
        if "project_id" in body or "pid" in body:
            project_id = _int_or_none(body.get("project_id", body.get("pid")), "project_id")
            project = self._projects.get(project_id) if project_id is not None else None
            if project_id is not None and (
                project is None or project.workspace_id != entry.workspace_id or not project.active
            ):
                raise Refusal(400, "Invalid project_id")
        billable = bool(body["billable"]) if "billable" in body else entry.billable
        start = _time(body["start"], "start") if "start" in body else entry.start
        stop = entry.stop
        if body.get("stop") is not None:
            stop = _time(body["stop"], "stop")
            given = _int_or_none(body.get("duration"), "duration")
            if given is not None and given >= 0 and given != (stop - start).total_seconds():
                raise Refusal(400, "Stop and duration are inconsistent")
        elif "duration" in body:
            duration = _int_or_none(body["duration"], "duration")
            ends = duration is not None and duration >= 0
            stop = start + timedelta(seconds=duration or 0) if ends else None
        if stop is not None and stop < start:
            raise Refusal(400, "Stop time must be after start time")
        tag_ids = self._tag_ids(entry, body)

        if stop is None:  # one running entry per user: starting another stops the old one
            self._stop_running(entry.user_id, start, keep=entry.id)
        entry.description, entry.project_id, entry.billable = description, project_id, billable
        entry.start, entry.stop, entry.at = start, stop, self._now()
        entry.tag_ids, entry.tags = tag_ids, [self._tags[t].name for t in tag_ids]

    def _tag_ids(self, entry: FakeEntry, body: Json) -> list[int]:
        action = body.get("tag_action")
        if action not in (None, "", "add", "delete"):
            raise Refusal(400, "tag_action must be add or delete")
        given: list[int] = []
        if "tag_ids" in body:
            for raw in _list(body["tag_ids"] or []):
                tid = _int_or_none(raw, "tag_ids")
                tag = self._tags.get(tid) if tid is not None else None
                if tag is None or tag.workspace_id != entry.workspace_id:
                    raise Refusal(400, "Invalid tag_ids")
                given.append(tag.id)
        if "tags" in body:
            names = [_str_or_empty(n, "tags").strip() for n in _list(body["tags"] or [])]
            # Toggl creates tags it has not seen; only after validation, and only named ones.
            given += [self._tag_named(entry.workspace_id, n).id for n in names if n]
        if "tag_ids" not in body and "tags" not in body:
            return list(entry.tag_ids)
        if action == "add":
            return entry.tag_ids + [t for t in dict.fromkeys(given) if t not in entry.tag_ids]
        if action == "delete":
            return [t for t in entry.tag_ids if t not in given]
        return list(dict.fromkeys(given))

    def _stop_running(self, user_id: int, at: datetime, keep: int) -> None:
        for other in self._entries.values():
            if other.user_id == user_id and other.running and other.id != keep:
                other.stop, other.at = max(at, other.start), self._now()

    def _own_entry(self, user: FakeUser, wid: int, eid: int) -> FakeEntry:
        entry = self._entries.get(eid)
        if entry is None or entry.user_id != user.id or entry.workspace_id != wid:
            raise Refusal(404, "Time entry not found")
        return entry

    def _client(
        self, wid: int, cid: int, status: int = 404, message: str = "Client not found"
    ) -> FakeClient:
        client = self._clients.get(cid)
        if client is None or client.workspace_id != wid:
            raise Refusal(status, message)
        return client

    def _client_name(self, wid: int, name: Any, own_id: int | None) -> str:
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            raise Refusal(400, "Client name must be between 1 and 100 characters")
        clean: str = name.strip()
        if any(c.name.lower() == clean.lower() and c.id != own_id for c in self.clients(wid)):
            raise Refusal(400, f"client with the name '{clean}' already exists")
        return clean

    def _premium(self, wid: int) -> None:
        if not self._workspaces[wid].premium:
            raise Refusal(402, "This feature is available on premium plans")

    def _find_tag(self, wid: int, name: str) -> FakeTag | None:
        return next((t for t in self.tags(wid) if t.name.lower() == name.lower()), None)

    def _tag_named(self, wid: int, name: str) -> FakeTag:
        return self._find_tag(wid, name) or self.add_tag(wid, name)

    def _now(self) -> datetime:
        return self.clock().astimezone(UTC)

    # -- JSON ----------------------------------------------------------------------------

    def _entry_json(self, entry: FakeEntry, *, meta: bool = False) -> Json:
        tags = [self._tags[t] for t in entry.tag_ids if t in self._tags]
        data: Json = {
            "id": entry.id,
            "workspace_id": entry.workspace_id,
            "wid": entry.workspace_id,
            "project_id": entry.project_id,
            "pid": entry.project_id,
            "task_id": None,
            "tid": None,
            "billable": entry.billable,
            "start": _fmt(entry.start),
            "stop": _fmt(entry.stop) if entry.stop else None,
            "duration": entry.duration,
            "description": entry.description,
            "tags": [t.name for t in tags],
            "tag_ids": [t.id for t in tags],
            "duronly": True,
            "at": _fmt(entry.at),
            "server_deleted_at": None,
            "user_id": entry.user_id,
            "uid": entry.user_id,
        }
        if meta:
            project = self._projects.get(entry.project_id) if entry.project_id else None
            client = self._clients.get(project.client_id) if project and project.client_id else None
            data["project_name"] = project.name if project else None
            data["project_color"] = project.color if project else None
            data["project_active"] = project.active if project else None
            data["client_name"] = client.name if client else None
        return data

    @staticmethod
    def _workspace_json(ws: FakeWorkspace) -> Json:
        return {"id": ws.id, "name": ws.name, "premium": ws.premium}

    @staticmethod
    def _client_json(client: FakeClient) -> Json:
        return {
            "id": client.id,
            "wid": client.workspace_id,
            "name": client.name,
            "archived": client.archived,
            "at": _fmt(client.at),
        }

    @staticmethod
    def _project_json(p: FakeProject) -> Json:
        return {
            "id": p.id,
            "workspace_id": p.workspace_id,
            "wid": p.workspace_id,
            "client_id": p.client_id,
            "cid": p.client_id,
            "name": p.name,
            "active": p.active,
            "billable": p.billable,
            "color": p.color,
            "is_private": p.private,
            "at": _fmt(p.at),
        }

    @staticmethod
    def _tag_json(tag: FakeTag) -> Json:
        return {
            "id": tag.id,
            "workspace_id": tag.workspace_id,
            "name": tag.name,
            "at": _fmt(tag.at),
        }
