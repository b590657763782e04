"""Digest fixtures: the SQL stores on both backends, the fake Toggl client and a fake sender."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.crypto import TokenCipher
from bot.digest.build import DigestBuilder
from bot.digest.scheduler import Scheduler
from bot.emulator import TogglEmulator
from bot.pacing import Pacer
from bot.store.accounts import SqlAccountStore
from bot.store.digest_runs import SqlRunLedger
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.digest.helpers import FakeSender, no_sleep, toggl_client


async def instant_chart(bars: tuple[tuple[str, float], ...]) -> bytes:
    return b"\x89PNG fake"


@dataclass
class Stores:
    accounts: SqlAccountStore
    digests: SqlDigestStore
    runs: SqlRunLedger


@pytest.fixture
async def stores(migrated_url: str, cipher: TokenCipher) -> AsyncIterator[Stores]:
    engine = create_engine_for(migrated_url)
    try:
        yield Stores(SqlAccountStore(engine, cipher), SqlDigestStore(engine), SqlRunLedger(engine))
    finally:
        await engine.dispose()


@pytest.fixture
async def toggl(fake_toggl: TogglEmulator, clock: ManualClock) -> AsyncIterator[TogglClient]:
    client, http = toggl_client(fake_toggl, clock)
    yield client
    await http.aclose()


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()


@pytest.fixture
def builder(stores: Stores, toggl: TogglClient, clock: ManualClock) -> DigestBuilder:
    return DigestBuilder(
        stores.accounts, toggl, clock, pacer=Pacer(1.0, sleep=no_sleep), charts=instant_chart
    )


@pytest.fixture
def scheduler(
    stores: Stores, builder: DigestBuilder, sender: FakeSender, clock: ManualClock
) -> Scheduler:
    return Scheduler(stores.digests, stores.runs, builder, sender, clock, worker="w1")
