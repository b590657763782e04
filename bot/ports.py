"""The ports the core depends on. The SQLAlchemy store implements them; tests may fake them."""

from __future__ import annotations

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

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        """Update every field of a stored account (token encrypted). Only ``create=True``
        (a login) inserts: a person deleted meanwhile stays deleted."""
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
