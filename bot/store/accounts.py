"""The SQLAlchemy implementation of the AccountStore port.

Every method is one short transaction. Saving an account is an UPDATE; only a login
(``create=True``) may INSERT, so a command still in flight when the person was forgotten
cannot bring their row back. Dialect-neutral (UPDATE, then INSERT when nothing matched) so
SQLite and PostgreSQL share one code path; a concurrent insert of the same key surfaces as
a unique violation and is retried once as an update.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import utcnow
from bot.crypto import KeyMismatch, Rotation, TokenCipher
from bot.domain import Account, Catalog, Quota, UserKey
from bot.errors import StorageUnavailable, TokenUnreadable
from bot.store.codec import catalog_columns, catalog_from_columns, entry_from_json, entry_to_json
from bot.store.schema import DigestRow, UserRow, WorkspaceCacheRow

log = logging.getLogger(__name__)

ROTATE_BATCH_SIZE = 500


def _key_is(key: UserKey) -> ColumnElement[bool]:
    return and_(
        UserRow.platform == key.platform,
        UserRow.team_id == key.team_id,
        UserRow.user_id == key.user_id,
    )


# The two reads on every command, built once: SQLAlchemy then reuses their compiled form
# instead of rebuilding and re-coercing the WHERE clause per call.
_BY_KEY = and_(
    UserRow.platform == bindparam("platform"),
    UserRow.team_id == bindparam("team_id"),
    UserRow.user_id == bindparam("user_id"),
)
_GET_ACCOUNT = select(UserRow.__table__).where(_BY_KEY)
_GET_CATALOG = (
    select(
        WorkspaceCacheRow.fetched_at,
        WorkspaceCacheRow.projects,
        WorkspaceCacheRow.clients,
        WorkspaceCacheRow.tags,
    )
    .join(UserRow, UserRow.id == WorkspaceCacheRow.account_id)
    .where(_BY_KEY, WorkspaceCacheRow.workspace_id == bindparam("workspace_id"))
)


def _rotation_batch(after_id: int, size: int) -> Any:
    return (
        select(UserRow.id, UserRow.token_ciphertext, UserRow.platform, UserRow.team_id,
               UserRow.user_id)
        .where(UserRow.id > after_id)
        .order_by(UserRow.id)
        .limit(size)
    )


def _key_params(key: UserKey) -> dict[str, str]:
    return {"platform": key.platform, "team_id": key.team_id, "user_id": key.user_id}


@asynccontextmanager
async def storage_errors() -> AsyncIterator[None]:
    """Turn "cannot reach / talk to the database" into StorageUnavailable.

    Other DB errors (integrity, programming) propagate: they are bugs, not outages.
    """
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        _log_unavailable(exc)
        raise StorageUnavailable() from exc
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        _log_unavailable(exc)
        raise StorageUnavailable() from exc


def _log_unavailable(exc: DBAPIError) -> None:
    # Only the driver's class and message: SQLAlchemy's str() appends bound parameters.
    orig = exc.orig
    log.warning("database unavailable: %s: %s", type(orig).__name__, str(orig).strip())


class SqlAccountStore:
    """Accounts and per-user workspace catalogs in SQLite or PostgreSQL."""

    def __init__(
        self,
        engine: AsyncEngine,
        cipher: TokenCipher,
        *,
        rotate_batch_size: int = ROTATE_BATCH_SIZE,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._batch = rotate_batch_size
        self._warned_unreadable = False

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    def __repr__(self) -> str:
        return f"SqlAccountStore({self._engine.url.render_as_string(hide_password=True)})"

    # -- accounts -------------------------------------------------------------------------

    async def get_account(self, key: UserKey) -> Account | None:
        async with storage_errors(), self._engine.connect() as conn:
            row = (await conn.execute(_GET_ACCOUNT, _key_params(key))).first()
        if row is None:
            return None
        try:
            return self._account_from_row(key, row)
        except KeyMismatch as exc:
            self._warn_unreadable(exc)
            raise TokenUnreadable() from None

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        values = self._account_values(account)
        try:
            async with storage_errors(), self._engine.begin() as conn:
                if await self._update_account(conn, account.key, values):
                    return
                if not create:
                    # Forgotten (logout, `togglbot forget`) while a command was in flight:
                    # only the person's own next login brings the row back.
                    return
                await conn.execute(
                    insert(UserRow).values(
                        platform=account.key.platform,
                        team_id=account.key.team_id,
                        user_id=account.key.user_id,
                        created_at=values["updated_at"],
                        **values,
                    )
                )
        except IntegrityError:
            # Lost a race with another process inserting the same identity: update theirs.
            async with storage_errors(), self._engine.begin() as conn:
                if not await self._update_account(conn, account.key, values):
                    raise

    async def delete_account(self, key: UserKey) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            account_id = await conn.scalar(select(UserRow.id).where(_key_is(key)))
            if account_id is None:
                return False
            # ON DELETE CASCADE does this too; deleting explicitly keeps cached private
            # projects from outliving the user even on a connection without foreign_keys=ON.
            await conn.execute(
                delete(WorkspaceCacheRow).where(WorkspaceCacheRow.account_id == account_id)
            )
            await conn.execute(delete(UserRow).where(UserRow.id == account_id))
            # Not their data in Toggl's sense, but theirs: who set a channel's digest up.
            await conn.execute(
                update(DigestRow)
                .where(DigestRow.platform == key.platform, DigestRow.team_id == key.team_id,
                       DigestRow.set_up_by == key.user_id)
                .values(set_up_by=None)
            )
            return True

    async def count_accounts(self) -> int:
        async with storage_errors(), self._engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(UserRow)) or 0)

    async def rotate_keys(self) -> Rotation:
        """Re-encrypt every readable token with the newest key; name the unreadable ones.

        Works in batches of short transactions so a large table never holds a long lock.
        """
        rotated, unreadable = 0, []
        last_id = 0
        while True:
            async with storage_errors(), self._engine.begin() as conn:
                rows = (await conn.execute(_rotation_batch(last_id, self._batch))).all()
                for row_id, old, *who in rows:
                    try:
                        new = self._cipher.rotate(old)
                    except KeyMismatch:
                        unreadable.append(" ".join(who))
                        continue
                    # Compare-and-set: a login that saved a new token meanwhile wins.
                    result = await conn.execute(
                        update(UserRow)
                        .where(UserRow.id == row_id, UserRow.token_ciphertext == old)
                        .values(token_ciphertext=new)
                    )
                    rotated += result.rowcount
            if len(rows) < self._batch:
                return Rotation(rotated, tuple(unreadable))
            last_id = rows[-1][0]

    # -- catalogs -------------------------------------------------------------------------

    async def get_catalog(self, key: UserKey, workspace_id: int) -> Catalog | None:
        params = {**_key_params(key), "workspace_id": workspace_id}
        async with storage_errors(), self._engine.connect() as conn:
            row = (await conn.execute(_GET_CATALOG, params)).first()
        if row is None:
            return None
        return catalog_from_columns(workspace_id, row[0], row[1], row[2], row[3])

    async def save_catalog(self, key: UserKey, catalog: Catalog) -> None:
        values = catalog_columns(catalog)
        try:
            async with storage_errors(), self._engine.begin() as conn:
                account_id = await conn.scalar(select(UserRow.id).where(_key_is(key)))
                if account_id is None:
                    return  # logged out meanwhile: nothing to cache for
                if await self._update_catalog(conn, account_id, catalog.workspace_id, values):
                    return
                await conn.execute(
                    insert(WorkspaceCacheRow).values(
                        account_id=account_id, workspace_id=catalog.workspace_id, **values
                    )
                )
        except IntegrityError:
            # A concurrent save inserted the row first (or the account vanished): retry once.
            async with storage_errors(), self._engine.begin() as conn:
                account_id = await conn.scalar(select(UserRow.id).where(_key_is(key)))
                if account_id is not None:
                    await self._update_catalog(conn, account_id, catalog.workspace_id, values)

    # -- helpers --------------------------------------------------------------------------

    def _warn_unreadable(self, exc: KeyMismatch) -> None:
        # Once per process: every command of every affected person would repeat it.
        if not self._warned_unreadable:
            self._warned_unreadable = True
            log.warning("%s Affected people are asked to log in again; `togglbot keys rotate` "
                        "names them.", exc.message)

    def _account_values(self, account: Account) -> dict[str, Any]:
        return {
            "token_ciphertext": self._cipher.encrypt(account.token),
            "token_valid": account.token_valid,
            "toggl_user_id": account.toggl_user_id,
            "workspace_id": account.workspace_id,
            "timezone": account.timezone,
            "name": account.name,
            "running_entry": entry_to_json(account.running),
            "last_entry": entry_to_json(account.last),
            "recent_entries": [entry_to_json(e) for e in account.recent],
            "quota_remaining": account.quota.remaining,
            "quota_resets_at": account.quota.resets_at,
            "me_quota_remaining": account.me_quota.remaining,
            "me_quota_resets_at": account.me_quota.resets_at,
            "updated_at": utcnow(),
        }

    def _account_from_row(self, key: UserKey, row: Row[Any]) -> Account:
        r = row._mapping
        return Account(
            key=key,
            token=self._cipher.decrypt(r["token_ciphertext"]),
            toggl_user_id=int(r["toggl_user_id"]),
            workspace_id=int(r["workspace_id"]),
            timezone=r["timezone"],
            name=r["name"],
            token_valid=bool(r["token_valid"]),
            running=entry_from_json(r["running_entry"]),
            last=entry_from_json(r["last_entry"]),
            recent=tuple(e for e in map(entry_from_json, r["recent_entries"] or ()) if e),
            quota=Quota(remaining=r["quota_remaining"], resets_at=r["quota_resets_at"]),
            me_quota=Quota(remaining=r["me_quota_remaining"], resets_at=r["me_quota_resets_at"]),
        )

    @staticmethod
    async def _update_account(conn: AsyncConnection, key: UserKey, values: dict[str, Any]) -> bool:
        result = await conn.execute(update(UserRow).where(_key_is(key)).values(**values))
        return result.rowcount > 0

    @staticmethod
    async def _update_catalog(
        conn: AsyncConnection, account_id: int, workspace_id: int, values: dict[str, Any]
    ) -> bool:
        result = await conn.execute(
            update(WorkspaceCacheRow)
            .where(
                WorkspaceCacheRow.account_id == account_id,
                WorkspaceCacheRow.workspace_id == workspace_id,
            )
            .values(**values)
        )
        return result.rowcount > 0
