"""The composition root: every process builds its parts here, from Settings, and only here.

`web`, `discord`, `worker`, `run`, `console` and `demo` all open one ``App``: the cipher,
one engine, the stores on it, the pooled Toggl client and the core. Nothing connects at
import time, and nothing is built (no database file either) before the key is valid.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import Clock, utcnow
from bot.config import Settings
from bot.confirm import secret_from
from bot.core import Core
from bot.crypto import TokenCipher, cipher_from
from bot.pacing import Pacer
from bot.store.accounts import SqlAccountStore
from bot.store.channels import SqlChannelStore
from bot.store.digests import SqlDigestStore
from bot.store.engine import opened_engine
from bot.store.installations import SqlInstallationStore
from bot.store.reminders import SqlReminderStore
from bot.store.seen import SqlSeenRequests, open_seen_requests
from bot.store.status_links import SqlStatusLinks
from bot.toggl import TogglClient, Transport
from bot.toggl.api import TOGGL_PACE


@dataclass(frozen=True, slots=True)
class App:
    """Everything a process needs, sharing one engine and one Toggl connection pool."""

    settings: Settings
    cipher: TokenCipher
    engine: AsyncEngine
    accounts: SqlAccountStore
    digests: SqlDigestStore
    installations: SqlInstallationStore
    reminders: SqlReminderStore
    toggl: TogglClient
    core: Core
    clock: Clock
    channels: SqlChannelStore
    status_links: SqlStatusLinks

    def __repr__(self) -> str:
        return f"App({self.accounts!r})"

    def seen_requests(self) -> AbstractAsyncContextManager[SqlSeenRequests]:
        """The replay guard of the `web` process: its own threads and connections, built
        only where Slack requests arrive."""
        return open_seen_requests(self.settings)


def settle_heap() -> None:
    """Freeze what start-up allocated (modules, the app, its pools): full collections
    then skip those objects; they paused the loop 96-130 ms each, four times a run."""
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def open_app(
    settings: Settings,
    *,
    toggl_http: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
    pool: dict[str, Any] | None = None,
    one_person: bool = False,
    toggl_pace: float | None = TOGGL_PACE,
    serving: bool = False,
) -> AsyncIterator[App]:
    """The whole app for the lifetime of a block; the engine and Toggl client close on exit.

    ``pool`` sizes the database pool (the worker wants more connections than a chat process);
    ``one_person`` (console, demo) drops the runaway guard; ``toggl_pace`` spaces each
    token's Toggl requests (None: not at all, for an emulator with no per-second limit).
    ``serving``: a long-running process; what start-up built is moved out of the
    collector's sight (``settle_heap``).
    """
    cipher = cipher_from(settings)  # first: a bad key stops us before anything is created
    async with opened_engine(settings.DATABASE_URL, **(pool or {})) as engine:
        accounts = SqlAccountStore(engine, cipher)
        digests = SqlDigestStore(engine)
        reminders = SqlReminderStore(engine)
        transport = Transport(settings.TOGGL_API_URL, reports_url=settings.TOGGL_REPORTS_URL,
                              http=toggl_http, clock=clock)
        toggl = TogglClient(transport, clock, Pacer(toggl_pace) if toggl_pace else None)
        channels, status_links = SqlChannelStore(engine), SqlStatusLinks(engine, cipher)
        try:
            core = Core(
                accounts, toggl, clock=clock, digests=digests,
                confirm_secret=secret_from(settings.TOKEN_ENCRYPTION_KEY),
                command_limit=not one_person,
                channels=channels,
                status_links=status_links,
                reminders=reminders,
            )
            app = App(
                settings, cipher, engine, accounts, digests,
                SqlInstallationStore(engine, cipher), reminders, toggl, core, clock, channels,
                status_links,
            )
            if serving:
                settle_heap()
            yield app
        finally:
            await toggl.aclose()


@asynccontextmanager
async def build_core(
    settings: Settings,
    *,
    toggl_http: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
    one_person: bool = False,
    toggl_pace: float | None = TOGGL_PACE,
) -> AsyncIterator[Core]:
    """Only the core of ``open_app`` (the console, benchmarks); see ``open_app``."""
    async with open_app(settings, toggl_http=toggl_http, clock=clock, one_person=one_person,
                        toggl_pace=toggl_pace) as app:
        yield app.core
