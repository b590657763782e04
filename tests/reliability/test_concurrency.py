"""Double clicks, racing processes, a busy SQLite file and key rotation under load."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest

from adapters.console import ConsoleBot
from bot.core import Core
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator
from bot.ratelimit import RateLimiter
from bot.replies import Tone
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient, Transport
from tests.core_fixtures import API, no_sleep

CoreFactory = Callable[[str], AbstractAsyncContextManager[Core]]


@pytest.fixture
def sql_core(migrated_url: str, fake_toggl: TogglEmulator, clock: ManualClock) -> CoreFactory:
    """Builds a Core with its own engine (its own pool, like another process)."""

    @asynccontextmanager
    async def build(keys: str) -> AsyncIterator[Core]:
        engine = create_engine_for(migrated_url)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
        transport = Transport(API, http=http, clock=clock, sleep=no_sleep)
        core = Core(SqlAccountStore(engine, TokenCipher.from_setting(keys)),
                    TogglClient(transport, clock), clock=clock)
        core.limiter = RateLimiter(clock, capacity=1_000_000)
        try:
            yield core
        finally:
            await http.aclose()
            await engine.dispose()

    return build


KEY = TokenCipher.generate_key()


async def test_two_starts_at_once_leave_exactly_one_running(
    sql_core: CoreFactory, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    async with sql_core(KEY) as core:
        bot = ConsoleBot(core)
        await bot.login(toggl_token)
        replies = await asyncio.gather(bot.send("start one"), bot.send("start two"))
        assert all(r.tone is Tone.SUCCESS for r in replies)
        entries = fake_toggl.entries(fake_toggl.user_ids()[0])
        assert len(entries) == 2
        assert len([e for e in entries if e.stop is None]) == 1


async def test_two_processes_stopping_the_same_timer_stop_it_once(
    sql_core: CoreFactory, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    async with sql_core(KEY) as first, sql_core(KEY) as second:
        await ConsoleBot(first).login(toggl_token)
        await ConsoleBot(first).send("start shared")
        fake_toggl.reset_log()
        replies = await asyncio.gather(ConsoleBot(first).send("stop"),
                                       ConsoleBot(second).send("stop"))
        assert all(r.tone is not Tone.ERROR for r in replies), [r.text() for r in replies]
        assert sum(r.title.startswith("Stopped “shared”") for r in replies) >= 1
        assert fake_toggl.running(fake_toggl.user_ids()[0]) is None
        assert fake_toggl.count() <= 4


async def test_many_people_at_once_never_see_a_locked_database(
    sql_core: CoreFactory, fake_toggl: TogglEmulator
) -> None:
    async with sql_core(KEY) as core:
        bots = []
        for n in range(40):
            token = f"load-token-{n:04d}-abcdef"
            fake_toggl.add_user(token, fullname=f"Person {n}")
            bot = ConsoleBot(core, user_id=f"U{n}")
            await bot.login(token)
            bots.append(bot)
        commands = [bot.send(text) for bot in bots for text in ("start work", "current", "stop")]
        replies = await asyncio.gather(*commands)
        failures = [r.text() for r in replies if r.tone is Tone.ERROR]
        assert failures == []
        assert not any("database" in r.title for r in replies)


async def test_key_rotation_while_serving(
    sql_core: CoreFactory, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    new = TokenCipher.generate_key()
    async with sql_core(KEY) as before:
        for n in range(20):
            await ConsoleBot(before, user_id=f"U{n}").login(toggl_token)
    # Deploy step 1: both keys, newest first; the bot keeps serving while rows rotate.
    async with sql_core(f"{new},{KEY}") as serving:
        store = serving.store
        assert isinstance(store, SqlAccountStore)
        bots = [ConsoleBot(serving, user_id=f"U{n}") for n in range(20)]
        results = await asyncio.gather(
            store.rotate_keys(), *(bot.send("current") for bot in bots)
        )
        assert all(r.tone is not Tone.ERROR for r in results[1:])
    # Deploy step 2: the old key is gone and every token still decrypts.
    async with sql_core(new) as after:
        for n in range(20):
            reply = await ConsoleBot(after, user_id=f"U{n}").send("current")
            assert reply.tone is not Tone.ERROR, reply.text()
