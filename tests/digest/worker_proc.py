"""A digest worker as its own OS process, for the multi-process race and kill tests.

    python -m tests.digest.worker_proc URL RECORD_FILE MEMBERS NOW WORKER [MODE [CONCURRENCY]]

It seeds its own fake Toggl with the members the test stored (same tokens), prints READY,
waits for a line on stdin, runs one scheduler round at NOW and prints the outcomes as JSON.
Every post is appended to RECORD_FILE as "<channel> <worker>" (O_APPEND: one write each).
MODE "stall-build" hangs after claiming (printing CLAIMED <digest id>); "stall-send"
hangs right after the post was recorded (printing SENT <channel>): the test kills it there.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import date, datetime

from bot.app import cipher_from
from bot.config import Settings
from bot.digest.build import DigestBuilder
from bot.digest.model import Digest
from bot.digest.scheduler import Scheduler
from bot.emulator import TogglEmulator
from bot.pacing import Pacer
from bot.replies import Reply
from bot.store.accounts import SqlAccountStore
from bot.store.digest_runs import SqlRunLedger
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.testing.clock import ManualClock
from tests.digest.helpers import no_sleep, toggl_client, token_for


def seed_toggl(fake: TogglEmulator, members: int) -> None:
    for i in range(members):
        fake.add_user(token_for(f"u{i}"), f"Member {i}", "Europe/Berlin")


class FileSender:
    def __init__(self, path: str, worker: str, stall: bool) -> None:
        self.path, self.worker, self.stall = path, worker, stall

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{channel_id} {self.worker}\n".encode())
        finally:
            os.close(fd)
        if self.stall:  # the platform has it; we die before recording 'posted'
            print(f"SENT {channel_id}", flush=True)
            await asyncio.Event().wait()
        return f"{channel_id}-{self.worker}"


class StallingBuilder:
    """Claims, says so, and never finishes: a worker about to be killed mid-digest."""

    async def build(self, digest: Digest, local_date: date) -> Reply:
        print(f"CLAIMED {digest.id}", flush=True)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def instant_chart(bars: tuple[tuple[str, float], ...]) -> bytes:
    return b"\x89PNG"


async def main(argv: list[str]) -> None:
    url, record, members, now_text, worker = argv[:5]
    mode = argv[5] if len(argv) > 5 else "normal"
    concurrency = int(argv[6]) if len(argv) > 6 else 10
    clock = ManualClock(datetime.fromisoformat(now_text))
    fake = TogglEmulator(clock=clock)
    seed_toggl(fake, int(members))
    toggl, http = toggl_client(fake, clock)
    # One pooled connection per digest in flight: PostgreSQL connections are costly to open.
    engine = create_engine_for(url, pool_size=concurrency, max_overflow=5)
    accounts = SqlAccountStore(engine, cipher_from(Settings()))
    builder = (
        StallingBuilder()
        if mode == "stall-build"
        else DigestBuilder(accounts, toggl, clock, pacer=Pacer(1, sleep=no_sleep),
                           charts=instant_chart)
    )
    sender = FileSender(record, worker, stall=mode == "stall-send")
    scheduler = Scheduler(
        SqlDigestStore(engine), SqlRunLedger(engine), builder, sender, clock,
        worker=worker, concurrency=concurrency,
    )
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    outcomes = await scheduler.run_once()
    print(json.dumps(dict(outcomes)), flush=True)
    await http.aclose()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
