"""The in-memory Toggl Track behind the fake server: objects, rules and v9 JSON, no HTTP.

Every operation either returns the JSON Toggl would send or raises ``Refusal`` with the
status and plain-text message Toggl would answer with. Validation happens before any
mutation, so a refused request never leaves half its changes behind.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

Json = dict[str, Any]
Clock = Callable[[], datetime]

RECENT_DAYS = 9  # what GET /me/time_entries returns without a range, like Toggl
MAX_BULK_IDS = 100
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


def _utc_now() -> datetime:
    return datetime.now(UTC)


class TogglState:
    """Users, workspaces and their objects; seeding, introspection and the v9 operations."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or _utc_now
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

    # -- v9 operations (called with the lock held by the server) --------------------------

    def check_member(self, user: FakeUser, wid: int) -> FakeWorkspace:
        ws = self._workspaces.get(wid)
        if ws is None or user.id not in ws.members:
            raise Refusal(403, "forbidden")
        return ws

    def api_me(self, user: FakeUser, related: bool) -> Json:
        data: Json = {
            "id": user.id,
            "email": user.email,
            "fullname": user.fullname,
            "timezone": user.timezone,
            "default_workspace_id": user.default_workspace_id,
            "beginning_of_week": 1,
            "api_token": "<fake: real token not echoed>",
            "at": _fmt(self._now()),
        }
        if related:
            wids = {w.id for w in self.my_workspaces(user)}
            data["workspaces"] = [self._workspace_json(w) for w in self.my_workspaces(user)]
            data["clients"] = [
                self._client_json(c) for c in self._clients.values() if c.workspace_id in wids
            ]
            data["projects"] = [
                self._project_json(p) for p in self._projects.values() if p.workspace_id in wids
            ]
            data["tags"] = [
                self._tag_json(t) for t in self._tags.values() if t.workspace_id in wids
            ]
            data["time_entries"] = self.api_entries(user, None, None, meta=False)
        return data

    def my_workspaces(self, user: FakeUser) -> list[FakeWorkspace]:
        return [w for w in self._workspaces.values() if user.id in w.members]

    def workspace_json(self, ws: FakeWorkspace) -> Json:
        return self._workspace_json(ws)

    def api_entries(
        self, user: FakeUser, start_date: str | None, end_date: str | None, *, meta: bool
    ) -> list[Json]:
        if start_date is None and end_date is None:
            low, high = self._now() - timedelta(days=RECENT_DAYS), None
        elif start_date is None or end_date is None:
            raise Refusal(400, "start_date and end_date must both be given")
        else:
            low, high = _bound(start_date, user), _bound(end_date, user)
            if high <= low:
                raise Refusal(400, "end_date must be after start_date")
        found = [
            e for e in self.entries(user.id) if e.start >= low and (high is None or e.start < high)
        ]
        return [self._entry_json(e, meta=meta) for e in found]

    def api_current(self, user: FakeUser) -> Json | None:
        entry = self.running(user.id)
        return self._entry_json(entry) if entry else None

    def api_entry(self, user: FakeUser, eid: int) -> Json:
        entry = self._entries.get(eid)
        if entry is None or entry.user_id != user.id:
            raise Refusal(404, "Time entry not found")
        return self._entry_json(entry)

    def api_create_entry(self, user: FakeUser, wid: int, body: Any) -> Json:
        body = _object(body)
        if not isinstance(body.get("created_with"), str) or not body["created_with"].strip():
            raise Refusal(400, "created_with needs to be provided a valid value")
        if _int_or_none(body.get("workspace_id", body.get("wid")), "workspace_id") != wid:
            raise Refusal(400, "workspace_id must be given and match the workspace in the URL")
        if "start" not in body:
            raise Refusal(400, "start: cannot be blank")
        start = _time(body["start"], "start")
        entry = FakeEntry(next(self._ids), wid, user.id, "", start, self._now(), stop=start)
        # Toggl: negative duration runs; a stop or a positive duration ends it; neither -> 0 s.
        values = {k: v for k, v in body.items() if k not in ("start", "workspace_id", "wid")}
        values.setdefault("duration", 0 if "stop" not in body else None)
        if values["duration"] is None:
            del values["duration"]
        self._apply(entry, values)
        self._entries[entry.id] = entry
        return self._entry_json(entry)

    def api_stop_entry(self, user: FakeUser, wid: int, eid: int) -> Json:
        entry = self._own_entry(user, wid, eid)
        if not entry.running:
            raise Refusal(409, "Time entry is already stopped")
        return self._entry_json(self.stop_entry(entry.id))

    def api_update_entry(self, user: FakeUser, wid: int, eid: int, body: Any) -> Json:
        entry = self._own_entry(user, wid, eid)
        body = _object(body)
        if body.get("workspace_id", wid) != wid:
            raise Refusal(400, "Moving entries between workspaces is not supported")
        self._apply(entry, body)
        return self._entry_json(entry)

    def api_delete_entry(self, user: FakeUser, wid: int, eid: int) -> None:
        del self._entries[self._own_entry(user, wid, eid).id]

    def api_patch_entries(self, user: FakeUser, wid: int, ids: str, ops: Any) -> Json:
        try:
            wanted = [int(i) for i in ids.split(",") if i]
        except ValueError:
            raise Refusal(400, "Invalid time entry ids") from None
        if not wanted or len(wanted) > MAX_BULK_IDS:
            raise Refusal(400, f"Between 1 and {MAX_BULK_IDS} time entry ids are allowed")
        changes = [_patch_op(op) for op in _list(ops)]
        success: list[int] = []
        failure: list[Json] = []
        for eid in wanted:
            try:
                entry = self._own_entry(user, wid, eid)
                # A trial copy keeps an entry untouched when one of its ops is refused.
                trial = replace(entry, tag_ids=list(entry.tag_ids), tags=list(entry.tags))
                for change in changes:
                    self._apply(trial, change)
                for f in fields(FakeEntry):
                    setattr(entry, f.name, getattr(trial, f.name))
                success.append(eid)
            except Refusal as refusal:
                failure.append({"id": eid, "message": refusal.message})
        return {"success": success, "failure": failure}

    def api_clients(self, wid: int, status: str, name: str | None) -> list[Json] | None:
        if status not in ("active", "archived", "both"):
            raise Refusal(400, "status must be one of active, archived, both")
        found = [
            c for c in self.clients(wid) if status == "both" or c.archived == (status == "archived")
        ]
        if name:
            found = [c for c in found if name.lower() in c.name.lower()]
        # Toggl sends null, not [], when nothing matches.
        return [self._client_json(c) for c in sorted(found, key=lambda c: c.name.lower())] or None

    def api_create_client(self, wid: int, body: Any) -> Json:
        name = self._client_name(wid, _object(body).get("name"), None)
        return self._client_json(self.add_client(wid, name))

    def api_update_client(self, wid: int, cid: int, body: Any) -> Json:
        client = self._client(wid, cid)
        client.name = self._client_name(wid, _object(body).get("name"), cid)
        client.at = self._now()
        return self._client_json(client)

    def api_delete_client(self, wid: int, cid: int) -> None:
        client = self._client(wid, cid)
        for project in self.projects(wid):
            if project.client_id == client.id:
                project.client_id = None  # Toggl keeps the projects, without a client
        del self._clients[client.id]

    def api_archive_client(self, wid: int, cid: int) -> list[int]:
        self._premium(wid)
        client = self._client(wid, cid)
        client.archived, client.at = True, self._now()
        archived = [p for p in self.projects(wid) if p.client_id == cid and p.active]
        for project in archived:
            project.active = False
        return [p.id for p in archived]

    def api_restore_client(self, wid: int, cid: int, body: Any) -> Json:
        self._premium(wid)
        client = self._client(wid, cid)
        body = _object(body)
        mine = {p.id: p for p in self.projects(wid) if p.client_id == cid}
        if body.get("restore_all_projects"):
            chosen = list(mine.values())
        else:
            ids = [_int_or_none(i, "projects") for i in _list(body.get("projects") or [])]
            if any(i not in mine for i in ids):
                raise Refusal(400, "projects must belong to the client")
            chosen = [mine[i] for i in ids if i is not None]
        client.archived, client.at = False, self._now()
        for project in chosen:
            project.active = True
        return self._client_json(client)

    def api_projects(self, wid: int, active: str) -> list[Json]:
        if active not in ("true", "false", "both"):
            raise Refusal(400, "active must be true, false or both")
        found = [
            p for p in self.projects(wid) if active == "both" or p.active == (active == "true")
        ]
        return [self._project_json(p) for p in sorted(found, key=lambda p: p.name.lower())]

    def api_create_project(self, wid: int, body: Any) -> Json:
        body = _object(body)
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 255:
            raise Refusal(400, "Project name must be between 1 and 255 characters")
        if any(p.name.lower() == name.strip().lower() for p in self.projects(wid)):
            raise Refusal(400, "Name has already been taken")
        client_id = _int_or_none(body.get("client_id", body.get("cid")), "client_id")
        if client_id is not None:
            self._client(wid, client_id, status=400, message="Invalid client_id")
        project = self.add_project(
            wid,
            name.strip(),
            client_id,
            active=bool(body.get("active", True)),
            private=bool(body.get("is_private", True)),  # Toggl's API default is private
            billable=bool(body.get("billable", False)),
        )
        if isinstance(body.get("color"), str):
            project.color = body["color"]
        return self._project_json(project)

    def api_tags(self, wid: int) -> list[Json]:
        return [self._tag_json(t) for t in sorted(self.tags(wid), key=lambda t: t.name.lower())]

    def api_create_tag(self, wid: int, body: Any) -> Json:
        name = _object(body).get("name")
        if not isinstance(name, str) or not name.strip():
            raise Refusal(400, "Tag name must not be empty")
        if self._find_tag(wid, name.strip()) is not None:
            raise Refusal(400, "Tag already exists")
        return self._tag_json(self.add_tag(wid, name.strip()))

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


# -- value checks --------------------------------------------------------------------------


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
