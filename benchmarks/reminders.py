"""Reminders at scale: a simulated working day, and quiet ticks with 10,000 people.

    python -m benchmarks.reminders [--people 1000] [--quiet-people 10000] [--workers 2]
        [--database-url postgresql+psycopg://...]

Everything is local: the Toggl emulator (``bot.emulator``, in-process over ASGI) and a DM
sender that only records. The real scheduler, plan and SQL stores do the work.

1. **A working day** for ``--people`` people with every reminder on (hours 09:00-17:30
   in three time zones, runaway after 3 h, idle after 30 min, recap at 17:45). Each has a
   timer started and stopped elsewhere at random, some left running. ``--workers``
   schedulers race every simulated minute from 05:00 to 01:00 UTC. Reported: Toggl
   requests per person per day (max, mean), messages sent, duplicates (must be 0),
   statements per tick and scheduler CPU time.
2. **Quiet ticks** with ``--quiet-people`` people, every reminder on, all planned: the
   statements and time one tick costs when nobody is due (what happens most minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import event, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import migrate
from bot.crypto import TokenCipher
from bot.domain import UserKey
from bot.emulator import TogglEmulator
from bot.remind.model import Hours, Settings
from bot.remind.scheduler import ReminderScheduler
from bot.replies import Reply
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.store.reminders import SqlReminderStore, _columns
from bot.store.schema import ReminderRow, UserRow
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport

DAY = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)  # a Tuesday, before anyone's working day
END = DAY + timedelta(hours=20)
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York")
OFFSETS = {"Europe/Berlin": 1, "Europe/London": 0, "America/New_York": -5}  # in November
ALL_ON = Settings(Hours(clock_time(9), clock_time(17, 30)), running=timedelta(hours=3),
                  idle=timedelta(minutes=30), recap=clock_time(17, 45))


@dataclass
class Recorder:
    """The DM sender: remembers (person, title) and counts duplicates of (person, kind)."""

    sent: Counter[tuple[str, str]] = field(default_factory=Counter)

    async def remind(self, key: UserKey, reply: Reply) -> None:
        self.sent[(key.user_id, reply.title.split(" ")[0] + reply.title.split(" ")[1])] += 1


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", note)


async def seed(engine: AsyncEngine, cipher: TokenCipher, fake: TogglEmulator | None,
               people: int, prefix: str) -> list[tuple[int, Any]]:
    """People with accounts and every reminder on, in bulk; (account id, fake user)."""
    rows, users = [], []
    shared = cipher.encrypt(SecretStr("quiet-token-0000000000"))
    for n in range(people):
        zone = ZONES[n % len(ZONES)]
        user = fake.add_user(f"token-{n:06d}-abcdef", f"P{n}", zone) if fake else None
        users.append(user)
        rows.append({
            "platform": "slack", "team_id": f"T{n % 50}", "user_id": f"{prefix}{n}",
            "token_ciphertext": cipher.encrypt(SecretStr(user.token)) if user else shared,
            "token_valid": True, "toggl_user_id": user.id if user else n,
            "workspace_id": user.default_workspace_id if user else 1, "timezone": zone,
            "name": f"P{n}", "created_at": DAY, "updated_at": DAY,
        })
    async with engine.begin() as conn:
        for start in range(0, people, 1000):
            await conn.execute(insert(UserRow), rows[start:start + 1000])
        ids = (await conn.execute(select(UserRow.id).where(UserRow.user_id.like(f"{prefix}%"))
                                  .order_by(UserRow.id))).scalars().all()
        reminders = [{"account_id": i, **_columns(ALL_ON), "next_at": DAY, "checks": 0,
                      "updated_at": DAY} for i in ids]
        for start in range(0, people, 1000):
            await conn.execute(insert(ReminderRow), reminders[start:start + 1000])
    return list(zip(ids, users, strict=True))


def activity(people: list[tuple[int, Any]], rng: random.Random) -> dict[datetime, list[Any]]:
    """Each person starts a timer elsewhere around 09:00-10:30 local and stops it after
    1-5 h; a second one follows after 0-90 min, left running by one in five."""
    events: dict[datetime, list[Any]] = {}
    for _, user in people:
        local9 = DAY.replace(hour=9) - timedelta(hours=OFFSETS[user.timezone])
        first = local9 + timedelta(minutes=rng.randrange(0, 90))
        stop = first + timedelta(minutes=rng.randrange(60, 300))
        second = stop + timedelta(minutes=rng.randrange(0, 90))
        events.setdefault(first, []).append(("start", user, "Focus"))
        events.setdefault(stop, []).append(("stop", user, None))
        events.setdefault(second, []).append(("start", user, "Follow-up"))
        if rng.random() > 0.2:
            events.setdefault(second + timedelta(minutes=rng.randrange(30, 180)), []).append(
                ("stop", user, None))
    return events


async def working_day(url: str, people: int, workers: int) -> dict[str, Any]:
    clock = ManualClock(DAY)
    fake = TogglEmulator(clock)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app))
    transport = Transport("http://toggl.test/api/v9", http=http, clock=clock,
                          policy=RetryPolicy(timeout=5))
    toggl = TogglClient(transport, clock)
    cipher = TokenCipher.from_setting(TokenCipher.generate_key())
    engine = create_engine_for(url)
    sender = Recorder()
    running: dict[int, Any] = {}
    try:
        seeded = await seed(engine, cipher, fake, people, "D")
        events = activity(seeded, random.Random(18))
        accounts, store = SqlAccountStore(engine, cipher), SqlReminderStore(engine)
        schedulers = [ReminderScheduler(store, accounts, toggl, sender, clock, worker=f"w{i}")
                      for i in range(workers)]
        per_tick: list[int] = []
        tick_ms: list[float] = []
        cpu = 0.0
        while clock() < END:
            for kind, user, text in events.get(clock(), []):
                if kind == "start":
                    running[user.id] = fake.add_entry(user, user.default_workspace_id, text,
                                                      clock())
                elif user.id in running:
                    fake.stop_entry(running.pop(user.id).id)
            with statements(engine) as seen:
                began, cpu_began = time.perf_counter(), time.process_time()
                await asyncio.gather(*(s.run_once() for s in schedulers))
                tick_ms.append((time.perf_counter() - began) * 1000)
                cpu += time.process_time() - cpu_began
            per_tick.append(len(seen))
            clock.advance(minutes=1)
        calls = Counter(r.token_id for r in fake.requests)
        counts = [calls.get(user.id, 0) for _, user in seeded]
        return {
            "people": people, "workers": workers,
            "toggl_requests_per_person_max": max(counts),
            "toggl_requests_per_person_mean": round(statistics.mean(counts), 2),
            "messages_sent": sum(sender.sent.values()),
            "duplicates": sum(n - 1 for n in sender.sent.values() if n > 1),
            "statements_per_tick_mean": round(statistics.mean(per_tick), 1),
            "statements_per_tick_max": max(per_tick),
            "tick_ms_p50": round(statistics.median(tick_ms), 2),
            "tick_ms_max": round(max(tick_ms), 1),
            "scheduler_cpu_s": round(cpu, 2),
        }
    finally:
        await http.aclose()
        await engine.dispose()


async def quiet_ticks(url: str, people: int, ticks: int = 30) -> dict[str, Any]:
    """Everyone planned for later: what a minute costs when nobody is due."""
    clock = ManualClock(DAY)
    cipher = TokenCipher.from_setting(TokenCipher.generate_key())
    engine = create_engine_for(url)
    try:
        await seed(engine, cipher, None, people, "Q")
        store = SqlReminderStore(engine)
        scheduler = ReminderScheduler(store, SqlAccountStore(engine, cipher), None,  # type: ignore[arg-type]
                                      Recorder(), clock, worker="w1")
        began = time.perf_counter()
        await scheduler.run_once()  # plans all of them, from the database alone
        plan_s = time.perf_counter() - began
        per_tick, tick_ms = [], []
        for _ in range(ticks):
            clock.advance(minutes=1)
            with statements(engine) as seen:
                began = time.perf_counter()
                await scheduler.run_once()
                tick_ms.append((time.perf_counter() - began) * 1000)
            per_tick.append(len(seen))
        return {
            "people": people, "first_tick_plans_everyone_s": round(plan_s, 2),
            "statements_per_quiet_tick": max(per_tick),
            "quiet_tick_ms_p50": round(statistics.median(tick_ms), 2),
            "quiet_tick_ms_max": round(max(tick_ms), 2),
        }
    finally:
        await engine.dispose()


def fresh_url(base: str | None, name: str, tmp: str) -> str:
    if base:
        return base
    return f"sqlite+aiosqlite:///{os.path.join(tmp, name)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--quiet-people", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None,
                        help="an EMPTY database (default: fresh SQLite files)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        day_url = fresh_url(args.database_url, "day.db", tmp)
        migrate.upgrade(day_url)
        day = asyncio.run(working_day(day_url, args.people, args.workers))
        print("working day:", day)
        quiet_url = fresh_url(args.database_url, "quiet.db", tmp)
        migrate.upgrade(quiet_url)
        quiet = asyncio.run(quiet_ticks(quiet_url, args.quiet_people))
        print("quiet ticks:", quiet)
    ok = day["duplicates"] == 0 and day["toggl_requests_per_person_max"] <= 8
    print("OK" if ok else "FAILED: duplicates or more than 8 requests for someone")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
