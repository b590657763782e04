"""The per-person limiter that protects a shared Toggl quota."""

from __future__ import annotations

from datetime import timedelta

from bot.ratelimit import RateLimiter
from bot.testing.clock import ManualClock


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


async def test_the_core_says_when_to_try_again_and_spends_nothing() -> None:
    from adapters.console import ConsoleBot
    from bot.core import Core
    from bot.toggl import TogglClient, Transport
    from tests.fakes import InMemoryAccountStore

    clock = ManualClock()
    transport = Transport("http://127.0.0.1:1/api/v9", clock=clock)
    core = Core(InMemoryAccountStore(), TogglClient(transport, clock), clock=clock)
    core.limiter = RateLimiter(clock, capacity=2, refill=timedelta(seconds=6))
    bot = ConsoleBot(core)
    await bot.send("current")
    await bot.send("current")
    reply = await bot.send("current")
    assert reply.title == "Slow down a little: try again in 6 s."
    assert (await bot.send("help")).title == "togglbot commands"
    await transport.aclose()
