"""The ports the core depends on: the store (SQLAlchemy implements it) and Toggl (bot.toggl)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal, Protocol

from pydantic import SecretStr

from bot.domain import (
    Account,
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
    UserKey,
)

ListStatus = Literal["active", "archived", "both"]
MAX_BULK_IDS = 100  # Toggl's limit of ids in one bulk change


class AccountStore(Protocol):
    """Accounts (encrypted tokens, remembered entries, quota) and their workspace catalogs.

    Every method is its own short transaction: the core never holds one open across a
    Toggl call.
    """

    async def get_account(self, key: UserKey) -> Account | None:
        """The account for a chat identity, token decrypted, or None."""
        ...

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        """Update every field of a stored account (token encrypted). Only ``create=True``
        (a login) inserts: a person deleted meanwhile stays deleted."""
        ...

    async def save_changes(
        self, key: UserKey, account: Account | None, catalogs: Sequence[Catalog] = (),
        *, create: bool = False,
    ) -> None:
        """What one command learned, in one transaction: the account (None: unchanged) and
        the catalogs, filed under the account (nothing is written for a person gone)."""
        ...

    async def delete_account(self, key: UserKey) -> bool:
        """Remove the account and all its cached data; False when there was none."""
        ...

    async def get_catalog(self, key: UserKey, workspace_id: int) -> Catalog | None:
        """The cached projects/clients/tags this user can see in a workspace."""
        ...

    async def save_catalog(self, key: UserKey, catalog: Catalog) -> None:
        """Replace the cached catalog of one workspace for this user."""
        ...


class Toggl(Protocol):
    """One person's Toggl, as handlers see it: domain objects in and out, never Toggl JSON.

    Each method is one request unless it says otherwise, so a handler's call budget can be
    read off its code. ``quotas`` holds the newest readings Toggl sent; ``calls`` counts.
    """

    quotas: dict[QuotaBucket, Quota]
    calls: int

    async def me(self) -> MeWithRelated:
        """The profile and every workspace's catalog (one request per extra page)."""
        ...

    async def current_entry(self) -> TimeEntry | None: ...

    async def recent_entries(self) -> list[TimeEntry]:
        """Entries of the last days, as Toggl lists them without a range."""
        ...

    async def entries(self, start: datetime, end: datetime, scope: Scope) -> list[ListedEntry]:
        """Entries started in [start, end): one request, or Reports pages for old ranges."""
        ...

    async def timesheet(self, start: datetime, end: datetime, scope: Scope) -> Timesheet:
        """What a summary needs: itemized when recent, Toggl's sums when long ago (1 request)."""
        ...

    async def entry(self, entry_id: int) -> TimeEntry: ...

    async def start_entry(
        self, workspace_id: int, description: str, *, start: datetime,
        project_id: int | None = None, tags: Sequence[str] = (), billable: bool = False,
    ) -> SavedEntry: ...

    async def stop_entry(self, workspace_id: int, entry_id: int) -> TimeEntry: ...

    async def add_entry(
        self, workspace_id: int, description: str, *, start: datetime, stop: datetime,
        project_id: int | None = None, tags: Sequence[str] = (), billable: bool = False,
    ) -> SavedEntry: ...

    async def update_entry(
        self, workspace_id: int, entry_id: int, changes: EntryChanges
    ) -> SavedEntry: ...

    async def delete_entry(self, workspace_id: int, entry_id: int) -> None: ...

    async def retag_entries(
        self, workspace_id: int, entry_ids: Sequence[int], add: Sequence[str],
        remove: Sequence[str],
    ) -> BulkResult:
        """One bulk change of at most ``MAX_BULK_IDS`` entries."""
        ...

    async def clients(
        self, workspace_id: int, status: ListStatus = "active", name: str | None = None
    ) -> list[Client]: ...

    async def create_client(self, workspace_id: int, name: str) -> Client: ...

    async def rename_client(self, workspace_id: int, client_id: int, name: str) -> Client: ...

    async def archive_client(self, workspace_id: int, client_id: int) -> list[int]: ...

    async def restore_client(
        self, workspace_id: int, client_id: int, *, all_projects: bool = False
    ) -> Client: ...

    async def delete_client(self, workspace_id: int, client_id: int) -> None: ...

    async def projects(
        self, workspace_id: int, status: ListStatus = "active"
    ) -> list[Project]:
        """Every page of the list: one request per page."""
        ...

    async def create_project(
        self, workspace_id: int, name: str, client_id: int | None = None
    ) -> Project: ...

    async def tags(self, workspace_id: int) -> list[Tag]:
        """Every page of the list: one request per page."""
        ...

    async def create_tag(self, workspace_id: int, name: str) -> Tag: ...


class TogglConnector(Protocol):
    """Opens a person's Toggl with their token and what we know of their quotas."""

    def session(
        self, token: SecretStr, quotas: dict[QuotaBucket, Quota] | None = None
    ) -> Toggl: ...


class SeenRequests(Protocol):
    """Signed requests already accepted, shared by every process (replay protection)."""

    async def first_time(self, key: str, expires_at: datetime) -> bool:
        """True for the first sighting of ``key``; False for every later one until
        ``expires_at``, after which the key may be forgotten."""
        ...
