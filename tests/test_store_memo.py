"""Issue 20: the store remembers decrypted accounts and decoded catalogs between commands,
and is never stale when another process (here: another store, and another OS process)
changed the person meanwhile. Every write bumps the row's version; every read checks it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import event
from sqlalchemy.pool import NullPool

from bot.crypto import TokenCipher
from bot.domain import Quota, Tag
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from tests.test_store import KEY, T0, account, catalog


@pytest.fixture
def other(migrated_url: str, cipher: TokenCipher) -> Iterator[SqlAccountStore]:
    """A second store on the same database: what another process would hold. Its engine
    uses no pool, so nothing of it outlives the test's event loop."""
    engine = create_engine_for(migrated_url, poolclass=NullPool)
    yield SqlAccountStore(engine, cipher)


def statements(store: SqlAccountStore) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine.sync_engine, "before_cursor_execute",
                 lambda *args: seen.append(args[2].split()[0]))
    return seen


async def test_a_remembered_person_costs_one_read_and_no_decryption(
    store: SqlAccountStore,
) -> None:
    await store.save_changes(KEY, account(), (catalog(),), create=True)
    seen = statements(store)
    first = await store.get_account(KEY)
    assert first is not None
    assert await store.get_catalog(KEY, 7) == catalog()
    assert seen == ["SELECT"]  # the account with its catalog, and the version check
    first.name = "changed by a handler"  # copies: a handler's change is not remembered
    again = await store.get_account(KEY)
    assert again is not None and again.name == "Ada"


async def test_one_write_per_command(store: SqlAccountStore) -> None:
    await store.save_changes(KEY, account(), (), create=True)
    seen = statements(store)
    await store.save_changes(KEY, account(name="Grace"), (catalog(7), catalog(8)))
    # The account id comes back from the account's UPDATE: no SELECT before the catalogs.
    assert seen == ["UPDATE", "UPDATE", "INSERT", "UPDATE", "INSERT"]


async def test_a_write_keeps_the_catalogs_when_nobody_wrote_in_between(
    store: SqlAccountStore,
) -> None:
    await store.save_changes(KEY, account(), (catalog(),), create=True)
    mine = await store.get_account(KEY)
    assert mine is not None
    mine.quota = Quota(remaining=29, resets_at=T0)  # what every Toggl answer brings
    await store.save_changes(KEY, mine)
    seen = statements(store)
    assert (await store.get_account(KEY)) == mine
    assert await store.get_catalog(KEY, 7) == catalog()
    assert seen == ["SELECT"]  # the version check only: the catalog is still remembered


async def test_another_processs_account_change_is_seen(
    store: SqlAccountStore, other: SqlAccountStore
) -> None:
    await store.save_changes(KEY, account(), (catalog(),), create=True)
    assert (await store.get_account(KEY)) is not None  # remembered here
    theirs = await other.get_account(KEY)
    assert theirs is not None
    theirs.running = None
    theirs.quota = Quota(remaining=3, resets_at=T0)
    theirs.timezone = "Asia/Tokyo"
    await other.save_changes(KEY, theirs)
    mine = await store.get_account(KEY)
    assert mine is not None
    assert (mine.timezone, mine.quota) == ("Asia/Tokyo", Quota(remaining=3, resets_at=T0))


async def test_another_processs_catalog_change_is_seen(
    store: SqlAccountStore, other: SqlAccountStore
) -> None:
    await store.save_changes(KEY, account(), (catalog(),), create=True)
    await store.get_account(KEY)
    assert await store.get_catalog(KEY, 7) == catalog()
    learned = catalog().with_tags((Tag(33, 7, "new"),))
    await other.save_changes(KEY, None, (learned,))  # only the catalog changed there
    await store.get_account(KEY)
    assert await store.get_catalog(KEY, 7) == learned


async def test_a_write_here_does_not_keep_catalogs_another_process_changed(
    store: SqlAccountStore, other: SqlAccountStore
) -> None:
    await store.save_changes(KEY, account(), (catalog(7), catalog(8)), create=True)
    mine = await store.get_account(KEY)
    assert mine is not None and await store.get_catalog(KEY, 8) == catalog(8)
    await other.save_changes(KEY, None, (catalog(8, "Renamed"),))
    mine.name = "Ada L."
    await store.save_changes(KEY, mine)  # our write comes last: the version is ours now
    await store.get_account(KEY)
    assert await store.get_catalog(KEY, 8) == catalog(8, "Renamed")


async def test_a_person_forgotten_elsewhere_is_gone_here(
    store: SqlAccountStore, other: SqlAccountStore
) -> None:
    await store.save_changes(KEY, account(), (catalog(),), create=True)
    await store.get_account(KEY)
    assert await other.delete_account(KEY)
    assert await store.get_account(KEY) is None
    await store.save_changes(KEY, account(name="late"), (catalog(),))  # a command in flight
    assert await other.get_account(KEY) is None


async def test_a_new_login_elsewhere_is_seen(
    store: SqlAccountStore, other: SqlAccountStore
) -> None:
    await store.save_changes(KEY, account(), (), create=True)
    await store.get_account(KEY)
    await other.save_changes(KEY, account(token="b" * 32), (), create=True)
    mine = await store.get_account(KEY)
    assert mine is not None and mine.token.get_secret_value() == "b" * 32


async def test_memory_is_bounded(store: SqlAccountStore) -> None:
    store.memo.size = 3
    for n in range(5):
        key = replace(KEY, user_id=f"U{n}")
        await store.save_changes(key, account(key=key), (), create=True)
        await store.get_account(key)
    assert len(store.memo) == 3


CHILD = textwrap.dedent("""
    import asyncio, sys
    from bot.crypto import TokenCipher
    from bot.domain import Tag
    from bot.store.accounts import SqlAccountStore
    from bot.store.engine import create_engine_for
    from tests.test_store import KEY, catalog

    async def main(url, key):
        engine = create_engine_for(url)
        store = SqlAccountStore(engine, TokenCipher.from_setting(key))
        theirs = await store.get_account(KEY)
        theirs.name = "Changed elsewhere"
        learned = catalog().with_tags((Tag(33, 7, "from-the-other-process"),))
        await store.save_changes(KEY, theirs, (learned,))
        await engine.dispose()

    asyncio.run(main(sys.argv[1], sys.argv[2]))
""")


@pytest.mark.postgres
async def test_two_os_processes_on_postgresql(postgres_url: str) -> None:
    from bot import migrate

    migrate.upgrade(postgres_url)
    key = TokenCipher.generate_key()
    engine = create_engine_for(postgres_url)
    store = SqlAccountStore(engine, TokenCipher.from_setting(key))
    try:
        await store.save_changes(KEY, account(), (catalog(),), create=True)
        assert (await store.get_account(KEY)) is not None
        assert await store.get_catalog(KEY, 7) == catalog()  # remembered
        await asyncio.to_thread(
            subprocess.run, [sys.executable, "-c", CHILD, postgres_url, key], check=True,
            timeout=60,
        )
        mine = await store.get_account(KEY)
        assert mine is not None and mine.name == "Changed elsewhere"
        seen = await store.get_catalog(KEY, 7)
        assert seen is not None and [t.name for t in seen.tags][-1] == "from-the-other-process"
    finally:
        await engine.dispose()
