"""Replay protection's memory: a key is new once, in every process, until it expires."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

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
    stores = [SqlSeenRequests(migrated_url, now=lambda: clocks.now,
                              monotonic=lambda: clocks.seconds) for _ in range(2)]
    try:
        yield stores[0], stores[1]
    finally:
        for store in stores:
            await store.aclose()


async def test_a_key_is_new_once_across_processes(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests],
) -> None:
    one, other = two_processes
    assert await one.first_time("slack:v0=aa", LATER)
    await settled(one)
    assert not await other.first_time("slack:v0=aa", LATER)
    assert not await one.first_time("slack:v0=aa", LATER)
    assert await other.first_time("slack:v0=bb", LATER)


async def test_racing_processes_let_exactly_one_through(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests], database_url: str
) -> None:
    one, other = two_processes
    results = await asyncio.gather(
        *(store.first_time("slack:v0=race", LATER) for store in (one, other) for _ in range(5))
    )
    if database_url.startswith("sqlite"):
        # SQLite's ack path only reads; within one process the memory is exact.
        assert sorted(results[:5]) == sorted(results[5:]) == [False] * 4 + [True]
    else:
        assert sorted(results) == [False] * 9 + [True]


async def test_what_was_seen_survives_a_restart(migrated_url: str) -> None:
    before = SqlSeenRequests(migrated_url)
    assert await before.first_time("slack:v0=kept", LATER)
    await before.aclose()  # a clean stop flushes the writes still queued
    after = SqlSeenRequests(migrated_url)
    try:
        assert not await after.first_time("slack:v0=kept", LATER)
    finally:
        await after.aclose()


async def test_expired_keys_are_swept_now_and_then(
    two_processes: tuple[SqlSeenRequests, SqlSeenRequests], clocks: Clocks
) -> None:
    one, _ = two_processes
    for n in range(3):
        assert await one.first_time(f"slack:v0=old{n}", NOW + timedelta(minutes=5))
    clocks.now = NOW + timedelta(minutes=6)
    await one.first_time("slack:v0=new1", LATER)  # within a minute of the last sweep
    await settled(one)
    assert await one.count() == 4
    clocks.seconds += SWEEP_EVERY
    await one.first_time("slack:v0=new2", LATER)
    await settled(one)
    assert await one.count() == 2


async def settled(store: SqlSeenRequests) -> None:
    """Wait for writes done in the background (SQLite)."""
    writer = store._writer
    if writer is not None:
        await writer
