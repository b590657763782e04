"""Fixtures wiring the real Core and Toggl client to the fake Toggl, with an in-memory store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.console import ConsoleBot
from bot.core import Core
from bot.emulator import TogglEmulator
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport
from tests.fakes import InMemoryAccountStore

API = "http://toggl.test/api/v9"


async def no_sleep(seconds: float) -> None:
    """Retries and Retry-After waits happen instantly in tests."""


@pytest.fixture
def account_store() -> InMemoryAccountStore:
    return InMemoryAccountStore()


@pytest.fixture
async def toggl_client(fake_toggl: TogglEmulator, clock: ManualClock) -> AsyncIterator[TogglClient]:
    """The real Toggl client over httpx to the fake; waits are instant, timeouts short."""
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    transport = Transport(
        API, http=http, clock=clock, sleep=no_sleep, policy=RetryPolicy(timeout=0.5)
    )
    yield TogglClient(transport, clock)
    await http.aclose()


@pytest.fixture
def core(
    toggl_client: TogglClient, clock: ManualClock, account_store: InMemoryAccountStore
) -> Core:
    return Core(account_store, toggl_client, clock=clock)


@pytest.fixture
def bot(core: Core) -> ConsoleBot:
    return ConsoleBot(core, user_id="U1", team_id="T1")


@pytest.fixture
async def ada(bot: ConsoleBot, toggl_token: str, fake_toggl: TogglEmulator) -> ConsoleBot:
    """A logged-in person; the fake's request log starts empty after login."""
    reply = await bot.login(toggl_token)
    assert reply.title.startswith("Connected"), reply.text()
    fake_toggl.reset_log()
    return bot
