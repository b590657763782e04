"""SQL implementation of the RunLedger port: who posts which (digest, local date).

Exactly-once lives here, in single atomic statements, never in process memory:

* The first worker to INSERT (digest_id, local_date) owns the run; the unique constraint
  turns every other insert into a no-op (ON CONFLICT DO NOTHING).
* A claim carries a lease. A worker that dies before sending stops heartbeating; once the
  lease has expired, one other worker takes the run over with a conditional UPDATE (its
  WHERE re-checks the lease, so two takers cannot both win).
* claimed -> sending is fenced on ``claimed_by``: a worker whose claim was taken over
  never sends.
* A run the platform refused for good (no access, archived) is ``refused``: terminal, like
  ``posted``, so a permanent error is not retried all day.
* A run left in ``sending`` by a dead worker may or may not have reached the platform. It
  is marked ``uncertain`` and NOT re-posted: a missing digest is better than a duplicate.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.digest.model import Claim, RunState, RunStatus
from bot.store.accounts import storage_errors
from bot.store.digests import insert_ignoring_duplicates
from bot.store.schema import DigestRunRow

log = logging.getLogger(__name__)

R = DigestRunRow
MAX_ERROR = 500


def _run_is(digest_id: int, local_date: date) -> ColumnElement[bool]:
    return and_(R.digest_id == digest_id, R.local_date == local_date)


def _held(claim: Claim) -> ColumnElement[bool]:
    return and_(R.id == claim.run_id, R.claimed_by == claim.worker)


class SqlRunLedger:
    """digest_runs in SQLite or PostgreSQL; every method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def runs_since(self, first: date) -> dict[tuple[int, date], RunState]:
        stmt = select(R.digest_id, R.local_date, R.status, R.attempts, R.lease_expires_at).where(
            R.local_date >= first
        )
        async with storage_errors(), self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return {
            (r.digest_id, r.local_date): RunState(
                RunStatus(r.status), r.attempts, r.lease_expires_at
            )
            for r in rows
        }

    async def claim(
        self,
        digest_id: int,
        local_date: date,
        worker: str,
        now: datetime,
        lease_until: datetime,
        max_attempts: int,
    ) -> Claim | None:
        async with storage_errors(), self._engine.begin() as conn:
            inserted = await conn.scalar(
                insert_ignoring_duplicates(conn, R)
                .values(
                    digest_id=digest_id,
                    local_date=local_date,
                    status=RunStatus.CLAIMED,
                    claimed_by=worker,
                    attempts=1,
                    lease_expires_at=lease_until,
                    claimed_at=now,
                )
                .returning(R.id)
            )
            if inserted is not None:
                return Claim(int(inserted), digest_id, local_date, worker, 1)
            return await self._take_over(
                conn, digest_id, local_date, worker, now, lease_until, max_attempts
            )

    @staticmethod
    async def _take_over(
        conn: AsyncConnection,
        digest_id: int,
        local_date: date,
        worker: str,
        now: datetime,
        lease_until: datetime,
        max_attempts: int,
    ) -> Claim | None:
        expired = and_(_run_is(digest_id, local_date), R.lease_expires_at < now)
        taken = (
            await conn.execute(
                update(R)
                .where(
                    expired,
                    R.status.in_([RunStatus.CLAIMED, RunStatus.FAILED]),
                    R.attempts < max_attempts,
                )
                .values(
                    status=RunStatus.CLAIMED,
                    claimed_by=worker,
                    attempts=R.attempts + 1,
                    lease_expires_at=lease_until,
                    claimed_at=now,
                )
                .returning(R.id, R.attempts)
            )
        ).first()
        if taken is not None:
            log.warning("digest %s %s: took over an expired claim", digest_id, local_date)
            return Claim(int(taken.id), digest_id, local_date, worker, int(taken.attempts))
        await _give_up_lost_send(conn, expired, digest_id, local_date)
        return None

    async def heartbeat(self, claim: Claim, lease_until: datetime) -> bool:
        return await self._set(
            claim,
            R.status.in_([RunStatus.CLAIMED, RunStatus.SENDING]),
            lease_expires_at=lease_until,
        )

    async def start_sending(self, claim: Claim, lease_until: datetime) -> bool:
        return await self._set(
            claim, R.status == RunStatus.CLAIMED,
            status=RunStatus.SENDING, lease_expires_at=lease_until,
        )

    async def posted(self, claim: Claim, message_id: str, now: datetime) -> None:
        # Not fenced on claimed_by: if another worker marked our slow send uncertain,
        # the truth (it arrived) still wins.
        stmt = (
            update(R)
            .where(R.id == claim.run_id, R.status.in_([RunStatus.SENDING, RunStatus.UNCERTAIN]))
            .values(status=RunStatus.POSTED, message_id=message_id[:255], posted_at=now,
                    error=None)
        )
        async with storage_errors(), self._engine.begin() as conn:
            await conn.execute(stmt)

    async def failed(self, claim: Claim, retry_at: datetime, error: str) -> None:
        await self._set(
            claim,
            R.status.in_([RunStatus.CLAIMED, RunStatus.SENDING]),
            status=RunStatus.FAILED, lease_expires_at=retry_at, error=error[:MAX_ERROR],
        )

    async def uncertain(self, claim: Claim, error: str) -> None:
        await self._set(
            claim, R.status == RunStatus.SENDING,
            status=RunStatus.UNCERTAIN, error=error[:MAX_ERROR],
        )

    async def refused(self, claim: Claim, error: str) -> None:
        await self._set(
            claim, R.status == RunStatus.SENDING,
            status=RunStatus.REFUSED, error=error[:MAX_ERROR],
        )

    async def _set(self, claim: Claim, condition: ColumnElement[bool], **values: object) -> bool:
        stmt = update(R).where(_held(claim), condition).values(**values)
        async with storage_errors(), self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount > 0


async def _give_up_lost_send(
    conn: AsyncConnection, expired: ColumnElement[bool], digest_id: int, local_date: date
) -> None:
    """A `sending` run whose worker went silent: it may have arrived, so never re-post it."""
    lost = await conn.execute(
        update(R)
        .where(expired, R.status == RunStatus.SENDING)
        .values(status=RunStatus.UNCERTAIN, error="the sender stopped during the send")
    )
    if lost.rowcount:
        log.error(
            "digest %s %s: a worker stopped while sending; not re-posted (it may have "
            "arrived). Marked uncertain.", digest_id, local_date,
        )
