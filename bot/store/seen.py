"""The SQL implementation of the SeenRequests port: replay protection across processes.

One row per accepted signature. INSERT ... ON CONFLICT DO NOTHING decides atomically
which of two racing processes saw a request first; expired rows are swept now and then
by whichever process is inserting, so the table stays as small as the traffic of a few
minutes.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.store.accounts import storage_errors
from bot.store.digests import insert_ignoring_duplicates
from bot.store.engine import opened_engine
from bot.store.schema import SeenRequestRow, utcnow

SWEEP_EVERY = 60.0  # seconds between deletes of expired rows, per process


class SqlSeenRequests:
    """seen_requests in SQLite or PostgreSQL."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        now: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = engine
        self._now = now
        self._monotonic = monotonic
        self._next_sweep = monotonic()

    async def first_time(self, key: str, expires_at: datetime) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            if self._monotonic() >= self._next_sweep:
                self._next_sweep = self._monotonic() + SWEEP_EVERY
                await conn.execute(
                    delete(SeenRequestRow).where(SeenRequestRow.expires_at < self._now())
                )
            insert = insert_ignoring_duplicates(conn, SeenRequestRow).values(
                key=key, expires_at=expires_at
            )
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
            inserted = await conn.scalar(insert.returning(SeenRequestRow.key))
        return inserted is not None

    async def count(self) -> int:
        """Rows held, expired or not (for tests and operators)."""
        async with storage_errors(), self._engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(SeenRequestRow)) or 0)


@asynccontextmanager
async def open_seen_requests(settings: Settings) -> AsyncIterator[SqlSeenRequests]:
    """The store on DATABASE_URL with its own small pool; closed on exit."""
    async with opened_engine(settings.DATABASE_URL) as engine:
        yield SqlSeenRequests(engine)
