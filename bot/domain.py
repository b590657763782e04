"""The nouns of the core: Toggl objects as we use them, and the chat user they belong to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from pydantic import SecretStr


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """A Toggl time entry; ``stop`` is None while it runs."""

    id: int
    workspace_id: int
    description: str
    start: datetime
    stop: datetime | None = None
    project_id: int | None = None
    tags: tuple[str, ...] = ()
    billable: bool = False

    @property
    def running(self) -> bool:
        return self.stop is None

    def duration(self, now: datetime) -> timedelta:
        """Tracked time, counting a running entry up to ``now``."""
        end = self.stop if self.stop is not None else now
        return max(end - self.start, timedelta(0))


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """An entry as a listing shows it, with the names Toggl sent along (when it did)."""

    entry: TimeEntry
    project_name: str | None = None
    client_name: str | None = None
    tag_ids: tuple[int, ...] = ()  # Toggl's reports name tags by id only


@dataclass(frozen=True, slots=True)
class ProjectTime:
    """Time on one project (None: no project) over a period, summed by Toggl's reports."""

    project_id: int | None
    seconds: int
    entries: int


@dataclass(frozen=True, slots=True)
class Timesheet:
    """A period's time: itemized entries, or (for long ranges) Toggl's per-project sums."""

    entries: tuple[ListedEntry, ...] = ()
    projects: tuple[ProjectTime, ...] = ()
    itemized: bool = True


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose time, where: Toggl's reports are per workspace and filtered by user."""

    user_id: int
    workspace_id: int
    timezone: str


@dataclass(frozen=True, slots=True)
class EntryChanges:
    """What an edit changes; None leaves a field as it is."""

    description: str | None = None
    project_id: int | None = None
    clear_project: bool = False
    tags: tuple[str, ...] | None = None  # the whole new list
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    billable: bool | None = None
    start: datetime | None = None
    stop: datetime | None = None


@dataclass(frozen=True, slots=True)
class SavedEntry:
    """A written entry, with its tags as objects (ids included) so the cache learns new ones."""

    entry: TimeEntry
    tags: tuple[Tag, ...] = ()


@dataclass(frozen=True, slots=True)
class BulkResult:
    """A bulk change's answer: Toggl applies it to each id separately, without rollback."""

    success: tuple[int, ...]
    failure: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    workspace_id: int
    name: str
    client_id: int | None = None
    active: bool = True
    billable: bool = False


@dataclass(frozen=True, slots=True)
class Client:
    id: int
    workspace_id: int
    name: str
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Tag:
    id: int
    workspace_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Catalog:
    """What we remember of one workspace, so names resolve without a Toggl call."""

    workspace_id: int
    fetched_at: datetime
    projects: tuple[Project, ...] = ()
    clients: tuple[Client, ...] = ()
    tags: tuple[Tag, ...] = ()

    def project(self, project_id: int | None) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def client(self, client_id: int | None) -> Client | None:
        return next((c for c in self.clients if c.id == client_id), None)

    def with_project(self, project: Project) -> Catalog:
        rest = tuple(p for p in self.projects if p.id != project.id)
        return replace(self, projects=(*rest, project))

    def with_client(self, client: Client) -> Catalog:
        rest = tuple(c for c in self.clients if c.id != client.id)
        return replace(self, clients=(*rest, client))

    def without_client(self, client_id: int) -> Catalog:
        """Toggl keeps a deleted client's projects, without a client."""
        projects = tuple(
            replace(p, client_id=None) if p.client_id == client_id else p for p in self.projects
        )
        clients = tuple(c for c in self.clients if c.id != client_id)
        return replace(self, clients=clients, projects=projects)

    def with_tags(self, tags: tuple[Tag, ...]) -> Catalog:
        known = {t.id for t in self.tags}
        return replace(self, tags=self.tags + tuple(t for t in tags if t.id not in known))


@dataclass(frozen=True, slots=True)
class TogglProfile:
    """The part of GET /me we keep."""

    id: int
    fullname: str
    timezone: str
    default_workspace_id: int


@dataclass(frozen=True, slots=True)
class MeWithRelated:
    """The person and everything they can see: one call fills the whole cache at login."""

    profile: TogglProfile
    catalogs: dict[int, Catalog]
    entries: list[TimeEntry]


@dataclass(frozen=True, slots=True)
class Quota:
    """Toggl's own count of requests left this hour; None means Toggl did not say."""

    remaining: int | None = None
    resets_at: datetime | None = None

    def exhausted(self, now: datetime) -> bool:
        return (
            self.remaining is not None
            and self.remaining <= 0
            and self.resets_at is not None
            and self.resets_at > now
        )


# Toggl keeps two hourly quotas per person: requests about the person (``/me...``) and
# requests aimed at a workspace. Each is tracked apart.
QuotaBucket = Literal["workspace", "me"]
QUOTA_BUCKETS: tuple[QuotaBucket, ...] = ("workspace", "me")


def bucket_of(path: str) -> QuotaBucket:
    """Which of Toggl's quotas a request path spends."""
    return "me" if path == "/me" or path.startswith("/me/") else "workspace"


@dataclass(frozen=True, slots=True)
class UserKey:
    """A chat identity. The same user id in two teams is two people."""

    platform: str
    team_id: str
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.team_id}:{self.user_id}"

RECENT_KEPT = 5  # different entries remembered for `recent` and `continue <words>`


@dataclass(slots=True)
class Account:
    """A chat user linked to a Toggl account, with what the bot remembers for them."""

    key: UserKey
    token: SecretStr = field(repr=False)
    toggl_user_id: int
    workspace_id: int
    timezone: str
    name: str = ""
    token_valid: bool = True
    running: TimeEntry | None = None
    last: TimeEntry | None = None
    quota: Quota = field(default_factory=Quota)  # workspace requests
    me_quota: Quota = field(default_factory=Quota)  # requests about the person (/me...)
    # The last few different entries, newest first (`recent`, `continue <words>`).
    recent: tuple[TimeEntry, ...] = ()

    def quotas(self) -> dict[QuotaBucket, Quota]:
        return {"workspace": self.quota, "me": self.me_quota}

    def note_quotas(self, readings: dict[QuotaBucket, Quota]) -> None:
        """Keep the newest reading Toggl sent for each quota."""
        self.quota = readings.get("workspace", self.quota)
        self.me_quota = readings.get("me", self.me_quota)

    def remember(self, entry: TimeEntry) -> None:
        """Note an entry we just saw, so Stop and Continue cost one call."""
        self.last = entry
        if entry.running:
            self.running = entry
        elif self.running is not None and self.running.id == entry.id:
            self.running = None
        self.learn_recent((entry,))

    def learn_recent(self, entries: Iterable[TimeEntry]) -> None:
        """Keep the newest entry of each kind (description, project, tags), at most
        ``RECENT_KEPT``, newest first."""
        by_kind: dict[tuple[str, int | None, tuple[str, ...]], TimeEntry] = {}
        for entry in sorted((*entries, *self.recent), key=lambda e: e.start, reverse=True):
            kind = (entry.description, entry.project_id, tuple(sorted(entry.tags)))
            if kind not in by_kind:
                by_kind[kind] = entry
        self.recent = tuple(by_kind.values())[:RECENT_KEPT]
