"""The SQLAlchemy implementation of the AccountStore port.

Every method is one short transaction. Saving an account is an UPDATE; only a login
(``create=True``) may INSERT, so a command still in flight when the person was forgotten
cannot bring their row back. Dialect-neutral (UPDATE, then INSERT when nothing matched) so
SQLite and PostgreSQL share one code path; a concurrent insert of the same key surfaces as
a unique violation and is retried once as an update.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Table,
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
from bot.store.memo import Memo, Remembered, Version
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
_CATALOG_COLUMNS = (
    WorkspaceCacheRow.fetched_at,
    WorkspaceCacheRow.projects,
    WorkspaceCacheRow.clients,
    WorkspaceCacheRow.tags,
)
# A person the process doesn't remember: the account and its default workspace's catalog
# in one read (most commands need both).
_GET_ACCOUNT_AND_CATALOG = (
    select(UserRow.__table__, *_CATALOG_COLUMNS)
    .outerjoin(
        WorkspaceCacheRow,
        and_(WorkspaceCacheRow.account_id == UserRow.id,
             WorkspaceCacheRow.workspace_id == UserRow.workspace_id),
    )
    .where(_BY_KEY)
)
_GET_CATALOG = (
    select(*_CATALOG_COLUMNS)
    .join(UserRow, UserRow.id == WorkspaceCacheRow.account_id)
    .where(_BY_KEY, WorkspaceCacheRow.workspace_id == bindparam("workspace_id"))
)
# UPDATE reserves the column names for its SET clause: the key's parameters are renamed.
_BY_KEY_W = and_(
    UserRow.platform == bindparam("k_platform"),
    UserRow.team_id == bindparam("k_team_id"),
    UserRow.user_id == bindparam("k_user_id"),
)
_USERS: Table = UserRow.__table__  # type: ignore[assignment]


@cache
def _save_account(fields: tuple[str, ...]) -> Any:
    """The account's UPDATE, built once per set of columns (``_account_values``' keys, so a
    column added there is written too): ``.values(**dict)`` on the mapped class cost ~0.5 ms
    of ORM coercion per save."""
    return (
        update(_USERS).where(_BY_KEY_W)
        .values({name: bindparam(f"v_{name}") for name in fields})
        .returning(UserRow.id, UserRow.updated_at, UserRow.token_ciphertext)
    )


# Catalog-only changes still bump the person's version: the memo of every process checks it.
_TOUCH_ACCOUNT = (
    update(UserRow).where(_BY_KEY_W).values(updated_at=bindparam("now"))
    .returning(UserRow.id, UserRow.updated_at, UserRow.token_ciphertext)
)
_CACHE: Table = WorkspaceCacheRow.__table__  # type: ignore[assignment]


@cache
def _save_account_unchanged(fields: tuple[str, ...]) -> Any:
    """The same UPDATE, only if the row is still at the version this process remembers."""
    return _save_account(fields).where(
        UserRow.updated_at == bindparam("k_updated_at"),
        UserRow.token_ciphertext == bindparam("k_ciphertext"),
    )


@cache
def _save_catalog(fields: tuple[str, ...]) -> Any:
    """A catalog's UPDATE, built once per set of columns (``catalog_columns``' keys)."""
    return (
        update(_CACHE)
        .where(WorkspaceCacheRow.account_id == bindparam("k_account_id"),
               WorkspaceCacheRow.workspace_id == bindparam("k_wid"))
        .values({name: bindparam(f"v_{name}") for name in fields})
    )


def _prefixed(prefix: str, values: dict[str, Any]) -> dict[str, Any]:
    return {prefix + name: value for name, value in values.items()}


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
        memo: Memo | None = None,
    ) -> None:
        self._engine = engine
        self._cipher = cipher
        self._batch = rotate_batch_size
        self._warned_unreadable = False
        # Decrypted accounts and decoded catalogs, reused while the row's version holds.
        self.memo = memo if memo is not None else Memo()
        # One statement needs no transaction around it: on PostgreSQL that saves a BEGIN and
        # a ROLLBACK/COMMIT round trip each. (SQLite's driver begins no transaction for a
        # SELECT, and setting autocommit there costs a hop to its thread.)
        self._single = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql" else engine
        )

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    def __repr__(self) -> str:
        return f"SqlAccountStore({self._engine.url.render_as_string(hide_password=True)})"

    # -- accounts -------------------------------------------------------------------------

    async def get_account(self, key: UserKey) -> Account | None:
        """One read: the row's version decides whether what we remember still holds."""
        known = self.memo.get(key)
        query = _GET_ACCOUNT if known is not None else _GET_ACCOUNT_AND_CATALOG
        async with storage_errors(), self._single.connect() as conn:
            row = (await conn.execute(query, _key_params(key))).first()
        if row is None:
            self.memo.drop(key)
            return None
        r = row._mapping
        version = (r["updated_at"], r["token_ciphertext"])
        if known is not None and known.version == version:
            return replace(known.account)
        try:
            account = self._account_from_row(key, row)
        except KeyMismatch as exc:
            self.memo.drop(key)
            self._warn_unreadable(exc)
            raise TokenUnreadable() from None
        remembered = Remembered(version, replace(account))
        if known is None:  # the catalog came with the row
            wid = account.workspace_id
            remembered.catalogs[wid] = (
                None if r["fetched_at"] is None
                else catalog_from_columns(wid, r["fetched_at"], r["projects"], r["clients"],
                                          r["tags"])
            )
        self.memo.put(key, remembered)
        return account

    async def save_changes(
        self, key: UserKey, account: Account | None, catalogs: Sequence[Catalog] = (),
        *, create: bool = False,
    ) -> None:
        """A command's writes in one transaction: the account (None: unchanged) and the
        catalogs it learned. Only ``create=True`` (a login) inserts the account."""
        if account is None and not catalogs:
            return
        # Only the account, and it exists: one UPDATE, atomic by itself.
        single = account is not None and not catalogs and not create
        known = self.memo.get(key)
        try:
            async with storage_errors(), (
                self._single.connect() if single else self._engine.begin()
            ) as conn:
                written = await self._write(conn, key, account, catalogs, create=create,
                                            known=known)
                if single and self._single is self._engine:
                    await conn.commit()
        except IntegrityError:
            # Lost a race with another process inserting the same person: update theirs.
            async with storage_errors(), self._engine.begin() as conn:
                written = await self._write(conn, key, account, catalogs, create=False)
        if written is None or account is None:
            # Gone, or only catalogs written: the next read loads the account again.
            self.memo.drop(key)
            return
        version, unchanged = written
        # Write-through: what we wrote is what the row holds now. The catalogs we remember
        # are kept only when the row was still at the version we remember (nobody wrote in
        # between); otherwise another process may have changed them.
        kept = dict(known.catalogs) if unchanged and known is not None else {}
        kept.update((c.workspace_id, c) for c in catalogs)
        self.memo.put(key, Remembered(version, replace(account), kept))

    async def _write(
        self, conn: AsyncConnection, key: UserKey, account: Account | None,
        catalogs: Sequence[Catalog], *, create: bool, known: Remembered | None = None,
    ) -> tuple[Version, bool] | None:
        """Returns the row's new version, and whether it was at ``known``'s just before."""
        params = {f"k_{name}": value for name, value in _key_params(key).items()}
        unchanged = False
        if account is not None:
            values = self._account_values(account)
            fields, bound = tuple(values), {**params, **_prefixed("v_", values)}
            row = None
            if known is not None:
                at, ciphertext = known.version
                row = (await conn.execute(
                    _save_account_unchanged(fields),
                    {**bound, "k_updated_at": at, "k_ciphertext": ciphertext},
                )).first()
                unchanged = row is not None
            if row is None:  # written elsewhere since (or not remembered): update anyway
                row = (await conn.execute(_save_account(fields), bound)).first()
            if row is None and create:
                row = (await conn.execute(
                    insert(UserRow)
                    .values(**_key_params(key), created_at=values["updated_at"], **values)
                    .returning(UserRow.id, UserRow.updated_at, UserRow.token_ciphertext)
                )).first()
        else:
            row = (await conn.execute(_TOUCH_ACCOUNT, {**params, "now": utcnow()})).first()
        if row is None:
            # Forgotten (logout, `togglbot forget`) while a command was in flight: only the
            # person's own next login brings the row back, and nothing is cached for them.
            return None
        account_id, updated_at, ciphertext = row
        for catalog in catalogs:
            values = catalog_columns(catalog)
            done = await conn.execute(_save_catalog(tuple(values)), {
                "k_account_id": account_id, "k_wid": catalog.workspace_id,
                **_prefixed("v_", values),
            })
            if done.rowcount == 0:
                await conn.execute(insert(WorkspaceCacheRow).values(
                    account_id=account_id, workspace_id=catalog.workspace_id, **values))
        return (updated_at, ciphertext), unchanged

    async def save_account(self, account: Account, *, create: bool = False) -> None:
        await self.save_changes(account.key, account, (), create=create)

    async def delete_account(self, key: UserKey) -> bool:
        self.memo.drop(key)
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
        self.memo.clear()
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
        """As of the person's last ``get_account`` (every command starts with one)."""
        known = self.memo.get(key)
        if known is not None and workspace_id in known.catalogs:
            return known.catalogs[workspace_id]
        params = {**_key_params(key), "workspace_id": workspace_id}
        async with storage_errors(), self._single.connect() as conn:
            row = (await conn.execute(_GET_CATALOG, params)).first()
        catalog = (
            None if row is None
            else catalog_from_columns(workspace_id, row[0], row[1], row[2], row[3])
        )
        # Read after the version was: at least as new. Kept only if nothing replaced it.
        if known is not None and self.memo.get(key) is known:
            known.catalogs[workspace_id] = catalog
        return catalog

    async def save_catalog(self, key: UserKey, catalog: Catalog) -> None:
        await self.save_changes(key, None, (catalog,))

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
