"""What a handler gets: the person, their account, and the ports it may use."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.digest.model import Channel
from bot.digest.ports import DigestStore
from bot.domain import Account, Catalog, UserKey
from bot.errors import NotLoggedIn, TogglbotError, TokenRejected, UsageError
from bot.ports import AccountStore
from bot.timefmt import zone
from bot.toggl import TogglClient, TogglSession
from bot.toggl.transport import Clock


@dataclass(slots=True)
class Context:
    key: UserKey
    store: AccountStore
    toggl: TogglClient
    clock: Clock
    account: Account | None = None
    catalog_ttl: timedelta = timedelta(hours=12)
    channel_id: str = ""  # where the command was typed; "" for buttons and DMs we can't see
    digests: DigestStore | None = None
    confirm_secret: bytes = field(default=b"", repr=False)  # signs Delete confirmations
    # What the store holds for this person: the core saves the account only if it changed.
    saved: Account | None = field(default=None, repr=False)
    _session: TogglSession | None = field(default=None, repr=False)

    def channel(self) -> Channel:
        """The channel the command was typed in; digest commands need one."""
        if not self.channel_id:
            raise UsageError("Digests belong to a channel: run this command in that channel.")
        return Channel(self.key.platform, self.key.team_id, self.channel_id)

    def digest_store(self) -> DigestStore:
        if self.digests is None:
            raise TogglbotError("Channel digests are not enabled on this bot.")
        return self.digests

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

    def api(self) -> TogglSession:
        """The user's Toggl session; refuses before spending a request that cannot succeed."""
        if self._session is None:
            account = self.require_account()
            if not account.token_valid:
                raise TokenRejected()
            self._session = self.toggl.session(account.token, account.quotas())
        return self._session

    @property
    def session(self) -> TogglSession | None:
        return self._session

    async def catalog(self, workspace_id: int | None = None) -> Catalog:
        """The cached catalog; loaded from Toggl (one call) when missing or stale."""
        account = self.require_account()
        wid = workspace_id or account.workspace_id
        cached = await self.store.get_catalog(self.key, wid)
        if cached is not None and self.now - cached.fetched_at < self.catalog_ttl:
            return cached
        return await self.reload_catalogs(wid)

    async def cached_catalog(self, workspace_id: int | None = None) -> Catalog | None:
        """What we remember, never a Toggl call: for display only."""
        account = self.require_account()
        return await self.store.get_catalog(self.key, workspace_id or account.workspace_id)

    async def reload_catalogs(self, workspace_id: int | None = None) -> Catalog:
        """One GET /me?with_related_data refreshes every workspace at once."""
        account = self.require_account()
        me = await self.api().me()
        account.timezone = me.profile.timezone
        account.name = me.profile.fullname
        for catalog in me.catalogs.values():
            await self.store.save_catalog(self.key, catalog)
        wid = workspace_id or account.workspace_id
        return me.catalogs.get(wid) or Catalog(workspace_id=wid, fetched_at=self.now)

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        """Store the account now (e.g. before rows that refer to it) and make it current;
        ``create`` only for a login, the one command that may bring a person's row back."""
        await self.store.save_account(account, create=create)
        self.account, self.saved = account, replace(account)

    async def save_catalog(self, catalog: Catalog) -> None:
        await self.store.save_catalog(self.key, catalog)
