"""Issue 15 item 12: when Toggl cannot be reached the operator's log says why (DNS,
refused, TLS) at WARNING, and the person is told "can't reach Toggl from this server",
which is not the same as "Toggl is slow"."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from adapters.console import ConsoleBot
from bot.core import Core
from bot.domain import Account, UserKey
from bot.emulator import TogglEmulator, serve
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport
from tests.core_fixtures import no_sleep
from tests.fakes import InMemoryAccountStore
from tests.processes.helpers import free_port, silent_server

CANT_REACH = "Can't reach Toggl from this server"


@pytest.fixture
def toggl_served(fake_toggl: TogglEmulator) -> Iterator[str]:
    with serve(fake_toggl) as url:
        yield url


async def person_against(api: str, clock: ManualClock, patience: float = 5.0) -> ConsoleBot:
    """A logged-in person whose Toggl lives at ``api``, with a real HTTP client."""
    store = InMemoryAccountStore()
    await store.save_account(
        Account(UserKey("console", "T1", "U1"), SecretStr("f" * 32), 1, 1, "UTC"), create=True
    )
    transport = Transport(api, clock=clock, sleep=no_sleep,
                          policy=RetryPolicy(attempts=2, timeout=patience))
    return ConsoleBot(Core(store, TogglClient(transport, clock), clock=clock), "U1", "T1")


@pytest.fixture
async def closing() -> AsyncIterator[list[ConsoleBot]]:
    bots: list[ConsoleBot] = []
    yield bots
    for bot in bots:
        await bot.core.toggl.aclose()


@pytest.mark.parametrize(("where", "cause"), [
    ("http://toggl.invalid/api/v9", "DNS lookup failed"),
    ("http://127.0.0.1:{port}/api/v9", "connection refused"),
    ("https://{served}/api/v9", "TLS failed"),  # plain HTTP where TLS was expected
])
async def test_cannot_reach_toggl(
    where: str, cause: str, clock: ManualClock, caplog: pytest.LogCaptureFixture,
    closing: list[ConsoleBot], toggl_served: str,
) -> None:
    api = where.format(port=free_port(), served=toggl_served.removeprefix("http://"))
    bot = await person_against(api, clock)
    closing.append(bot)
    with caplog.at_level(logging.WARNING, logger="bot.toggl.transport"):
        reply = await bot.send("current")
    assert reply.title.startswith(CANT_REACH), reply.text()
    said = [r for r in caplog.records if r.name == "bot.toggl.transport"]
    assert len(said) == 1 and cause in said[0].getMessage(), said


async def test_a_slow_toggl_is_not_called_unreachable(
    clock: ManualClock, caplog: pytest.LogCaptureFixture, closing: list[ConsoleBot]
) -> None:
    with silent_server() as (url, _):
        bot = await person_against(f"{url}/api/v9", clock, patience=0.3)
        closing.append(bot)
        with caplog.at_level(logging.WARNING, logger="bot.toggl.transport"):
            reply = await bot.send("current")
    assert reply.title == "Toggl is slow to answer right now. Try again in a moment."
    assert any("did not answer within" in r.getMessage() for r in caplog.records)
