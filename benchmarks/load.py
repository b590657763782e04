"""Rows 3 and 4: togglbot's own overhead per command, and commands/s under many users.

Core overhead runs the fake in-process (``httpx.ASGITransport``, no added latency) and
subtracts nothing: the time is parse + database + the in-process fake + rendering.
Throughput serves the fake from a separate process (so it does not compete with the core
for the GIL) with the configured latency, and drives one Core with many users at once.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import httpx

from adapters.console.repl import ConsoleBot
from benchmarks.fixtures import seed_user
from benchmarks.roundtrips import RoundTrips
from benchmarks.systems import OPS, send, succeeded, togglbot_core
from bot.emulator import TogglEmulator, serve

LOAD_MIX = ("start", "current", "stop", "summary today")
IN_PROCESS_API = "http://toggl.in-process/api/v9"  # never resolved: ASGITransport
# Real Toggl sends its quota headers on every answer, and the bot writes what it learns
# from them: a quota no run reaches keeps that write in rows 3 and 4 without refusals.
HONEST_QUOTA = 1_000_000
SERVER_LIFETIME_S = 900  # the fake's process exits on its own after this, whatever happens


@dataclass
class Overhead:
    backend: str
    seconds: dict[str, list[float]] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    round_trips: dict[str, list[int]] = field(default_factory=dict)  # PostgreSQL only


@dataclass
class Throughput:
    backend: str
    users: int
    commands: int = 0
    elapsed: float = 0.0
    failed: int = 0
    toggl_requests: int = 0
    seconds: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.commands / self.elapsed if self.elapsed else 0.0


async def core_overhead(database_url: str, backend: str, runs: int) -> Overhead:
    """``runs`` timed sessions (after one warm-up) of every operation, in process."""
    fake = TogglEmulator()
    fake.set_quota(HONEST_QUOTA)  # quota headers on every answer, as Toggl sends them
    token = "overhead-token"
    seed_user(fake, token)
    result = Overhead(backend, {op: [] for op in OPS})
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=fake.app))
    async with togglbot_core(database_url, IN_PROCESS_API, http=http) as core:
        engine = getattr(core.store, "engine", None)
        trips = RoundTrips(engine) if engine and engine.dialect.name == "postgresql" else None
        bot = ConsoleBot(core, user_id="overhead")
        for run in range(runs + 1):
            for op in OPS:
                mark = trips.mark() if trips else 0
                started = time.perf_counter()
                reply = await send(bot, op, token, run)
                elapsed = time.perf_counter() - started
                if run == 0:
                    continue  # warm-up: first queries, caches, imports
                result.seconds[op].append(elapsed)
                if trips is not None:
                    result.round_trips.setdefault(op, []).append(trips.since(mark))
                if not succeeded(reply):
                    _tally(result.failures, f"{op}: {reply.title[:60]}")
        if trips is not None:
            trips.close()
    return result


def _tally(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def _fake_server(users: int, latency: float, conn: Connection) -> None:
    """Child process: serve a fake with ``users`` seeded users until told to stop."""
    fake = TogglEmulator(latency=latency)
    fake.set_quota(HONEST_QUOTA)  # quota headers on every answer, as Toggl sends them
    for i in range(users):
        seed_user(fake, f"load-{i:04d}", days=1, per_day=2)
    with serve(fake) as url:
        conn.send(url)
        deadline = time.monotonic() + SERVER_LIFETIME_S
        while time.monotonic() < deadline:
            if not conn.poll(1.0):
                continue
            message = conn.recv()
            if message == "count":
                conn.send(fake.count())
            elif message == "stop":
                break


@contextmanager
def fake_toggl_process(users: int, latency: float) -> Iterator[tuple[str, Connection]]:
    """A fake Toggl in its own process with users ``load-0000``...: (its URL, a pipe to it
    for ``requests``)."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    server = context.Process(target=_fake_server, args=(users, latency, child), daemon=True)
    server.start()
    try:
        deadline = time.monotonic() + 120
        while not parent.poll(0.2):
            if not server.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Toggl process did not start")
        url: str = parent.recv()
        yield url, parent
    finally:
        if server.is_alive():
            parent.send("stop")
            server.join(15)
        if server.is_alive():
            server.terminate()
            server.join(5)


def throughput(
    database_url: str, backend: str, users: int, total: int, latency: float
) -> Throughput:
    """``users`` people, each logged in, issuing ``total`` commands in all, concurrently."""
    with fake_toggl_process(users, latency) as (url, conn):
        return asyncio.run(_drive(url, conn, database_url, backend, users, total))


def requests_seen(conn: Connection) -> int:
    """How many requests the fake Toggl process has answered so far."""
    return _requests(conn)


def _requests(conn: Connection) -> int:
    conn.send("count")
    if not conn.poll(30):
        raise RuntimeError("the fake Toggl process stopped answering")
    count: int = conn.recv()
    return count


async def _drive(
    url: str, conn: Connection, database_url: str, backend: str, users: int, total: int
) -> Throughput:
    result = Throughput(backend, users)
    # The Toggl client production builds (bot.toggl.http), not one sized for the benchmark.
    async with togglbot_core(database_url, f"{url}/api/v9") as core:
        bots = [ConsoleBot(core, user_id=f"load-{i}") for i in range(users)]
        logins = await asyncio.gather(
            *(send(bot, "login", f"load-{i:04d}") for i, bot in enumerate(bots))
        )
        if not all(succeeded(r) for r in logins):
            raise RuntimeError("not every simulated user could log in")
        per_user = max(1, total // users)

        async def person(bot: ConsoleBot) -> None:
            for k in range(per_user):
                op = LOAD_MIX[k % len(LOAD_MIX)]
                started = time.perf_counter()
                reply = await send(bot, op, "", k)
                result.seconds.append(time.perf_counter() - started)
                if not succeeded(reply):
                    result.failed += 1
                    _tally(result.failures, f"{op}: {reply.title[:60]}")

        before = _requests(conn)
        started = time.perf_counter()
        await asyncio.gather(*(person(bot) for bot in bots))
        result.elapsed = time.perf_counter() - started
        result.commands = per_user * users
        result.toggl_requests = _requests(conn) - before
    return result
