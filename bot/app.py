"""The composition root: builds the core from settings. Nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.config import Settings
from bot.confirm import secret_from
from bot.core import Core, utcnow
from bot.crypto import cipher_from
from bot.pacing import Pacer
from bot.store.accounts import SqlAccountStore
from bot.store.digests import SqlDigestStore
from bot.store.engine import opened_engine
from bot.toggl import TogglClient, Transport
from bot.toggl.api import TOGGL_PACE
from bot.toggl.transport import Clock


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[SqlAccountStore]:
    """The account store on its own engine, disposed on exit."""
    cipher = cipher_from(settings)
    async with opened_engine(settings.DATABASE_URL) as engine:
        yield SqlAccountStore(engine, cipher)


@asynccontextmanager
async def build_core(
    settings: Settings,
    *,
    toggl_http: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
    one_person: bool = False,
    toggl_pace: float | None = TOGGL_PACE,
) -> AsyncIterator[Core]:
    """A ready Core with its engine and connection pool; both closed on exit.

    ``one_person`` (console, demo) drops the runaway guard; ``toggl_pace`` spaces each
    token's Toggl requests (None: not at all, for an emulator with no per-second limit).
    """
    async with open_store(settings) as store:
        transport = Transport(settings.TOGGL_API_URL, reports_url=settings.TOGGL_REPORTS_URL,
                              http=toggl_http, clock=clock)
        toggl = TogglClient(transport, clock, Pacer(toggl_pace) if toggl_pace else None)
        try:
            yield Core(
                store, toggl, clock=clock, digests=SqlDigestStore(store.engine),
                confirm_secret=secret_from(settings.TOKEN_ENCRYPTION_KEY),
                command_limit=not one_person,
            )
        finally:
            await toggl.aclose()
