"""The SQL implementation of the SeenRequests port: replay protection across processes.

One row per accepted signature, kept until the signature can no longer be valid. This
sits on the path of every Slack ack, so it is built for latency:

* Each process first checks its own memory of recent keys (exact within the process).
* PostgreSQL: INSERT ... ON CONFLICT DO NOTHING decides, atomically, which of any number
  of processes saw a key first. Sightings that arrive together are written together, in
  one transaction, on a thread of its own with a blocking engine: one hop off the event
  loop and back rather than one per statement.
* SQLite has one write lock, which the core's transactions hold most of the time under
  load; waiting for it on the ack path cost 60-100 ms at the median. So there the ack path
  only *reads* (WAL readers never wait for the writer) whether another process or an
  earlier run recorded the key, and the row is written in the background, in batches.
  Two processes sharing one SQLite file could therefore both accept a key they receive
  within the same few milliseconds; a restart, or any later replay, is refused.

Expired rows are swept now and then by whichever process is writing, so the table stays
as small as a few minutes of traffic.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection, Engine

from bot.clock import utcnow
from bot.config import Settings
from bot.errors import StorageUnavailable
from bot.store.accounts import storage_errors
from bot.store.digests import insert_ignoring_duplicates
from bot.store.engine import create_sync_engine_for, is_sqlite
from bot.store.schema import SeenRequestRow

log = logging.getLogger(__name__)

SWEEP_EVERY = 60.0  # seconds between deletes of expired rows, per process
MAX_BATCH = 500
REMEMBERED = 50_000  # keys kept in memory per process (a few minutes of heavy traffic)

Sighting = tuple[str, datetime, "asyncio.Future[bool]"]
T = TypeVar("T")


class SqlSeenRequests:
    """seen_requests in SQLite or PostgreSQL. Close with ``aclose`` (it flushes writes)."""

    def __init__(
        self,
        url: str,
        *,
        now: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sqlite = is_sqlite(url)
        self._engine: Engine = create_sync_engine_for(url, pool_size=2)
        self._writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seen-writes")
        self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="seen-reads")
        self._now = now
        self._monotonic = monotonic
        self._next_sweep = monotonic()
        self._recent: OrderedDict[str, datetime] = OrderedDict()
        self._pending: list[Sighting] = []
        self._writer: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"SqlSeenRequests({self._engine.url.render_as_string(hide_password=True)})"

    async def first_time(self, key: str, expires_at: datetime) -> bool:
        if not self._remember(key, expires_at):
            return False
        if not self._sqlite:
            return await self._write(key, expires_at)
        if await self._on(self._reads, self._exists, key):
            return False
        self._write(key, expires_at).add_done_callback(_report_failure)
        return True

    async def count(self) -> int:
        """Rows held, expired or not (for tests and operators)."""
        return await self._on(self._reads, self._count)

    async def aclose(self) -> None:
        """Wait for the writes in flight, then close the connections and threads."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        await self._on(self._writes, self._engine.dispose)
        self._writes.shutdown(wait=False)
        self._reads.shutdown(wait=False)

    def _remember(self, key: str, expires_at: datetime) -> bool:
        """False when this process has seen the key; else remembers it (bounded)."""
        if key in self._recent:
            return False
        self._recent[key] = expires_at
        now = self._now()
        while self._recent and (
            len(self._recent) > REMEMBERED or next(iter(self._recent.values())) < now
        ):
            self._recent.popitem(last=False)  # the database still knows the ones dropped
        return True

    def _write(self, key: str, expires_at: datetime) -> asyncio.Future[bool]:
        """Queue the row; the future says whether it was new in the database."""
        answer: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((key, expires_at, answer))
        if self._writer is None or self._writer.done():
            # Its own task: a request that is cancelled must not strand the others' answers.
            self._writer = asyncio.create_task(self._write_all(), name="seen-requests")
        return answer

    async def _write_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            rows = {key: expires for key, expires, _ in reversed(batch)}  # one row per key
            try:
                new = await self._on(self._writes, self._insert, rows)
            except Exception as exc:  # each waiter gets the failure, none is left hanging
                for _, _, answer in batch:
                    if not answer.done():
                        answer.set_exception(exc)
                continue
            except BaseException:
                for _, _, answer in batch + self._pending:
                    answer.cancel()
                raise
            for key, _, answer in batch:
                if not answer.done():
                    answer.set_result(key in new)
                new.discard(key)  # the same key twice in one batch: only the first is new

    @staticmethod
    async def _on(thread: ThreadPoolExecutor, work: Callable[..., T], *args: object) -> T:
        loop = asyncio.get_running_loop()
        async with storage_errors():
            return await loop.run_in_executor(thread, work, *args)

    # -- on the threads -------------------------------------------------------------------

    def _exists(self, key: str) -> bool:
        with self._engine.connect() as conn:
            stmt = select(SeenRequestRow.key).where(SeenRequestRow.key == key)
            return conn.scalar(stmt) is not None

    def _insert(self, rows: dict[str, datetime]) -> set[str]:
        with self._engine.begin() as conn:
            self._sweep(conn)
            insert = insert_ignoring_duplicates(conn, SeenRequestRow).values(
                [{"key": key, "expires_at": expires} for key, expires in rows.items()]
            )
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
            return set(conn.scalars(insert.returning(SeenRequestRow.key)).all())

    def _sweep(self, conn: Connection) -> None:
        if self._monotonic() < self._next_sweep:
            return
        self._next_sweep = self._monotonic() + SWEEP_EVERY
        conn.execute(delete(SeenRequestRow).where(SeenRequestRow.expires_at < self._now()))

    def _count(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(SeenRequestRow)) or 0)


def _report_failure(written: asyncio.Future[bool]) -> None:
    failure = None if written.cancelled() else written.exception()
    if failure is not None:
        reason = failure.message if isinstance(failure, StorageUnavailable) else type(failure)
        log.warning("a request signature was not recorded (%s): its replay would be "
                    "recognised by this process only", reason)


@asynccontextmanager
async def open_seen_requests(settings: Settings) -> AsyncIterator[SqlSeenRequests]:
    """The store on DATABASE_URL with its own threads and connections; closed on exit."""
    seen = SqlSeenRequests(settings.DATABASE_URL)
    try:
        yield seen
    finally:
        await seen.aclose()
