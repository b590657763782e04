"""In-memory fakes of the core's ports, so core tests read as specifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.domain import Account, Catalog, UserKey


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
