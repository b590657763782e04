"""The `worker` process: the digest scheduler and the reminder scheduler, posting to Slack
and Discord (reminders as private messages).

Exactly-once lives in the database (bot.store.digest_runs); the senders
(adapters.slack.digest_sender, adapters.discord.digest_sender) only turn a core Reply into
a platform message and tell the scheduler how a send ended:

* a platform refusal (``ok: false``, 4xx, or Slack still rate-limiting after our retries)
  raises DeliveryRejected: the post certainly did not happen. A refusal that asking again
  can't change (no access to the channel, archived, a missing scope) is ``permanent``:
  not retried, and whoever set the digest up is told privately (``tell``); the rest may be
  retried later;
* anything else (timeouts, dropped connections, 5xx) propagates: it may have arrived, so
  the run is marked uncertain and never re-posted blind.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import cast

from adapters.discord.digest_sender import DiscordSender
from adapters.slack.digest_sender import SlackSender, TokenLookup
from adapters.slack.installations import SlackInstallationStore
from bot.app import App, open_app
from bot.clock import Clock, utcnow
from bot.config import Settings
from bot.digest.build import DigestBuilder
from bot.digest.chart import Bars, render_off_loop
from bot.digest.model import Channel
from bot.digest.ports import DeliveryRejected, DigestSender
from bot.digest.scheduler import Scheduler
from bot.domain import UserKey
from bot.errors import ConfigError
from bot.remind.ports import ReminderSender
from bot.remind.scheduler import ReminderScheduler
from bot.replies import Reply
from bot.store.digest_runs import SqlRunLedger
from bot.store.engine import is_sqlite
from bot.store.installations import SqlInstallationStore

__all__ = ["DiscordSender", "PlatformSender", "SlackSender", "digest_scheduler", "in_background",
           "schedulers"]

log = logging.getLogger(__name__)

CONCURRENCY = 20  # digests in flight per worker
STOP_GRACE = 6.0  # seconds a round may finish in after SIGTERM (operators expect < 10 s)


class PlatformSender:
    """Routes each post to the sender of its platform."""

    def __init__(self, *senders: SlackSender | DiscordSender) -> None:
        self._by_platform = {s.platform: s for s in senders}

    @property
    def platforms(self) -> frozenset[str]:
        return frozenset(self._by_platform)

    async def send(self, platform: str, team_id: str, channel_id: str, reply: Reply) -> str:
        return await self._sender(platform).send(platform, team_id, channel_id, reply)

    async def tell(self, channel: Channel, user_id: str, reply: Reply) -> None:
        await self._sender(channel.platform).tell(channel, user_id, reply)

    async def remind(self, key: UserKey, reply: Reply) -> None:
        await self._sender(key.platform).remind(key, reply)

    def _sender(self, platform: str) -> SlackSender | DiscordSender:
        sender = self._by_platform.get(platform)
        if sender is None:
            raise DeliveryRejected(f"this worker does not post to {platform}")
        return sender


def pool_settings(url: str) -> dict[str, int]:
    """PostgreSQL: a connection per digest in flight (opening one costs a process fork).
    SQLite: a few only; it has one writer, and many threads queueing in its busy handler
    wait longer than tasks queueing for a pooled connection."""
    if is_sqlite(url):
        return {"pool_size": 2, "max_overflow": 2}
    return {"pool_size": CONCURRENCY, "max_overflow": 5}


def slack_tokens(settings: Settings, installations: SqlInstallationStore) -> TokenLookup:
    """The bot token of a workspace: its OAuth installation, else SLACK_BOT_TOKEN."""
    store = SlackInstallationStore(installations)
    fallback = settings.SLACK_BOT_TOKEN

    async def lookup(team_id: str) -> str | None:
        bot = await store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is not None and bot.bot_token:
            return str(bot.bot_token)
        return fallback.get_secret_value() if fallback else None

    return lookup


@dataclass(frozen=True, slots=True)
class Schedulers:
    digests: Scheduler
    reminders: ReminderScheduler


@asynccontextmanager
async def digest_scheduler(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    sender: DigestSender | None = None,
    platforms: frozenset[str] | None = None,
    app: App | None = None,
) -> AsyncIterator[Scheduler]:
    """The digest scheduler on ``app`` (or one opened here) and the configured platforms."""
    async with schedulers(settings, clock=clock, sender=sender, platforms=platforms,
                          app=app) as both:
        yield both.digests


@asynccontextmanager
async def schedulers(
    settings: Settings,
    *,
    clock: Clock = utcnow,
    sender: DigestSender | None = None,
    platforms: frozenset[str] | None = None,
    app: App | None = None,
) -> AsyncIterator[Schedulers]:
    """Both schedulers on ``app`` (or one opened here), sharing its engine and senders."""
    async with AsyncExitStack() as stack:
        if app is None:
            app = await stack.enter_async_context(
                open_app(settings, clock=clock, pool=pool_settings(settings.DATABASE_URL))
            )
        if sender is None:
            routed = await _platform_sender(settings, app.installations, stack)
            sender, platforms = routed, routed.platforms
        charts = _chart_renderer(stack)
        builder = DigestBuilder(app.accounts, app.toggl, app.clock, charts=charts)
        digests = Scheduler(
            app.digests, SqlRunLedger(app.engine), builder, sender, app.clock,
            concurrency=CONCURRENCY, platforms=platforms,
        )
        reminders = ReminderScheduler(
            app.reminders, app.accounts, app.toggl, cast(ReminderSender, sender), app.clock,
            worker=digests.worker, concurrency=CONCURRENCY, platforms=platforms,
        )
        yield Schedulers(digests, reminders)


async def _platform_sender(
    settings: Settings, installations: SqlInstallationStore, stack: AsyncExitStack
) -> PlatformSender:
    senders: list[SlackSender | DiscordSender] = []
    if settings.SLACK_BOT_TOKEN or settings.SLACK_CLIENT_ID:
        senders.append(SlackSender(slack_tokens(settings, installations), settings.SLACK_API_URL))
    if settings.DISCORD_TOKEN:
        discord_sender = DiscordSender(settings.DISCORD_TOKEN)
        stack.push_async_callback(discord_sender.aclose)
        senders.append(discord_sender)
    if not senders:
        raise ConfigError(
            "The worker posts digests to Slack or Discord: set SLACK_BOT_TOKEN (or the "
            "SLACK_CLIENT_ID of a distributed app) and/or DISCORD_TOKEN."
        )
    return PlatformSender(*senders)


def _chart_renderer(stack: AsyncExitStack) -> Callable[[Bars], Awaitable[bytes]]:
    # Charts are CPU work: a small process pool keeps them off the event loop and the GIL.
    # spawn, not fork: forking a process with running threads and sockets is unsafe.
    workers = max(1, min(4, (os.cpu_count() or 2) - 1))
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    stack.callback(pool.shutdown, cancel_futures=True)
    return partial(render_off_loop, executor=pool)


async def serve(settings: Settings, stop: asyncio.Event, app: App | None = None) -> None:
    """Run the scheduler until ``stop`` is set; a round still going after STOP_GRACE
    seconds is cancelled (the ledger's leases retry or mark it; nothing is posted twice)."""
    async with schedulers(settings, app=app) as both:
        rounds = {
            asyncio.create_task(both.digests.run_forever(stop), name="digest-rounds"),
            asyncio.create_task(both.reminders.run_forever(stop), name="reminder-rounds"),
        }
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({*rounds, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not all(r.done() for r in rounds):
                await asyncio.wait(rounds, timeout=STOP_GRACE)
        finally:
            stopping.cancel()
            for task in rounds:
                if not task.done():
                    log.warning("stopping: cancelling the %s in progress", task.get_name())
                    task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


@asynccontextmanager
async def in_background(settings: Settings, app: App | None = None) -> AsyncIterator[None]:
    """The scheduler as a task beside another server (`togglbot run` on SQLite).

    Same claims in the same database as separate workers, so exactly-once still holds if
    a `worker` process runs too.
    """
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, app), name="digest-scheduler")
    try:
        yield
    finally:
        stop.set()
        await task


def run(settings: Settings) -> int:
    """The `worker` process; SIGTERM/SIGINT finish the current round and exit."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(settings, stop)

    asyncio.run(main())
    return 0
