"""The ports the core depends on. The SQLAlchemy store implements them; tests may fake them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain import Account, Catalog, UserKey


class AccountStore(Protocol):
    """Accounts (encrypted tokens, remembered entries, quota) and their workspace catalogs.

    Every method is its own short transaction: the core never holds one open across a
    Toggl call.
    """

    async def get_account(self, key: UserKey) -> Account | None:
        """The account for a chat identity, token decrypted, or None."""
        ...

    async def save_account(self, account: Account) -> None:
        """Insert or update every field of the account (token encrypted)."""
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


class SeenRequests(Protocol):
    """Signed requests already accepted, shared by every process (replay protection)."""

    async def first_time(self, key: str, expires_at: datetime) -> bool:
        """True for the first sighting of ``key``; False for every later one until
        ``expires_at``, after which the key may be forgotten."""
        ...
