"""What a handler gets: the person, their account, and the ports it may use.

Handlers never write to the store: they change ``account`` and hand catalogs to
``keep_catalog``; the core writes what changed once, when the command ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.channels import ChannelStore
from bot.clock import Clock
from bot.digest.model import Channel
from bot.digest.ports import Announcement, ChannelAccess, DigestStore
from bot.domain import Account, Catalog, Scope, Tag, UserKey
from bot.errors import NotLoggedIn, TogglbotError, TokenRejected, UsageError
from bot.ports import AccountStore, Toggl, TogglConnector
from bot.remind.ports import ReminderStore
from bot.replies import Reply
from bot.status import StatusBoard, StatusLinks
from bot.timefmt import zone


@dataclass(slots=True)
class Context:
    key: UserKey
    store: AccountStore
    toggl: TogglConnector
    clock: Clock
    account: Account | None = None
    catalog_ttl: timedelta = timedelta(hours=12)
    channel_id: str = ""  # where the command was typed; "" for buttons and DMs we can't see
    digests: DigestStore | None = None
    access: ChannelAccess | None = None  # may the bot post in channel_id? (`digest at`)
    reminders: ReminderStore | None = None
    confirm_secret: bytes = field(default=b"", repr=False)  # signs Delete confirmations
    channels: ChannelStore | None = None  # channel defaults (`channel project`)
    status_board: StatusBoard | None = None  # this platform's status, if it has one
    status_links: StatusLinks | None = None  # who allowed their status to be set
    # What the store holds for this person: the core saves the account only if it changed.
    saved: Account | None = field(default=None, repr=False)
    # Set by logout: the core deletes the account and everything cached for it.
    forgotten: bool = False
    # Set by login: the core may create the person's row (no other command may).
    connected: bool = False
    # The person has a row whose token the current key can't read (`login`/`logout` fix it).
    unreadable: bool = False
    # Called before the command's first Toggl request: the core's runaway guard.
    admit: Callable[[], None] | None = field(default=None, repr=False)
    _catalogs: dict[int, Catalog] = field(default_factory=dict, repr=False)
    _session: Toggl | None = field(default=None, repr=False)

    def channel(self) -> Channel:
        """The channel the command was typed in; digest commands need one."""
        if not self.channel_id:
            raise UsageError("Digests belong to a channel: run this command in that channel.")
        return Channel(self.key.platform, self.key.team_id, self.channel_id)

    async def announce(self, notice: Reply) -> Announcement:
        """Ask the platform whether digests can be posted here (it may post ``notice``)."""
        if self.access is None:
            return Announcement()
        return await self.access.announce(self.channel(), notice)

    def channel_store(self) -> ChannelStore:
        if self.channels is None:
            raise TogglbotError("Channel defaults are not enabled on this bot.")
        return self.channels

    def digest_store(self) -> DigestStore:
        if self.digests is None:
            raise TogglbotError("Channel digests are not enabled on this bot.")
        return self.digests

    def reminder_store(self) -> ReminderStore:
        if self.reminders is None:
            raise TogglbotError("Reminders are not enabled on this bot.")
        return self.reminders

    @property
    def now(self) -> datetime:
        return self.clock()

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.account.timezone if self.account else "UTC")

    def require_account(self) -> Account:
        if self.account is None:
            raise NotLoggedIn()
        return self.account

    def api(self) -> Toggl:
        """The user's Toggl session; refuses before spending a request that cannot succeed."""
        if self._session is None:
            account = self.require_account()
            if not account.token_valid:
                raise TokenRejected()
            self._open(account.token, account)
        assert self._session is not None
        return self._session

    def api_for(self, token: SecretStr) -> Toggl:
        """A session for a token being tried (login); its calls count like any other."""
        return self._open(token, None)

    def _open(self, token: SecretStr, account: Account | None) -> Toggl:
        if self.admit is not None:
            self.admit()
        self._session = self.toggl.session(token, account.quotas() if account else None)
        return self._session

    def scope(self) -> Scope:
        """Whose entries a report covers: this person's, in their default workspace."""
        account = self.require_account()
        return Scope(account.toggl_user_id, account.workspace_id, account.timezone)

    @property
    def session(self) -> Toggl | None:
        return self._session

    async def catalog(self, workspace_id: int | None = None) -> Catalog:
        """The cached catalog; loaded from Toggl (one call) when missing or stale."""
        account = self.require_account()
        wid = workspace_id or account.workspace_id
        cached = await self.cached_catalog(wid)
        if cached is not None and self.now - cached.fetched_at < self.catalog_ttl:
            return cached
        return await self.reload_catalogs(wid)

    async def cached_catalog(self, workspace_id: int | None = None) -> Catalog | None:
        """What we remember, never a Toggl call: for display only."""
        wid = workspace_id or self.require_account().workspace_id
        if wid in self._catalogs:
            return self._catalogs[wid]
        return await self.store.get_catalog(self.key, wid)

    async def reload_catalogs(self, workspace_id: int | None = None) -> Catalog:
        """One GET /me?with_related_data refreshes every workspace at once."""
        account = self.require_account()
        me = await self.api().me()
        account.timezone = me.profile.timezone
        account.name = me.profile.fullname
        for catalog in me.catalogs.values():
            self.keep_catalog(catalog)
        wid = workspace_id or account.workspace_id
        return me.catalogs.get(wid) or Catalog(workspace_id=wid, fetched_at=self.now)

    def connect(self, account: Account) -> None:
        """Login: this account is the person's now; the core stores it, creating the row
        (login is the one command that may bring a person's row back)."""
        self.account, self.forgotten, self.connected = account, False, True

    def forget(self) -> None:
        """Logout: the core deletes the account and everything cached for it."""
        self.account, self.forgotten = None, True
        self._catalogs.clear()

    def keep_catalog(self, catalog: Catalog) -> None:
        """Remember a workspace's catalog; the core stores it when the command ends."""
        self._catalogs[catalog.workspace_id] = catalog

    async def learn_tags(self, tags: tuple[Tag, ...]) -> Catalog | None:
        """Tags Toggl created for an entry join the cache: the answer names them with ids."""
        if not tags:
            return None
        cached = await self.cached_catalog(tags[0].workspace_id)
        if cached is None:
            return None
        if all(t.id in {k.id for k in cached.tags} for t in tags):
            return cached
        updated = cached.with_tags(tags)
        self.keep_catalog(updated)
        return updated

    def unsaved_catalogs(self) -> list[Catalog]:
        return list(self._catalogs.values())
