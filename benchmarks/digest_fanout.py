"""Daily digests at scale: 1,000 channels x 10 members, posted within Toggl's and Slack's limits.

    python -m benchmarks.digest_fanout [--channels 1000] [--members 10] [--workers 1]
        [--database-url postgresql+psycopg://...] [--toggl-latency 0.05] [--no-charts]

Everything is local: a fake Toggl (one endpoint, in-process over ASGI, with latency) and a
fake chat platform that answers 429 the way Slack would if a channel got more than one
message per second. The real scheduler, builder, run ledger and SQL stores do the work:
each worker has its own engine, racing over one database (SQLite by default; pass a
PostgreSQL URL to race several workers for real). It prints the time and checks that
every digest was posted exactly once, with exactly one Toggl call per member, and no
token or channel ever over its rate.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import multiprocessing
import os
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr
from sqlalchemy import insert, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from adapters.worker import pool_settings
from bot import migrate
from bot.crypto import TokenCipher
from bot.digest.build import DigestBuilder
from bot.digest.chart import Bars, render_off_loop
from bot.digest.model import Channel
from bot.digest.scheduler import Scheduler
from bot.pacing import Pacer
from bot.replies import Reply
from bot.store.accounts import SqlAccountStore
from bot.store.digest_runs import SqlRunLedger
from bot.store.digests import SqlDigestStore
from bot.store.engine import create_engine_for
from bot.store.schema import DigestMemberRow, DigestRow, DigestRunRow, UserRow
from bot.testing.clock import ManualClock
from bot.toggl import RetryPolicy, TogglClient, Transport

NOW = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "UTC")
TEAMS = 50  # channels are spread over this many Slack workspaces
PROJECTS = ("Website", "Research", "Support", "Ops")


class TogglEmulator:
    """GET /me/time_entries only; notes when each token called, 429s a token faster than 1/s."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.calls: dict[str, list[float]] = defaultdict(list)
        self.too_fast = 0
        self.app = Starlette(routes=[Route("/api/v9/me/time_entries", self._entries)])

    async def _entries(self, request: Request) -> Response:
        token = base64.b64decode(request.headers["authorization"][6:]).decode().split(":")[0]
        seen = self.calls[token]
        now = time.monotonic()
        if seen and now - seen[-1] < 1.0:
            self.too_fast += 1
            return Response("Too Many Requests", 429, {"Retry-After": "1"})
        seen.append(now)
        await asyncio.sleep(self.latency)
        n = int(token.split("-")[1])
        start = NOW.replace(hour=8) + timedelta(minutes=n % 60)
        body: list[dict[str, object]] = [
            {"id": n * 10 + i, "workspace_id": 1, "project_id": 100 + i,
             "project_name": PROJECTS[(n + i) % 4], "client_name": "Acme" if i else None,
             "description": "work", "tags": [], "billable": False,
             "start": (start + timedelta(hours=2 * i)).isoformat(),
             "stop": (start + timedelta(hours=2 * i, minutes=50 + n % 40)).isoformat(),
             "duration": 3000}
            for i in range(2)
        ]
        headers = {"X-Toggl-Quota-Remaining": "25", "X-Toggl-Quota-Resets-In": "1800"}
        return JSONResponse(body, headers=headers)


class FakeChat:
    """A DigestSender noting when each channel got a post (Slack allows ~1/s/channel)."""

    def __init__(self, latency: float = 0.03) -> None:
        self.latency = latency
        self.times: dict[str, list[float]] = defaultdict(list)  # monotonic: one clock per host

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        await asyncio.sleep(self.latency)
        self.times[channel_id].append(time.monotonic())
        return f"{channel_id}.{len(self.times[channel_id])}"

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        """No channel refuses here, so nobody is ever told anything."""


async def seed(url: str, cipher: TokenCipher, channels: int, members: int) -> None:
    """Bulk rows: users with encrypted tokens, digests due a few minutes ago, memberships."""
    users, digests, links = [], [], []
    for c in range(channels):
        zone = ZONES[c % len(ZONES)]
        local = (NOW - timedelta(minutes=5 + c % 20)).astimezone(ZoneInfo(zone))
        digests.append({"platform": "slack", "team_id": f"T{c % TEAMS}",
                        "channel_id": f"C{c:05d}", "local_time": local.time().replace(
                            second=0, microsecond=0), "timezone": zone, "weekdays_only": False,
                        "enabled": True, "created_at": NOW, "updated_at": NOW})
        for m in range(members):
            n = c * members + m
            users.append({"platform": "slack", "team_id": f"T{c % TEAMS}", "user_id": f"U{n}",
                          "token_ciphertext": cipher.encrypt(SecretStr(f"tok-{n}-bench")),
                          "token_valid": True, "toggl_user_id": n, "workspace_id": 1,
                          "timezone": zone, "name": f"Person {n}", "created_at": NOW,
                          "updated_at": NOW})
            links.append((f"C{c:05d}", f"U{n}"))
    engine = create_engine_for(url)
    async with engine.begin() as conn:
        await conn.execute(insert(UserRow), users)
        await conn.execute(insert(DigestRow), digests)
        user_ids = dict((await conn.execute(select(UserRow.user_id, UserRow.id))).all())
        digest_ids = dict((await conn.execute(select(DigestRow.channel_id, DigestRow.id))).all())
        await conn.execute(insert(DigestMemberRow), [
            {"digest_id": digest_ids[ch], "account_id": user_ids[u], "joined_at": NOW}
            for ch, u in links
        ])
    await engine.dispose()


async def _worker(
    args: argparse.Namespace, url: str, key: str, index: int, go: Barrier
) -> dict[str, object]:
    """One worker process: its own engine, Toggl client and chart thread, racing the others."""
    toggl_fake, chat = TogglEmulator(args.toggl_latency), FakeChat()
    clock = ManualClock(NOW)
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=toggl_fake.app),
                             limits=httpx.Limits(max_connections=None))
    toggl = TogglClient(Transport("http://toggl.local/api/v9", http=http, clock=clock,
                                  policy=RetryPolicy(timeout=30)), clock)
    engine = create_engine_for(url, **pool_settings(url))
    accounts = SqlAccountStore(engine, TokenCipher.from_setting(key))
    charts = _no_chart if args.no_charts else render_off_loop
    builder = DigestBuilder(accounts, toggl, clock, pacer=Pacer(1.0), charts=charts)
    scheduler = Scheduler(SqlDigestStore(engine), SqlRunLedger(engine), builder, chat, clock,
                          worker=f"bench-{index}", concurrency=args.concurrency)
    await asyncio.get_running_loop().run_in_executor(None, go.wait)
    outcome = await scheduler.run_once()
    await engine.dispose()
    await http.aclose()
    return {"outcome": dict(outcome), "toggl": dict(toggl_fake.calls), "toggl_429":
            toggl_fake.too_fast, "posts": chat.times, "done": time.monotonic()}


def _run_worker(args: argparse.Namespace, url: str, key: str, index: int,
                go: Barrier) -> dict[str, object]:
    return asyncio.run(_worker(args, url, key, index, go))


async def _no_chart(bars: Bars) -> bytes:
    return b""


def race(args: argparse.Namespace, url: str, key: str) -> dict[str, object]:
    """Start the worker processes together; merge what each fake saw."""
    context = multiprocessing.get_context("spawn")
    go = context.Manager().Barrier(args.workers + 1)
    with ProcessPoolExecutor(args.workers, mp_context=context) as pool:
        futures = [pool.submit(_run_worker, args, url, key, i, go) for i in range(args.workers)]
        go.wait()
        started = time.monotonic()
        results = [f.result() for f in futures]
    elapsed = max(float(r["done"]) for r in results) - started  # type: ignore[arg-type]
    calls: dict[str, list[float]] = defaultdict(list)
    posts: dict[str, list[float]] = defaultdict(list)
    for r in results:
        for token, times in r["toggl"].items():  # type: ignore[attr-defined]
            calls[token] += times
        for channel, times in r["posts"].items():  # type: ignore[attr-defined]
            posts[channel] += times
    return {
        "elapsed": round(elapsed, 2), "outcomes": [r["outcome"] for r in results],
        "runs": asyncio.run(_statuses(url)),
        "toggl_calls": sum(len(t) for t in calls.values()), "tokens_called": len(calls),
        "toggl_faster_than_1_per_s": sum(_too_fast(t) for t in calls.values())
        + sum(int(r["toggl_429"]) for r in results),  # type: ignore[call-overload]
        "posts": sum(len(t) for t in posts.values()), "channels_posted":
            len(posts), "channels_faster_than_1_per_s": sum(_too_fast(t) for t in posts.values()),
    }


def _too_fast(times: list[float]) -> int:
    ordered = sorted(times)
    return sum(1 for a, b in itertools.pairwise(ordered) if b - a < 1.0)


async def _statuses(url: str) -> dict[str, int]:
    engine = create_engine_for(url)
    async with engine.connect() as conn:
        found = Counter((await conn.execute(select(DigestRunRow.status))).scalars().all())
    await engine.dispose()
    return dict(found)


def fan_out(args: argparse.Namespace, say: Any = None) -> dict[str, object]:
    """Seed, race the workers, and check every digest went out once (``result["ok"]``)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        migrate.upgrade(url)
        key = TokenCipher.generate_key()
        t = time.perf_counter()
        asyncio.run(seed(url, TokenCipher.from_setting(key), args.channels, args.members))
        if say:
            say(f"seeded {args.channels} channels x {args.members} members "
                f"in {time.perf_counter() - t:.1f} s ({url.split(':')[0]})")
        result = race(args, url, key)
    members = args.channels * args.members
    result["ok"] = (
        result["runs"] == {"posted": args.channels} and result["posts"] == args.channels
        and result["channels_posted"] == args.channels and result["toggl_calls"] == members
        and result["tokens_called"] == members and result["toggl_faster_than_1_per_s"] == 0
        and result["channels_faster_than_1_per_s"] == 0
    )
    result.update(channels=args.channels, members=args.members, workers=args.workers,
                  charts=not args.no_charts)
    return result


def fanout_args(channels: int, members: int = 10) -> argparse.Namespace:
    """The defaults of ``python -m benchmarks.digest_fanout`` for ``channels``."""
    return parser().parse_args(["--channels", str(channels), "--members", str(members)])


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result = fan_out(args, say=print)
    print(json.dumps(result, indent=2))
    ok = bool(result["ok"])
    members = args.channels * args.members
    elapsed = float(result["elapsed"])  # type: ignore[arg-type]
    print(f"{'OK' if ok else 'FAILED'}: {args.channels} digests x {args.members} members, "
          f"{args.workers} worker process(es), charts {'off' if args.no_charts else 'on'}: "
          f"{elapsed:.1f} s ({members / elapsed:.0f} Toggl calls/s, "
          f"{args.channels / elapsed:.1f} posts/s); each digest posted once, one Toggl call "
          "per member, no token or channel over 1 request/s")
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.digest_fanout")
    parser.add_argument("--channels", type=int, default=1000)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=50, help="digests per worker")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--toggl-latency", type=float, default=0.05)
    parser.add_argument("--no-charts", action="store_true")
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
