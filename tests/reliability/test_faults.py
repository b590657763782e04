"""Every fault ends in a clear message, nothing is duplicated, and others keep being served."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import psycopg
import pytest

from adapters.console import ConsoleBot
from bot.core import Core
from bot.crypto import TokenCipher
from bot.emulator import TogglEmulator
from bot.migrate import upgrade
from bot.replies import Tone
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport
from tests.core_fixtures import API, no_sleep

FAULTS = {
    "5xx": {"status": 503, "times": 10},
    "429 long": {"status": 429, "headers": {"Retry-After": "120"}},
    "402 quota": {"status": 402, "headers": {"X-Toggl-Quota-Remaining": "0",
                                             "X-Toggl-Quota-Resets-In": "900"}},
    "402 plan": {"status": 402},
    "slow": {"status": 200, "delay": 2.0, "times": 10},
    "malformed": {"malformed_json": True, "times": 10},
    "rejected": {"status": 403, "body": "Incorrect username and/or password"},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("command", ["start fault test @Website", "stop", "current", "summary"])
async def test_every_fault_reads_well_and_leaves_no_duplicate(
    fault: str, command: str, ada: ConsoleBot, fake_toggl: TogglEmulator
) -> None:
    if command == "stop":
        await ada.send("start to be stopped")
    fake_toggl.inject(**FAULTS[fault])  # type: ignore[arg-type]
    reply = await ada.send(command)
    assert reply.tone in (Tone.ERROR, Tone.WARNING), reply.text()
    assert reply.title and len(reply.title) < 200
    assert "Traceback" not in reply.text() and "Exception" not in reply.text()
    uid = fake_toggl.user_ids()[0]
    assert len([e for e in fake_toggl.entries(uid) if e.stop is None]) <= 1
    assert len(fake_toggl.entries(uid)) <= 1


async def test_a_post_that_landed_before_the_error_is_not_repeated(
    ada: ConsoleBot, fake_toggl: TogglEmulator
) -> None:
    fake_toggl.inject(502, method="POST", perform=True)
    reply = await ada.send("start landed anyway")
    assert reply.title == "Started “landed anyway”"
    assert len(fake_toggl.entries(fake_toggl.user_ids()[0])) == 1
    assert fake_toggl.count(method="POST") == 1


class DroppingTransport(httpx.AsyncBaseTransport):
    """Drops the first ``drops`` connections mid-request, like a flaky network."""

    def __init__(self, inner: httpx.AsyncBaseTransport, drops: int) -> None:
        self.inner = inner
        self.drops = drops

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.drops > 0:
            self.drops -= 1
            raise httpx.RemoteProtocolError("peer closed connection", request=request)
        return await self.inner.handle_async_request(request)


async def test_dropped_connections_are_retried_for_reads_only(
    fake_toggl: TogglEmulator, clock: ManualClock, toggl_token: str
) -> None:
    dropping = DroppingTransport(httpx.ASGITransport(app=fake_toggl.app), drops=0)
    http = httpx.AsyncClient(transport=dropping)
    from tests.fakes import InMemoryAccountStore

    core = Core(InMemoryAccountStore(),
                TogglClient(Transport(API, http=http, clock=clock, sleep=no_sleep), clock),
                clock=clock)
    bot = ConsoleBot(core)
    await bot.login(toggl_token)
    dropping.drops = 1
    assert (await bot.send("current")).title == "No timer is running"
    dropping.drops = 2  # the POST and the reconciling GET both drop
    reply = await bot.send("start over a bad line")
    assert reply.tone is Tone.ERROR
    assert fake_toggl.entries(fake_toggl.user_ids()[0]) == []
    await http.aclose()


async def test_one_slow_person_does_not_hold_up_another(
    core: Core, fake_toggl: TogglEmulator, toggl_token: str
) -> None:
    ada = ConsoleBot(core, user_id="ada")
    grace = ConsoleBot(core, user_id="grace")
    fake_toggl.add_user("grace-token-0123456789", fullname="Grace Hopper")
    await ada.login(toggl_token)
    await grace.login("grace-token-0123456789")
    fake_toggl.inject(200, path="/me/time_entries/current", delay=0.4, times=3)
    order: list[str] = []

    async def run(bot: ConsoleBot, name: str, text: str) -> None:
        await bot.send(text)
        order.append(name)

    await asyncio.gather(run(ada, "ada", "current"), run(grace, "grace", "clients"))
    assert order == ["grace", "ada"]


@pytest.fixture
async def sql_core(
    postgres_url: str, fake_toggl: TogglEmulator, clock: ManualClock
) -> AsyncIterator[tuple[Core, str]]:
    """A server database (an open SQLite file can't be taken away from its process)."""
    migrated_url = postgres_url
    upgrade(migrated_url)
    engine = create_engine_for(migrated_url)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake_toggl.app))
    transport = Transport(API, http=http, clock=clock, sleep=no_sleep,
                          policy=RetryPolicy(timeout=0.5))
    store = SqlAccountStore(engine, TokenCipher.from_setting(TokenCipher.generate_key()))
    yield Core(store, TogglClient(transport, clock), clock=clock), migrated_url
    await http.aclose()
    await engine.dispose()


async def test_a_database_outage_says_try_again_and_recovers(
    sql_core: tuple[Core, str], toggl_token: str, fake_toggl: TogglEmulator
) -> None:
    core, url = sql_core
    bot = ConsoleBot(core)
    await bot.login(toggl_token)
    assert (await bot.send("start before")).tone is Tone.SUCCESS
    with _outage(url):
        reply = await bot.send("stop")
        assert reply.title == "The bot's database is unavailable. Try again in a moment."
    reply = await bot.send("stop")
    assert reply.title.startswith("Stopped “before”")


class _outage:
    """Take the database away: end every session and refuse new ones, then allow again."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        self._pg(False)

    def __exit__(self, *exc: object) -> None:
        self._pg(True)

    def _pg(self, allow: bool) -> None:
        from sqlalchemy.engine import make_url

        parsed = make_url(self.url)
        admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(
            hide_password=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'ALTER DATABASE "{parsed.database}" ALLOW_CONNECTIONS {allow}')
            if not allow:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = %s AND pid <> pg_backend_pid()",
                             (parsed.database,))
