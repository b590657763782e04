"""In-memory fakes of the core's ports, so core tests read as specifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from pydantic import SecretStr

from bot.channels import ChannelDefault
from bot.digest.model import Channel
from bot.domain import Account, Catalog, UserKey
from bot.status import StatusRefused


class InMemoryAccountStore:
    """AccountStore kept in dicts; copies on the way in and out, like a real database."""

    def __init__(self) -> None:
        self.accounts: dict[UserKey, Account] = {}
        self.catalogs: dict[tuple[UserKey, int], Catalog] = {}
        self.saves = 0
        self.catalog_saves: list[int] = []  # workspace ids, in the order they were written

    async def get_account(self, key: UserKey) -> Account | None:
        found = self.accounts.get(key)
        return replace(found) if found is not None else None

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        self.saves += 1
        if create or account.key in self.accounts:  # only a login inserts
            self.accounts[account.key] = replace(account)

    async def save_changes(
        self, key: UserKey, account: Account | None, catalogs: Sequence[Catalog] = (),
        *, create: bool = False,
    ) -> None:
        if account is not None:
            await self.save_account(account, create=create)
        for catalog in catalogs:
            await self.save_catalog(key, catalog)

    async def delete_account(self, key: UserKey) -> bool:
        for cached in [k for k in self.catalogs if k[0] == key]:
            del self.catalogs[cached]
        return self.accounts.pop(key, None) is not None

    async def get_catalog(self, key: UserKey, workspace_id: int) -> Catalog | None:
        return self.catalogs.get((key, workspace_id))

    async def save_catalog(self, key: UserKey, catalog: Catalog) -> None:
        if key not in self.accounts:
            raise LookupError("catalogs are filed under an account, like the SQL store does")
        self.catalog_saves.append(catalog.workspace_id)
        self.catalogs[(key, catalog.workspace_id)] = catalog


class InMemoryChannelStore:
    """ChannelStore in a dict."""

    def __init__(self) -> None:
        self.defaults: dict[Channel, ChannelDefault] = {}

    async def get_default(self, channel: Channel) -> ChannelDefault | None:
        return self.defaults.get(channel)

    async def set_default(self, channel: Channel, default: ChannelDefault) -> None:
        self.defaults[channel] = default

    async def clear_default(self, channel: Channel) -> bool:
        return self.defaults.pop(channel, None) is not None


class InMemoryStatusLinks:
    """StatusLinks in a dict."""

    def __init__(self) -> None:
        self.tokens: dict[UserKey, SecretStr] = {}

    async def get(self, key: UserKey) -> SecretStr | None:
        return self.tokens.get(key)

    async def save(self, key: UserKey, token: SecretStr) -> None:
        self.tokens[key] = token

    async def delete(self, key: UserKey) -> bool:
        return self.tokens.pop(key, None) is not None


class FakeStatusBoard:
    """A platform's status, recorded: what is shown, per token; refuses revoked tokens."""

    def __init__(self, url: str | None = "https://slack.test/authorize") -> None:
        self.url = url
        self.shown: dict[str, tuple[str, str, datetime]] = {}  # token -> text, emoji, until
        self.calls: list[str] = []
        self.dead: set[str] = set()

    def authorize_url(self, key: UserKey) -> str | None:
        return self.url

    async def show(self, token: SecretStr, text: str, emoji: str, until: datetime) -> None:
        self._check(token, "show")
        self.shown[token.get_secret_value()] = (text, emoji, until)

    async def clear(self, token: SecretStr) -> None:
        self._check(token, "clear")
        self.shown.pop(token.get_secret_value(), None)

    async def revoke(self, token: SecretStr) -> None:
        self._check(token, "revoke")
        self.dead.add(token.get_secret_value())

    def _check(self, token: SecretStr, what: str) -> None:
        self.calls.append(what)
        if token.get_secret_value() in self.dead:
            raise StatusRefused("invalid_auth")
