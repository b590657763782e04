"""Reminder fixtures: the SQL stores on both backends, the fake Toggl, a fake DM sender."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import pytest

from bot.core import Core
from bot.crypto import TokenCipher
from bot.digest.ports import DeliveryRejected
from bot.domain import UserKey
from bot.emulator import FakeUser, TogglEmulator
from bot.remind.model import Hours, Settings
from bot.remind.scheduler import ReminderScheduler
from bot.replies import Reply
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.store.reminders import SqlReminderStore
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.digest.helpers import add_member, toggl_client

BERLIN = "Europe/Berlin"


@dataclass
class DmSender:
    """A ReminderSender that remembers every DM; people can be set to refuse or break."""

    sent: list[tuple[UserKey, Reply, datetime]] = field(default_factory=list)
    clock: Callable[[], datetime] | None = None
    refuse: set[str] = field(default_factory=set)

    async def remind(self, key: UserKey, reply: Reply) -> None:
        await asyncio.sleep(0)  # let racing workers interleave, as real I/O would
        if key.user_id in self.refuse:
            raise DeliveryRejected("cannot_dm", permanent=True)
        self.sent.append((key, reply, self.clock() if self.clock else datetime.min))

    def titles(self, user_id: str | None = None) -> list[str]:
        return [r.title for k, r, _ in self.sent if user_id is None or k.user_id == user_id]


@dataclass
class World:
    accounts: SqlAccountStore
    reminders: SqlReminderStore
    toggl: TogglClient
    fake: TogglEmulator
    clock: ManualClock
    sender: DmSender

    def scheduler(self, worker: str = "w1") -> ReminderScheduler:
        return ReminderScheduler(self.reminders, self.accounts, self.toggl, self.sender,
                                 self.clock, worker=worker)

    def core(self) -> Core:
        return Core(self.accounts, self.toggl, clock=self.clock, reminders=self.reminders,
                    command_limit=False)

    async def person(
        self, user_id: str, settings: Settings | None = None, *, timezone: str = BERLIN,
        platform: str = "slack",
    ) -> tuple[UserKey, FakeUser]:
        key, user = await add_member(self.fake, self.accounts, user_id, user_id,
                                     timezone=timezone, platform=platform)
        if settings is not None:
            assert await self.reminders.save(key, settings, self.clock())
        return key, user

    async def run_until(self, until: datetime, step: timedelta = timedelta(minutes=1),
                        workers: int = 1) -> None:
        """Tick every ``step`` (as the worker does once a minute) up to ``until``."""
        schedulers = [self.scheduler(f"w{i}") for i in range(workers)]
        while self.clock() < until:
            self.clock.advance(step.total_seconds())
            await asyncio.gather(*(s.run_once() for s in schedulers))


ALL_ON = Settings(Hours(time(9), time(17, 30)), running=timedelta(hours=3),
                  idle=timedelta(minutes=30), recap=time(17, 45))


@pytest.fixture
async def world(
    migrated_url: str, cipher: TokenCipher, fake_toggl: TogglEmulator, clock: ManualClock
) -> AsyncIterator[World]:
    engine = create_engine_for(migrated_url)
    client, http = toggl_client(fake_toggl, clock)
    try:
        yield World(SqlAccountStore(engine, cipher), SqlReminderStore(engine), client,
                    fake_toggl, clock, DmSender(clock=clock))
    finally:
        await http.aclose()
        await engine.dispose()
