"""The per-person limiter that protects a shared Toggl quota."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import SecretStr

from adapters.console import ConsoleBot
from bot.core import Core
from bot.demo import demo_core
from bot.emulator import TogglEmulator
from bot.errors import RateLimited
from bot.pacing import Pacer
from bot.ratelimit import RateLimiter
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.fakes import InMemoryAccountStore


def test_a_burst_then_a_clear_wait() -> None:
    clock = ManualClock()
    limiter: RateLimiter[str] = RateLimiter(clock, capacity=3, refill=timedelta(seconds=10))
    assert [limiter.take("ada") for _ in range(3)] == [None, None, None]
    assert limiter.take("ada") == timedelta(seconds=10)
    clock.advance(seconds=4)
    assert limiter.take("ada") == timedelta(seconds=6)
    clock.advance(seconds=6)
    assert limiter.take("ada") is None


def test_people_do_not_share_a_bucket() -> None:
    limiter: RateLimiter[str] = RateLimiter(ManualClock(), capacity=1)
    assert limiter.take("ada") is None
    assert limiter.take("ada") is not None
    assert limiter.take("grace") is None


def test_memory_stays_bounded() -> None:
    clock = ManualClock()
    limiter: RateLimiter[int] = RateLimiter(clock, capacity=1, refill=timedelta(seconds=1),
                                            max_keys=10)
    for person in range(10):
        limiter.take(person)
    clock.advance(seconds=5)
    limiter.take(99)
    assert len(limiter._buckets) == 1


class TestTheRunawayGuard:
    async def test_it_says_when_to_try_again_and_spends_nothing(
        self, ada: ConsoleBot, core: Core, fake_toggl: TogglEmulator, clock: ManualClock
    ) -> None:
        core.limiter = RateLimiter(clock, capacity=2, refill=timedelta(seconds=6))
        await ada.send("current")
        await ada.send("current")
        reply = await ada.send("current")
        assert reply.title == "Slow down a little: try again in 6 s."
        assert fake_toggl.count() == 2

    async def test_commands_that_spend_no_request_are_never_limited(
        self, ada: ConsoleBot, core: Core, clock: ManualClock
    ) -> None:
        core.limiter = RateLimiter(clock, capacity=1, refill=timedelta(seconds=6))
        for _ in range(20):
            assert (await ada.send("help")).title == "togglbot commands"
            assert (await ada.send("quota")).title == "Your Toggl requests this hour"
        assert (await ada.send("current")).title == "No timer is running"

    async def test_a_minute_of_quick_commands_goes_through(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator
    ) -> None:
        """10 to 15 quick clicks used to meet "Slow down"; the guard is for runaway clients.

        The login counted too: 60 commands that call Toggl, all in the same second."""
        replies = [await ada.send("current") for _ in range(59)]
        assert all(r.title == "No timer is running" for r in replies)
        assert (await ada.send("current")).title.startswith("Slow down")

    async def test_one_person_has_no_guard(
        self, account_store: InMemoryAccountStore, toggl_client: TogglClient,
        clock: ManualClock,
    ) -> None:
        assert Core(account_store, toggl_client, clock=clock, command_limit=False).limiter \
            is None
        async with demo_core() as (demo, _):
            assert demo.limiter is None
            assert isinstance(demo.toggl, TogglClient) and demo.toggl.pacer is None


class FakeTime:
    """A monotonic clock that moves only when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class TestPacingTogglRequests:
    async def test_a_command_waits_for_its_turn_instead_of_being_refused(
        self, ada: ConsoleBot, fake_toggl: TogglEmulator, toggl_client: TogglClient
    ) -> None:
        time = FakeTime()
        toggl_client.pacer = Pacer(1.0, clock=time, sleep=time.sleep)
        await ada.send("start call")
        running = fake_toggl.running(fake_toggl.user_ids()[0])
        assert running is not None
        fake_toggl.stop_entry(running.id)  # stopped elsewhere, and another one runs
        fake_toggl.add_entry(running.user_id, running.workspace_id, "other", running.start)
        reply = await ada.send("stop")  # three requests, back to back
        assert reply.title.startswith("Stopped “other”")
        assert time.slept == [1.0, 1.0, 1.0]

    async def test_a_burst_past_two_seconds_is_told_to_wait(
        self, toggl_client: TogglClient, toggl_token: str
    ) -> None:
        time = FakeTime()

        async def in_flight(seconds: float) -> None:
            """Three other requests are still waiting: time doesn't move for them."""

        pacer = toggl_client.pacer = Pacer(1.0, clock=time, sleep=in_flight)
        session = toggl_client.session(SecretStr(toggl_token))
        for _ in range(3):  # turns at 0, 1 and 2 s are taken
            assert await pacer.wait(_key(toggl_token), at_most=None)
        with pytest.raises(RateLimited):
            await session.current_entry()


def _key(token: str) -> str:
    from bot.toggl.api import _pace_key

    return _pace_key(SecretStr(token))
