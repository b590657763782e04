"""Replay protection's memory: a key is new once, in every process, until it expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.engine import create_engine_for
from bot.store.seen import SWEEP_EVERY, SqlSeenRequests

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)


class Clocks:
    def __init__(self) -> None:
        self.now = NOW
        self.seconds = 0.0


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
async def two_processes(
    migrated_url: str, clocks: Clocks
) -> AsyncIterator[tuple[SqlSeenRequests, SqlSeenRequests]]:
    """Two stores on their own engines: what two web processes (or a restart) hold."""
    engines = [create_engine_for(migrated_url) for _ in range(2)]
    try:
        yield tuple(  # type: ignore[misc]
            SqlSeenRequests(e, now=lambda: clocks.now, monotonic=lambda: clocks.seconds)
            for e in engines
        )
    finally:
        for engine in engines:
            await engine.dispose()


async def test_a_key_is_new_once_across_processes(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests],
) -> None:
    one, other = two_processes
    assert await one.first_time("slack:v0=aa", LATER)
    assert not await other.first_time("slack:v0=aa", LATER)
    assert not await one.first_time("slack:v0=aa", LATER)
    assert await other.first_time("slack:v0=bb", LATER)


async def test_racing_processes_let_exactly_one_through(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests],
) -> None:
    one, other = two_processes
    results = await asyncio.gather(
        *(store.first_time("slack:v0=race", LATER) for store in (one, other) for _ in range(5))
    )
    assert sorted(results) == [False] * 9 + [True]


async def test_expired_keys_are_swept_now_and_then(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests], clocks: Clocks
) -> None:
    one, _ = two_processes
    for n in range(3):
        assert await one.first_time(f"slack:v0=old{n}", NOW + timedelta(minutes=5))
    clocks.now = NOW + timedelta(minutes=6)
    await one.first_time("slack:v0=new1", LATER)  # within a minute of the last sweep
    assert await one.count() == 4
    clocks.seconds += SWEEP_EVERY
    await one.first_time("slack:v0=new2", LATER)
    assert await one.count() == 2
