"""Many people, many workers: each reminder at most once, each Toggl check spent once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import event, select

from bot.remind.model import Hours, Settings
from bot.store.schema import ReminderSendRow
from tests.remind.conftest import World

RECAP = Settings(Hours(time(9), time(17, 30)), recap=time(17, 45))
PEOPLE = 60


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_four_workers_racing_send_each_recap_once(world: World) -> None:
    world.clock.set(utc("2026-11-24T16:40"))
    for n in range(PEOPLE):
        await world.person(f"U{n}", RECAP)
    workers = [world.scheduler(f"w{i}") for i in range(4)]
    await asyncio.gather(*(w.run_once() for w in workers))  # plans only: nothing due yet
    world.clock.set(utc("2026-11-24T16:45"))
    rounds = await asyncio.gather(*(w.run_once() for w in workers))
    await asyncio.gather(*(w.run_once() for w in workers))  # again: nothing more
    per_person = Counter(k.user_id for k, _, _ in world.sender.sent)
    assert len(per_person) == PEOPLE and set(per_person.values()) == {1}
    assert world.fake.count() == PEOPLE  # no check spent twice
    assert sum(r["sent"] for r in rounds) == PEOPLE
    async with world.reminders._engine.connect() as conn:
        kinds = (await conn.execute(select(ReminderSendRow.kind))).scalars().all()
    assert Counter(kinds) == {"recap": PEOPLE}


async def test_a_tick_reads_only_who_is_due(world: World) -> None:
    """Planned people cost nothing per minute: a quiet tick is one statement."""
    world.clock.set(utc("2026-11-24T05:00"))
    for n in range(30):
        await world.person(f"U{n}", RECAP)
    scheduler = world.scheduler()
    await scheduler.run_once()  # everyone planned for 17:45
    statements: list[str] = []
    engine = world.reminders._engine.sync_engine

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(10):
            world.clock.advance(minutes=1)
            await scheduler.run_once()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 10
    assert all(s.lstrip().upper().startswith("UPDATE REMINDERS") for s in statements)


async def test_a_worker_that_died_holding_people_loses_them_after_the_lease(
    world: World,
) -> None:
    world.clock.set(utc("2026-11-24T16:45"))
    key, _ = await world.person("U1", RECAP)
    held = await world.reminders.lease_due(world.clock(), "dead", world.clock()
                                           + timedelta(minutes=2), 10)
    assert [p.key for p in held] == [key]
    assert await world.scheduler("w2").run_once() == Counter()  # still leased
    world.clock.advance(minutes=3)
    assert (await world.scheduler("w2").run_once())["sent"] == 1


async def test_a_send_left_unfinished_is_never_repeated(world: World) -> None:
    """A worker that stopped between claiming `sending` and finishing: uncertain."""
    world.clock.set(utc("2026-11-24T16:45"))
    await world.person("U1", RECAP)
    [person] = await world.reminders.lease_due(world.clock(), "dead",
                                               world.clock() + timedelta(minutes=2), 10)
    day = person.checks_day or world.clock().date()
    claim = await world.reminders.claim_send(person.account_id, "recap", day, "dead",
                                             world.clock(), world.clock()
                                             + timedelta(minutes=2), 3)
    assert claim is not None
    assert await world.reminders.start_sending(claim, world.clock() + timedelta(minutes=2))
    world.clock.advance(minutes=5)
    await world.scheduler("w2").run_once()
    assert world.sender.sent == []  # settled for the day: not even tried again
    again = await world.reminders.claim_send(person.account_id, "recap", day, "w3",
                                             world.clock(), world.clock()
                                             + timedelta(minutes=2), 3)
    assert again is None
    async with world.reminders._engine.connect() as conn:
        status = (await conn.execute(select(ReminderSendRow.status))).scalar()
    assert status == "uncertain"
