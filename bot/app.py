"""The composition root: builds the core from settings. Nothing connects at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.config import Settings
from bot.core import Core, utcnow
from bot.crypto import TokenCipher
from bot.store.accounts import SqlAccountStore
from bot.store.engine import create_engine_for
from bot.toggl import TogglClient, Transport
from bot.toggl.transport import Clock


@asynccontextmanager
async def build_core(
    settings: Settings,
    *,
    toggl_http: httpx.AsyncClient | None = None,
    clock: Clock = utcnow,
) -> AsyncIterator[Core]:
    """A ready Core with its engine and connection pool; both closed on exit."""
    key = settings.TOKEN_ENCRYPTION_KEY
    cipher = TokenCipher.from_setting(key.get_secret_value() if key else None)
    engine = create_engine_for(settings.DATABASE_URL)
    transport = Transport(settings.TOGGL_API_URL, http=toggl_http, clock=clock)
    toggl = TogglClient(transport, clock)
    try:
        yield Core(SqlAccountStore(engine, cipher), toggl, clock=clock)
    finally:
        await toggl.aclose()
        await engine.dispose()
