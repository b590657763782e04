"""Exactly once, whatever number of workers race: 200 due digests, then a worker killed mid-post.

The in-process race gives each worker its own engine (its own connections), on SQLite and
PostgreSQL. The multi-process tests run real OS processes against PostgreSQL and kill one
with SIGKILL while it holds claims.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import insert, select

from adapters.worker import pool_settings
from bot import migrate
from bot.crypto import TokenCipher
from bot.digest.build import DigestBuilder
from bot.digest.scheduler import Scheduler
from bot.emulator import TogglEmulator
from bot.pacing import Pacer
from bot.store.accounts import SqlAccountStore
from bot.store.digest_runs import SqlRunLedger
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.store.schema import DigestMemberRow, DigestRow, DigestRunRow, UserRow
from bot.testing.clock import ManualClock
from bot.toggl import TogglClient
from tests.digest.conftest import instant_chart
from tests.digest.helpers import FakeSender, at, no_sleep, token_for
from tests.digest.worker_proc import seed_toggl

ROOT = Path(__file__).resolve().parents[2]
NOW = at("2026-11-24T17:00+00:00")  # 18:00 in Berlin
KEY = TokenCipher.generate_key()
CIPHER = TokenCipher.from_setting(KEY)


async def seed(url: str, channels: int) -> None:
    """``channels`` digests at 18:00 Berlin, each with its own member u<i>.

    Bulk inserts in one transaction: seeding is not what these tests measure.
    """
    now = NOW
    users = [
        {"platform": "slack", "team_id": "T1", "user_id": f"u{i}",
         "token_ciphertext": CIPHER.encrypt(SecretStr(token_for(f"u{i}"))), "token_valid": True,
         "toggl_user_id": 1000 + i, "workspace_id": 1, "timezone": "Europe/Berlin",
         "name": f"Member {i}", "created_at": now, "updated_at": now}
        for i in range(channels)
    ]
    digests = [
        {"platform": "slack", "team_id": "T1", "channel_id": f"C{i:03d}", "local_time": time(18),
         "timezone": "Europe/Berlin", "weekdays_only": False, "enabled": True,
         "created_at": now, "updated_at": now}
        for i in range(channels)
    ]
    engine = create_engine_for(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(UserRow), users)
            await conn.execute(insert(DigestRow), digests)
            user_ids = dict((await conn.execute(select(UserRow.user_id, UserRow.id))).all())
            digest_ids = dict(
                (await conn.execute(select(DigestRow.channel_id, DigestRow.id))).all()
            )
            await conn.execute(insert(DigestMemberRow), [
                {"digest_id": digest_ids[f"C{i:03d}"], "account_id": user_ids[f"u{i}"],
                 "joined_at": now}
                for i in range(channels)
            ])
    finally:
        await engine.dispose()


async def run_rows(url: str) -> list[tuple[int, str, int]]:
    engine = create_engine_for(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(DigestRunRow.digest_id, DigestRunRow.status, DigestRunRow.attempts)
            )
            return [(r[0], r[1], r[2]) for r in rows]
    finally:
        await engine.dispose()


@pytest.mark.parametrize("workers", [4])
async def test_workers_with_their_own_connections_post_each_digest_once(
    migrated_url: str, fake_toggl: TogglEmulator, toggl: TogglClient, clock: ManualClock,
    workers: int,
) -> None:
    await seed(migrated_url, 200)
    seed_toggl(fake_toggl, 200)
    clock.set(NOW)
    sender = FakeSender()
    engines = [create_engine_for(migrated_url, **pool_settings(migrated_url))
               for _ in range(workers)]
    try:
        schedulers = [
            Scheduler(
                SqlDigestStore(engine), SqlRunLedger(engine),
                DigestBuilder(SqlAccountStore(engine, CIPHER), toggl, clock,
                              pacer=Pacer(1, sleep=no_sleep), charts=instant_chart),
                sender, clock, worker=f"w{n}", concurrency=10,
            )
            for n, engine in enumerate(engines)
        ]
        rounds = await asyncio.gather(*(s.run_once() for s in schedulers))
        if sum(r["posted"] for r in rounds) < 200:
            # A worker that lost its claim (on a machine this busy SQLite can time out a
            # writer) leaves it to the lease: once that runs out another worker posts it.
            clock.advance(minutes=10)
            rounds.append(await schedulers[0].run_once())
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(r["posted"] for r in rounds) == 200
    assert sorted(sender.channels()) == [f"C{i:03d}" for i in range(200)]  # none twice, none lost
    assert {status for _, status, _ in await run_rows(migrated_url)} == {"posted"}
    assert fake_toggl.count("GET", "/me/time_entries") == 200  # one Toggl call per member


# -- real processes ---------------------------------------------------------------------


class Worker:
    """One `python -m tests.digest.worker_proc` process."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    async def line(self) -> str:
        assert self.proc.stdout is not None
        raw = await asyncio.wait_for(self.proc.stdout.readline(), 60)
        assert raw, "worker exited early (see its .err file)"
        return raw.decode().strip()

    async def ready(self) -> None:
        """Imports done, fake Toggl seeded: it waits for the signal to start its round."""
        assert await self.line() == "READY"

    async def go(self) -> None:
        await self.ready()
        await self.start_round()

    async def start_round(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")
        await self.proc.stdin.drain()

    async def outcome(self) -> Counter[str]:
        result = Counter(json.loads(await self.line()))
        assert await asyncio.wait_for(self.proc.wait(), 30) == 0
        return result


@pytest.fixture
async def start(
    postgres_url: str, tmp_path: Path
) -> AsyncIterator[tuple[str, Path, object]]:
    migrate.upgrade(postgres_url)
    record = tmp_path / "posts.txt"
    started: list[Worker] = []

    async def spawn(name: str, now: datetime, members: int, *extra: str) -> Worker:
        with (tmp_path / f"{name}.err").open("wb") as err:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.digest.worker_proc", postgres_url, str(record),
                str(members), now.isoformat(), name, *extra,
                cwd=ROOT, env={**os.environ, "TOKEN_ENCRYPTION_KEY": KEY},
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=err,
            )
        worker = Worker(proc)
        started.append(worker)
        return worker

    yield postgres_url, record, spawn
    for worker in started:
        if worker.proc.returncode is None:
            worker.proc.kill()
            await worker.proc.wait()


def posts(record: Path) -> list[tuple[str, str]]:
    lines = record.read_text().splitlines() if record.exists() else []
    return [(line.split()[0], line.split()[1]) for line in lines]


@pytest.mark.postgres
async def test_four_processes_race_over_200_digests(start: tuple[str, Path, object]) -> None:
    url, record, spawn = start
    await seed(url, 200)
    # All four start together once each is ready, so their rounds really overlap.
    workers = [await spawn(f"p{n}", NOW, 200) for n in range(4)]  # type: ignore[operator]
    await asyncio.gather(*(w.ready() for w in workers))
    await asyncio.gather(*(w.start_round() for w in workers))
    outcomes = await asyncio.gather(*(w.outcome() for w in workers))
    channels = [channel for channel, _ in posts(record)]
    assert sorted(channels) == [f"C{i:03d}" for i in range(200)]  # each once: none twice or lost
    assert sum(o["posted"] for o in outcomes) == 200
    assert {status for _, status, _ in await run_rows(url)} == {"posted"}


@pytest.mark.postgres
async def test_a_worker_killed_after_claiming_is_recovered(
    start: tuple[str, Path, object],
) -> None:
    url, record, spawn = start
    await seed(url, 20)
    doomed = await spawn("doomed", NOW, 20, "stall-build", "5")  # type: ignore[operator]
    await doomed.go()
    stalled = {int((await doomed.line()).split()[1]) for _ in range(5)}
    doomed.proc.kill()  # SIGKILL: no cleanup, claims left behind
    await doomed.proc.wait()

    early = await spawn("early", NOW + timedelta(minutes=1), 20)  # type: ignore[operator]
    await early.go()
    assert await early.outcome() == {"posted": 15}  # the 5 claims are still leased

    late = await spawn("late", NOW + timedelta(minutes=2, seconds=1), 20)  # type: ignore[operator]
    await late.go()
    assert await late.outcome() == {"posted": 5}  # leases expired: taken over and posted

    assert sorted(c for c, _ in posts(record)) == [f"C{i:03d}" for i in range(20)]
    rows = await run_rows(url)
    assert {status for _, status, _ in rows} == {"posted"}
    assert {d for d, _, attempts in rows if attempts == 2} == stalled


@pytest.mark.postgres
async def test_a_worker_killed_mid_send_is_never_repeated(
    start: tuple[str, Path, object],
) -> None:
    url, record, spawn = start
    await seed(url, 10)
    doomed = await spawn("doomed", NOW, 10, "stall-send", "3")  # type: ignore[operator]
    await doomed.go()
    for _ in range(3):
        assert (await doomed.line()).startswith("SENT ")
    doomed.proc.kill()  # the platform has these 3 posts; 'posted' was never written
    await doomed.proc.wait()

    late = await spawn("late", NOW + timedelta(minutes=3), 10)  # type: ignore[operator]
    await late.go()
    assert await late.outcome() == {"posted": 7, "held": 3}
    channels = [c for c, _ in posts(record)]
    assert sorted(channels) == [f"C{i:03d}" for i in range(10)]  # none twice
    assert Counter(status for _, status, _ in await run_rows(url)) == {
        "posted": 7, "uncertain": 3
    }
