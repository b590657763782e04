"""The v9 operations of the emulator: each returns the JSON Toggl would send, or raises
``Refusal`` with the status and plain-text message Toggl would answer with. No HTTP here.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import timedelta
from typing import Any

from bot.emulator.model import (
    MAX_BULK_IDS,
    ME_ENTRIES_DAYS,
    PAGE_DEFAULT,
    RECENT_DAYS,
    FakeEntry,
    FakeUser,
    FakeWorkspace,
    Json,
    Refusal,
    _bound,
    _fmt,
    _int_or_none,
    _list,
    _object,
    _page,
    _patch_op,
    _time,
)
from bot.emulator.state import TogglStore


class TogglState(TogglStore):
    """Toggl Track v9 as operations on the store (called with the lock held by the server)."""

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
            # Related lists stop at a default page, like any unpaged list.
            data["clients"] = [
                self._client_json(c) for c in self._clients.values() if c.workspace_id in wids
            ][:PAGE_DEFAULT]
            data["projects"] = [
                self._project_json(p) for p in self._projects.values() if p.workspace_id in wids
            ][:PAGE_DEFAULT]
            data["tags"] = [
                self._tag_json(t) for t in self._tags.values() if t.workspace_id in wids
            ][:PAGE_DEFAULT]
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
            reach = self._now() - timedelta(days=ME_ENTRIES_DAYS)
            if low < reach:  # Toggl's staff: past ~3 months, use the Reports API
                raise Refusal(400, f"start_date must not be earlier than {reach.date()}")
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

    def api_clients(
        self, wid: int, status: str, name: str | None, query: dict[str, str]
    ) -> list[Json] | None:
        if status not in ("active", "archived", "both"):
            raise Refusal(400, "status must be one of active, archived, both")
        found = [
            c for c in self.clients(wid) if status == "both" or c.archived == (status == "archived")
        ]
        if name:
            found = [c for c in found if name.lower() in c.name.lower()]
        # Toggl sends null, not [], when nothing matches.
        found = _page(sorted(found, key=lambda c: c.name.lower()), query)
        return [self._client_json(c) for c in found] or None

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

    def api_projects(self, wid: int, active: str, query: dict[str, str]) -> list[Json]:
        if active not in ("true", "false", "both"):
            raise Refusal(400, "active must be true, false or both")
        found = [
            p for p in self.projects(wid) if active == "both" or p.active == (active == "true")
        ]
        found = _page(sorted(found, key=lambda p: p.name.lower()), query)
        return [self._project_json(p) for p in found]

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

    def api_tags(self, wid: int, query: dict[str, str]) -> list[Json]:
        found = _page(sorted(self.tags(wid), key=lambda t: t.name.lower()), query)
        return [self._tag_json(t) for t in found]

    def api_create_tag(self, wid: int, body: Any) -> Json:
        name = _object(body).get("name")
        if not isinstance(name, str) or not name.strip():
            raise Refusal(400, "Tag name must not be empty")
        if self._find_tag(wid, name.strip()) is not None:
            raise Refusal(400, "Tag already exists")
        return self._tag_json(self.add_tag(wid, name.strip()))
