"""Issue 15 item 4: once a person is forgotten, a command still in flight cannot bring
their row back; only their own next login does. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.console import ConsoleBot
from bot.core import Core
from bot.crypto import TokenCipher
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.store.accounts import SqlAccountStore
from bot.store.engine import opened_engine
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient, Transport

API = "http://toggl.test/api/v9"
KEY = UserKey("console", "T1", "U1")


class Gate(httpx.AsyncBaseTransport):
    """Holds one kind of Toggl request until released: a slow Toggl, without timing."""

    def __init__(self, inner: httpx.AsyncBaseTransport, method: str, path_part: str) -> None:
        self.inner, self.method, self.path_part = inner, method, path_part
        self.entered, self.release = asyncio.Event(), asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == self.method and self.path_part in request.url.path:
            self.entered.set()
            await self.release.wait()
        return await self.inner.handle_async_request(request)


@pytest.fixture
async def gate(fake_toggl: TogglEmulator) -> Gate:
    return Gate(httpx.ASGITransport(app=fake_toggl.app), "POST", "/time_entries")


@pytest.fixture
async def bot(
    store: SqlAccountStore, gate: Gate, clock: ManualClock
) -> AsyncIterator[ConsoleBot]:
    http = httpx.AsyncClient(transport=gate)
    toggl = TogglClient(Transport(API, http=http, clock=clock), clock)
    yield ConsoleBot(Core(store, toggl, clock=clock), user_id="U1", team_id="T1")
    await http.aclose()


async def forget_elsewhere(url: str, cipher: TokenCipher) -> bool:
    """`togglbot forget` from another process: its own engine on the same database."""
    async with opened_engine(url) as engine:
        return await SqlAccountStore(engine, cipher).delete_account(KEY)


async def test_a_slow_start_does_not_undo_forget(
    bot: ConsoleBot, store: SqlAccountStore, gate: Gate, migrated_url: str,
    cipher: TokenCipher, toggl_token: str,
) -> None:
    assert (await bot.login(toggl_token)).title.startswith("Connected")
    start = asyncio.create_task(bot.send("start Review the slides"))
    await gate.entered.wait()
    assert await forget_elsewhere(migrated_url, cipher)
    gate.release.set()
    await start
    assert await store.get_account(KEY) is None
    assert await store.count_accounts() == 0


async def test_a_slow_start_does_not_undo_logout(
    bot: ConsoleBot, store: SqlAccountStore, gate: Gate, toggl_token: str, clock: ManualClock,
) -> None:
    assert (await bot.login(toggl_token)).title.startswith("Connected")
    # Another chat process runs the person's `logout` while this one's `start` waits on Toggl.
    start = asyncio.create_task(bot.send("start Review the slides"))
    await gate.entered.wait()
    other = ConsoleBot(Core(store, bot.core.toggl, clock=clock), user_id="U1", team_id="T1")
    assert (await other.send("logout")).title == "Disconnected"
    gate.release.set()
    await start
    assert await store.get_account(KEY) is None


async def test_the_persons_next_login_brings_them_back(
    bot: ConsoleBot, store: SqlAccountStore, migrated_url: str, cipher: TokenCipher,
    toggl_token: str,
) -> None:
    assert (await bot.login(toggl_token)).title.startswith("Connected")
    assert await forget_elsewhere(migrated_url, cipher)
    assert (await bot.login(toggl_token)).title.startswith("Connected")
    assert await store.get_account(KEY) is not None
