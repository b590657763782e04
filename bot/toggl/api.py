"""The Toggl Track v9 endpoints togglbot uses, as one user sees them.

``TogglSession`` implements the ``bot.ports.Toggl`` port: it speaks Toggl's JSON (through
``bot.toggl.parse``) and hands out domain objects only. Each method is one request unless
its docstring says otherwise, so the call budget of a command can be read off its handler.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import SecretStr

from bot.clock import Clock
from bot.domain import (
    BulkResult,
    Catalog,
    Client,
    EntryChanges,
    ListedEntry,
    MeWithRelated,
    Project,
    Quota,
    QuotaBucket,
    SavedEntry,
    Scope,
    Tag,
    TimeEntry,
    Timesheet,
    bucket_of,
)
from bot.errors import QuotaExhausted, RateLimited
from bot.pacing import Pacer
from bot.ports import MAX_BULK_IDS, ListStatus
from bot.toggl import parse, reports
from bot.toggl.transport import Transport

CREATED_WITH = "togglbot"
PER_PAGE = 200  # the most Toggl sends in one page of a list
RELATED_CUT = 151  # /me?with_related_data lists stop here, like an unpaged list
TOGGL_PACE = 1.0  # seconds between requests per token: Toggl's leaky bucket
MAX_PACE_WAIT = 2.0  # wait this long for a turn; past it, say "try again" instead


@dataclass(slots=True)
class TogglSession:
    """The API bound to one user's token, guarded by (and updating) their quota ledger.

    ``quotas`` starts as what we knew and ends as the newest reading Toggl sent per quota;
    a request whose quota is known to be spent is refused here, without calling Toggl.
    """

    transport: Transport
    token: SecretStr = field(repr=False)
    clock: Clock
    quotas: dict[QuotaBucket, Quota] = field(default_factory=dict)
    calls: int = 0
    pacer: Pacer | None = field(default=None, repr=False)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        bucket = bucket_of(path)
        known = self.quotas.get(bucket)
        if known is not None and known.exhausted(self.clock()):
            raise QuotaExhausted(known.resets_at)
        if self.pacer is not None:
            # About one request a second per token, as Toggl allows: wait, don't refuse.
            key = _pace_key(self.token)
            if not await self.pacer.wait(key, at_most=MAX_PACE_WAIT):
                raise RateLimited(self.pacer.next_turn_in(key))
        self.calls += 1

        def note(quota: Quota) -> None:
            self.quotas[bucket] = quota

        return await self.transport.request(self.token, method, path, on_quota=note, **kwargs)

    async def me(self) -> MeWithRelated:
        data = await self._call("GET", "/me", params={"with_related_data": "true"})
        found = parse.me(data, self.clock())
        cut = [kind for kind, count in parse.related_counts(data).items() if count >= RELATED_CUT]
        for kind in cut:  # a big account: that list may be cut, so page through it
            for wid, catalog in list(found.catalogs.items()):
                found.catalogs[wid] = await self._complete(catalog, kind)
        return found

    async def _complete(self, catalog: Catalog, kind: str) -> Catalog:
        wid = catalog.workspace_id
        if kind == "projects":
            return replace(catalog, projects=tuple(await self.projects(wid, "both")))
        if kind == "clients":
            return replace(catalog, clients=tuple(await self.clients(wid, "both")))
        return replace(catalog, tags=tuple(await self.tags(wid)))

    async def _pages(self, path: str, params: dict[str, str] | None = None) -> list[parse.Json]:
        """Every page of a list: one request per ``PER_PAGE`` items (a short page ends it)."""
        found: list[parse.Json] = []
        page = 1
        while True:
            query = {**(params or {}), "page": str(page), "per_page": str(PER_PAGE)}
            items = parse.items(await self._call("GET", path, params=query))
            found += items
            if len(items) < PER_PAGE:
                return found
            page += 1

    async def current_entry(self) -> TimeEntry | None:
        data = await self._call("GET", "/me/time_entries/current")
        return parse.entry(data) if data else None

    async def recent_entries(self) -> list[TimeEntry]:
        return [parse.entry(e) for e in parse.items(await self._call("GET", "/me/time_entries"))]

    async def entries(self, start: datetime, end: datetime, scope: Scope) -> list[ListedEntry]:
        """Entries started in [start, end): one request, or Reports pages for old ranges."""
        if not reports.served_by_me(start, self.clock()):
            return await reports.search(self._call, start, end, scope)
        params = {"start_date": parse.format_time(start), "end_date": parse.format_time(end),
                  "meta": "true"}
        data = await self._call("GET", "/me/time_entries", params=params)
        return [parse.listed_entry(e) for e in parse.items(data)]

    async def timesheet(self, start: datetime, end: datetime, scope: Scope) -> Timesheet:
        """Itemized when recent; past that, Toggl's own sums (one request per year)."""
        if not reports.served_by_me(start, self.clock()):
            projects = await reports.summary(self._call, start, end, scope)
            return Timesheet(projects=projects, itemized=False)
        return Timesheet(entries=tuple(await self.entries(start, end, scope)))

    async def start_entry(
        self,
        workspace_id: int,
        description: str,
        *,
        start: datetime,
        project_id: int | None = None,
        tags: Sequence[str] = (),
        billable: bool = False,
    ) -> SavedEntry:
        body: dict[str, Any] = {
            "created_with": CREATED_WITH,
            "workspace_id": workspace_id,
            "description": description,
            "start": parse.format_time(start),
            "duration": -1,
            "billable": billable,
            "tags": list(tags),
        }
        if project_id is not None:
            body["project_id"] = project_id
        data = await self._call("POST", f"/workspaces/{workspace_id}/time_entries", json=body)
        return SavedEntry(parse.entry(data), parse.entry_tags(data))

    async def stop_entry(self, workspace_id: int, entry_id: int) -> TimeEntry:
        path = f"/workspaces/{workspace_id}/time_entries/{entry_id}/stop"
        return parse.entry(await self._call("PATCH", path))

    async def clients(
        self, workspace_id: int, status: ListStatus = "active", name: str | None = None
    ) -> list[Client]:
        params: dict[str, str] = {"status": status}
        if name:
            params["name"] = name
        data = await self._pages(f"/workspaces/{workspace_id}/clients", params)
        return [parse.client(c) for c in data]

    async def create_client(self, workspace_id: int, name: str) -> Client:
        data = await self._call(
            "POST", f"/workspaces/{workspace_id}/clients", json={"name": name, "wid": workspace_id}
        )
        return parse.client(data)

    async def rename_client(self, workspace_id: int, client_id: int, name: str) -> Client:
        path = f"/workspaces/{workspace_id}/clients/{client_id}"
        return parse.client(await self._call("PUT", path, json={"name": name}))

    async def archive_client(self, workspace_id: int, client_id: int) -> list[int]:
        """Archives the client and its projects (premium); answers the archived project ids."""
        path = f"/workspaces/{workspace_id}/clients/{client_id}/archive"
        data = await self._call("POST", path)
        ids = data.get("items") if isinstance(data, dict) else data
        return [int(i) for i in ids or ()]

    async def restore_client(
        self, workspace_id: int, client_id: int, *, all_projects: bool = False
    ) -> Client:
        path = f"/workspaces/{workspace_id}/clients/{client_id}/restore"
        body = {"restore_all_projects": all_projects, "projects": []}
        return parse.client(await self._call("POST", path, json=body))

    async def delete_client(self, workspace_id: int, client_id: int) -> None:
        await self._call("DELETE", f"/workspaces/{workspace_id}/clients/{client_id}")

    async def create_project(
        self, workspace_id: int, name: str, client_id: int | None = None
    ) -> Project:
        body: dict[str, Any] = {"name": name, "active": True, "is_private": True}
        if client_id is not None:
            body["client_id"] = client_id
        data = await self._call("POST", f"/workspaces/{workspace_id}/projects", json=body)
        return parse.project(data)

    async def create_tag(self, workspace_id: int, name: str) -> Tag:
        data = await self._call(
            "POST",
            f"/workspaces/{workspace_id}/tags",
            json={"name": name, "workspace_id": workspace_id},
        )
        return parse.tag(data)

    async def entry(self, entry_id: int) -> TimeEntry:
        return parse.entry(await self._call("GET", f"/me/time_entries/{entry_id}"))

    async def add_entry(
        self,
        workspace_id: int,
        description: str,
        *,
        start: datetime,
        stop: datetime,
        project_id: int | None = None,
        tags: Sequence[str] = (),
        billable: bool = False,
    ) -> SavedEntry:
        """A finished entry (a past one, entered by hand)."""
        body: dict[str, Any] = {
            "created_with": CREATED_WITH,
            "workspace_id": workspace_id,
            "description": description,
            "start": parse.format_time(start),
            "stop": parse.format_time(stop),
            "duration": parse.seconds_between(start, stop),
            "billable": billable,
            "tags": list(tags),
        }
        if project_id is not None:
            body["project_id"] = project_id
        data = await self._call("POST", f"/workspaces/{workspace_id}/time_entries", json=body)
        return SavedEntry(parse.entry(data), parse.entry_tags(data))

    async def update_entry(
        self, workspace_id: int, entry_id: int, changes: EntryChanges
    ) -> SavedEntry:
        """PUT with only the fields that change."""
        path = f"/workspaces/{workspace_id}/time_entries/{entry_id}"
        data = await self._call("PUT", path, json=parse.changes_json(changes))
        return SavedEntry(parse.entry(data), parse.entry_tags(data))

    async def delete_entry(self, workspace_id: int, entry_id: int) -> None:
        await self._call("DELETE", f"/workspaces/{workspace_id}/time_entries/{entry_id}")

    async def retag_entries(
        self, workspace_id: int, entry_ids: Sequence[int], add: Sequence[str],
        remove: Sequence[str],
    ) -> BulkResult:
        """One bulk PATCH of at most ``MAX_BULK_IDS`` entries with JSON-patch operations."""
        if not 0 < len(entry_ids) <= MAX_BULK_IDS:
            raise ValueError(f"between 1 and {MAX_BULK_IDS} ids per request")
        ids = ",".join(str(i) for i in entry_ids)
        data = await self._call(
            "PATCH", f"/workspaces/{workspace_id}/time_entries/{ids}",
            json=parse.retag_operations(add, remove),
        )
        return parse.bulk_result(data)

    async def projects(
        self, workspace_id: int, status: ListStatus = "active"
    ) -> list[Project]:
        active = {"active": "true", "archived": "false", "both": "both"}[status]
        data = await self._pages(f"/workspaces/{workspace_id}/projects", {"active": active})
        return [parse.project(p) for p in data]

    async def tags(self, workspace_id: int) -> list[Tag]:
        return [parse.tag(t) for t in await self._pages(f"/workspaces/{workspace_id}/tags")]


def _pace_key(token: SecretStr) -> str:
    """Pacing is per token; the table keeps a digest, never the token itself."""
    return hashlib.sha256(token.get_secret_value().encode()).hexdigest()[:24]


class TogglClient:
    """Shared entry point: one transport (connection pool), sessions per token.

    ``pacer`` spaces each token's requests (``Pacer(TOGGL_PACE)`` in production); None
    sends at once, for an emulator with no per-second limit.
    """

    def __init__(self, transport: Transport, clock: Clock, pacer: Pacer | None = None) -> None:
        self.transport = transport
        self.clock = clock
        self.pacer = pacer

    def session(
        self, token: SecretStr, quotas: dict[QuotaBucket, Quota] | None = None
    ) -> TogglSession:
        """Implements ``bot.ports.TogglConnector``."""
        return TogglSession(self.transport, token, self.clock, dict(quotas or {}),
                            pacer=self.pacer)

    async def aclose(self) -> None:
        await self.transport.aclose()
