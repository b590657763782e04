"""SqlAccountStore against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select, text

from bot.crypto import Rotation, TokenCipher
from bot.domain import Account, Catalog, Client, Project, Quota, Tag, TimeEntry, UserKey
from bot.errors import StorageUnavailable, TokenUnreadable
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.store.schema import UserRow

TOKEN = "f00dfacecafe1234567890abcdef0123"
KEY = UserKey("slack", "T1", "U1")
T0 = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def account(key: UserKey = KEY, token: str = TOKEN, **changes: object) -> Account:
    acc = Account(
        key=key,
        token=SecretStr(token),
        toggl_user_id=42,
        workspace_id=7,
        timezone="Europe/Berlin",
        name="Ada",
    )
    for name, value in changes.items():
        setattr(acc, name, value)
    return acc


def catalog(workspace_id: int = 7, project_name: str = "Acme") -> Catalog:
    return Catalog(
        workspace_id=workspace_id,
        fetched_at=T0,
        projects=(
            Project(11, workspace_id, project_name, client_id=21, billable=True),
            Project(12, workspace_id, "Internal", active=False),
        ),
        clients=(Client(21, workspace_id, "Acme Corp"), Client(22, workspace_id, "Old", True)),
        tags=(Tag(31, workspace_id, "billable"), Tag(32, workspace_id, "meeting")),
    )


async def test_missing_account_is_none(store: SqlAccountStore) -> None:
    assert await store.get_account(KEY) is None
    assert await store.delete_account(KEY) is False
    assert await store.count_accounts() == 0


async def test_account_round_trip_with_entries_and_quota(store: SqlAccountStore) -> None:
    running = TimeEntry(1001, 7, "meeting", T0, project_id=11, tags=("a", "b"), billable=True)
    last = TimeEntry(
        1000, 7, "review", T0 - timedelta(hours=2), stop=T0 - timedelta(hours=1), tags=("x",)
    )
    # A non-UTC offset must come back as the same instant.
    resets = datetime(2025, 3, 4, 11, 0, tzinfo=timezone(timedelta(hours=2)))
    original = account(
        running=running, last=last, token_valid=False, quota=Quota(remaining=3, resets_at=resets),
        me_quota=Quota(remaining=17, resets_at=resets + timedelta(minutes=5)),
    )
    await store.save_account(original, create=True)

    loaded = await store.get_account(KEY)
    assert loaded is not None
    assert loaded.token.get_secret_value() == TOKEN
    assert (loaded.toggl_user_id, loaded.workspace_id) == (42, 7)
    assert (loaded.timezone, loaded.name, loaded.token_valid) == ("Europe/Berlin", "Ada", False)
    assert loaded.running == running
    assert loaded.last == last
    assert loaded.quota == Quota(remaining=3, resets_at=resets)
    assert loaded.quota.resets_at is not None and loaded.quota.resets_at.tzinfo is not None
    assert loaded.me_quota == Quota(remaining=17, resets_at=resets + timedelta(minutes=5))


async def test_recent_entries_round_trip_newest_first(store: SqlAccountStore) -> None:
    """`recent` and `continue <words>` read them back with no Toggl request."""
    original = account()
    await store.save_account(original, create=True)
    for n in range(7):
        original.remember(TimeEntry(2000 + n, 7, f"task {n % 6}", T0 + timedelta(hours=n),
                                    stop=T0 + timedelta(hours=n, minutes=30)))
    await store.save_account(original)
    loaded = await store.get_account(KEY)
    assert loaded is not None
    assert [e.description for e in loaded.recent] == [
        "task 0", "task 5", "task 4", "task 3", "task 2"]  # 6 kinds, the newest 5 kept
    assert loaded.recent == original.recent


async def test_none_entries_and_quota_round_trip(store: SqlAccountStore) -> None:
    await store.save_account(account(), create=True)
    loaded = await store.get_account(KEY)
    assert loaded is not None
    assert loaded.running is None and loaded.last is None
    assert loaded.quota == Quota()


async def test_save_is_an_upsert(store: SqlAccountStore) -> None:
    entry = TimeEntry(5, 7, "x", T0)
    await store.save_account(account(running=entry), create=True)
    await store.save_account(account(token="new-token", workspace_id=8, running=None, last=entry))
    assert await store.count_accounts() == 1
    loaded = await store.get_account(KEY)
    assert loaded is not None
    assert loaded.token.get_secret_value() == "new-token"
    assert loaded.workspace_id == 8
    assert loaded.running is None and loaded.last == entry


async def test_concurrent_first_saves_make_one_row(store: SqlAccountStore) -> None:
    await asyncio.gather(
        *(store.save_account(account(name=f"n{i}"), create=True) for i in range(8))
    )
    assert await store.count_accounts() == 1


async def test_same_user_id_in_other_team_or_platform_is_another_account(
    store: SqlAccountStore,
) -> None:
    keys = [KEY, UserKey("slack", "T2", "U1"), UserKey("discord", "T1", "U1")]
    for i, key in enumerate(keys):
        await store.save_account(account(key, token=f"token-{i}"), create=True)
    assert await store.count_accounts() == 3
    for i, key in enumerate(keys):
        loaded = await store.get_account(key)
        assert loaded is not None and loaded.token.get_secret_value() == f"token-{i}"
    assert await store.delete_account(keys[1]) is True
    assert await store.get_account(keys[1]) is None
    assert await store.get_account(keys[0]) is not None


async def test_catalog_round_trip_and_upsert(store: SqlAccountStore) -> None:
    assert await store.get_catalog(KEY, 7) is None
    await store.save_catalog(KEY, catalog())  # no account yet: nothing cached
    await store.save_account(account(), create=True)
    assert await store.get_catalog(KEY, 7) is None
    await store.save_catalog(KEY, catalog())
    assert await store.get_catalog(KEY, 7) == catalog()
    await store.save_catalog(KEY, catalog(project_name="Renamed"))
    await store.save_catalog(KEY, catalog(workspace_id=8))
    loaded = await store.get_catalog(KEY, 7)
    assert loaded is not None and loaded.projects[0].name == "Renamed"
    assert await store.get_catalog(KEY, 8) == catalog(workspace_id=8)


async def test_catalog_is_per_user(store: SqlAccountStore) -> None:
    other = UserKey("slack", "T1", "U2")
    await store.save_account(account(), create=True)
    await store.save_account(account(other), create=True)
    await store.save_catalog(KEY, catalog(project_name="Private"))
    assert await store.get_catalog(other, 7) is None


async def test_delete_cascades_catalog(store: SqlAccountStore) -> None:
    await store.save_account(account(), create=True)
    await store.save_catalog(KEY, catalog())
    assert await store.delete_account(KEY) is True
    assert await store.get_catalog(KEY, 7) is None
    async with store.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM workspace_cache")) == 0
    # A new user must not inherit anything of the deleted one.
    await store.save_account(account(), create=True)
    assert await store.get_catalog(KEY, 7) is None


async def test_raw_column_does_not_contain_token(store: SqlAccountStore) -> None:
    await store.save_account(account(), create=True)
    async with store.engine.connect() as conn:
        raw = (await conn.execute(text("SELECT * FROM users"))).all()
    dump = repr(raw).encode() + b"".join(bytes(v) for r in raw for v in r if isinstance(v, bytes))
    assert TOKEN.encode() not in dump
    assert TOKEN not in repr(await store.get_account(KEY))


async def test_wrong_key_asks_the_person_to_log_in_again(store: SqlAccountStore) -> None:
    await store.save_account(account(), create=True)
    stranger = SqlAccountStore(store.engine, TokenCipher.from_setting(TokenCipher.generate_key()))
    with pytest.raises(TokenUnreadable, match="log in again"):
        await stranger.get_account(KEY)


async def test_rotate_keys_moves_every_row_to_the_new_key(migrated_url: str) -> None:
    old, new = TokenCipher.generate_key(), TokenCipher.generate_key()
    engine = create_engine_for(migrated_url)
    try:
        before = SqlAccountStore(engine, TokenCipher.from_setting(old))
        keys = [UserKey("slack", "T", f"U{i}") for i in range(7)]
        for i, key in enumerate(keys):
            await before.save_account(account(key, token=f"tok-{i}"), create=True)
        both = SqlAccountStore(
            engine, TokenCipher.from_setting(f"{new},{old}"), rotate_batch_size=3
        )
        assert await both.rotate_keys() == Rotation(7)
        after = SqlAccountStore(engine, TokenCipher.from_setting(new))
        for i, key in enumerate(keys):
            loaded = await after.get_account(key)
            assert loaded is not None and loaded.token.get_secret_value() == f"tok-{i}"
        async with engine.connect() as conn:
            blobs = (await conn.execute(select(UserRow.token_ciphertext))).scalars().all()
        assert len(blobs) == 7
    finally:
        await engine.dispose()


async def test_postgres_unreachable_is_storage_unavailable(cipher: TokenCipher) -> None:
    engine = create_engine_for("postgresql+psycopg://postgres@127.0.0.1:1/none")
    try:
        store = SqlAccountStore(engine, cipher)
        with pytest.raises(StorageUnavailable):
            await store.get_account(KEY)
        with pytest.raises(StorageUnavailable):
            await store.save_account(account(), create=True)
    finally:
        await engine.dispose()


async def test_sqlite_unopenable_is_storage_unavailable(
    tmp_path: Path, cipher: TokenCipher
) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    try:
        with pytest.raises(StorageUnavailable):
            await SqlAccountStore(engine, cipher).count_accounts()
    finally:
        await engine.dispose()
