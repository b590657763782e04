"""SQL for reminders: each person's settings, the indexed ``next_at``, and the ledger that
sends each (person, kind, local date) at most once, whatever the number of workers.

Two locks, both in single statements, never in process memory:

* the person's **lease** (``reminders.lease_until``/``leased_by``): one worker at a time
  looks at a person, so a Toggl check is never spent twice for the same tick; taken for a
  whole batch of due people in one UPDATE … RETURNING;
* the **send row** (``reminder_sends``, unique per person, kind and day): inserted
  first-wins like ``digest_runs``; claimed -> sending is fenced on the claimer, and a send
  whose outcome is unknown is ``uncertain`` and never repeated.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Date, and_, bindparam, case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain import Quota, UserKey
from bot.remind.model import Hours, Kind, Person, Release, SendClaim, SendStatus, Settings
from bot.store.accounts import storage_errors
from bot.store.codec import entry_from_json
from bot.store.digests import insert_ignoring_duplicates
from bot.store.schema import ReminderRow, ReminderSendRow, UserRow, UtcDateTime

R, S, U = ReminderRow, ReminderSendRow, UserRow
MAX_ERROR = 500
_OPEN = (SendStatus.CLAIMED, SendStatus.FAILED)


def _days_mask(days: frozenset[int]) -> int:
    return sum(1 << d for d in days)


def _days(mask: int) -> frozenset[int]:
    return frozenset(d for d in range(7) if mask & (1 << d))


def _minutes(span: timedelta | None) -> int | None:
    return None if span is None else int(span.total_seconds() // 60)


def _span(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


def _account_id(key: UserKey) -> Any:
    return select(U.id).where(
        U.platform == key.platform, U.team_id == key.team_id, U.user_id == key.user_id
    )


def _account_of(key: UserKey) -> Any:
    return _account_id(key).scalar_subquery()


def settings_of(row: Any) -> Settings:
    return Settings(
        Hours(row.work_start, row.work_end, _days(row.work_days)),
        _span(row.running_minutes), _span(row.idle_minutes), row.recap_at, row.snoozed_until,
    )


def _columns(settings: Settings) -> dict[str, Any]:
    return {
        "work_start": settings.hours.start, "work_end": settings.hours.stop,
        "work_days": _days_mask(settings.hours.days),
        "running_minutes": _minutes(settings.running), "idle_minutes": _minutes(settings.idle),
        "recap_at": settings.recap, "snoozed_until": settings.snoozed_until,
    }


_PERSON = select(
    R.__table__, U.platform, U.team_id, U.user_id, U.timezone, U.token_valid,
    U.running_entry, U.last_entry, U.quota_remaining, U.quota_resets_at,
    U.me_quota_remaining, U.me_quota_resets_at,
).join(U, U.id == R.account_id)


_RELEASE = update(R).where(
    R.account_id == bindparam("aid"), R.leased_by == bindparam("w")
).values(
    lease_until=None, leased_by=None,
    next_at=case((R.next_at == bindparam("due", type_=UtcDateTime),
                  bindparam("nxt", type_=UtcDateTime)), else_=R.next_at),
    checks_day=bindparam("cday", type_=Date), checks=bindparam("n"),
    checked_at=bindparam("cat", type_=UtcDateTime),
)


class SqlReminderStore:
    """reminders and reminder_sends in SQLite or PostgreSQL; each method one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def __repr__(self) -> str:
        return f"SqlReminderStore({self._engine.url.render_as_string(hide_password=True)})"

    # --- settings (the `remind` commands) ------------------------------------------------
    async def get(self, key: UserKey) -> Settings | None:
        stmt = select(R.__table__).where(R.account_id == _account_of(key))
        async with storage_errors(), self._engine.connect() as conn:
            row = (await conn.execute(stmt)).first()
        return settings_of(row) if row is not None else None

    async def save(self, key: UserKey, settings: Settings, now: datetime) -> bool:
        """Create or replace the settings; the scheduler plans them on its next tick.
        False when the person has no account (logged out meanwhile)."""
        values = {**_columns(settings), "next_at": now, "updated_at": now}
        async with storage_errors(), self._engine.begin() as conn:
            account_id = await conn.scalar(_account_id(key))
            if account_id is None:
                return False
            changed = await conn.execute(
                update(R).where(R.account_id == account_id).values(**values)
            )
            if changed.rowcount == 0:
                await conn.execute(
                    insert_ignoring_duplicates(conn, R).values(
                        account_id=account_id, checks=0, **values
                    )
                )
        return True

    async def delete(self, key: UserKey) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            account_id = await conn.scalar(_account_id(key))
            if account_id is None:
                return False
            gone = await conn.execute(delete(R).where(R.account_id == account_id))
            await conn.execute(delete(S).where(S.account_id == account_id))
        return gone.rowcount > 0

    async def touch(self, key: UserKey, now: datetime) -> None:
        """What the bot knows changed (a timer started or stopped, a login): plan again
        on the next tick, from the database alone."""
        stmt = update(R).where(R.account_id == _account_of(key), R.next_at > now).values(
            next_at=now
        )
        async with storage_errors(), self._engine.begin() as conn:
            await conn.execute(stmt)

    async def settled(self, key: UserKey, day: date) -> frozenset[Kind]:
        """The kinds already sent (or answered) on ``day``."""
        stmt = select(S.kind).where(S.account_id == _account_of(key), S.local_date == day)
        async with storage_errors(), self._engine.connect() as conn:
            kinds = (await conn.execute(stmt)).scalars().all()
        return frozenset(cast(Kind, k) for k in kinds)

    async def answer(self, key: UserKey, kind: Kind, day: date, now: datetime) -> bool:
        """`remind ok` / a snooze: no more of ``kind`` today. False without settings."""
        async with storage_errors(), self._engine.begin() as conn:
            account_id = await conn.scalar(
                select(R.account_id).where(R.account_id == _account_of(key))
            )
            if account_id is None:
                return False
            await conn.execute(insert_ignoring_duplicates(conn, S).values(
                account_id=account_id, kind=kind, local_date=day,
                status=SendStatus.ANSWERED, claimed_by="answer", attempts=0,
                lease_expires_at=now, sent_at=None,
            ))
        return True

    # --- the scheduler -------------------------------------------------------------------
    async def lease_due(
        self, now: datetime, worker: str, lease_until: datetime, limit: int,
        platforms: frozenset[str] | None = None,
    ) -> list[Person]:
        """Lease up to ``limit`` people whose ``next_at`` has come (an index range read);
        ``platforms``: only people this worker can message."""
        free = or_(R.lease_until.is_(None), R.lease_until < now)
        async with storage_errors(), self._engine.begin() as conn:
            due = select(R.account_id).where(R.next_at <= now, free) \
                .order_by(R.next_at).limit(limit)
            if platforms is not None:
                due = due.join(U, U.id == R.account_id).where(U.platform.in_(platforms))
            if conn.dialect.name == "postgresql":
                due = due.with_for_update(skip_locked=True, of=R)  # racing workers take others
            leased = (await conn.execute(
                update(R).where(R.account_id.in_(due.scalar_subquery()), R.next_at <= now, free)
                .values(lease_until=lease_until, leased_by=worker)
                .returning(R.account_id)
            )).scalars().all()
            if not leased:
                return []
            rows = (await conn.execute(_PERSON.where(R.account_id.in_(leased)))).all()
        return [_person(row) for row in rows]

    async def settled_since(
        self, account_ids: list[int], first: date
    ) -> dict[tuple[int, date], frozenset[Kind]]:
        """Kinds settled per (person, day), for a batch of people, in one query."""
        if not account_ids:
            return {}
        stmt = select(S.account_id, S.local_date, S.kind, S.status, S.attempts,
                      S.lease_expires_at).where(S.account_id.in_(account_ids),
                                                S.local_date >= first)
        found: dict[tuple[int, date], set[Kind]] = defaultdict(set)
        async with storage_errors(), self._engine.connect() as conn:
            for row in (await conn.execute(stmt)).all():
                found[(row.account_id, row.local_date)].add(cast(Kind, row.kind))
        return {k: frozenset(v) for k, v in found.items()}

    async def release(self, releases: list[Release], worker: str) -> None:
        """Hand people back with their next look, all in one statement (executemany);
        a command's touch meanwhile (``next_at`` moved) wins over the plan."""
        if not releases:
            return
        params = [{
            "aid": r.person.account_id, "w": worker, "due": r.person.due_at or r.next_at,
            "nxt": r.next_at, "cday": r.checks_day, "n": r.checks, "cat": r.checked_at,
        } for r in releases]
        async with storage_errors(), self._engine.begin() as conn:
            await conn.execute(_RELEASE, params)

    async def claim_send(
        self, account_id: int, kind: Kind, day: date, worker: str, now: datetime,
        lease_until: datetime, max_attempts: int,
    ) -> SendClaim | None:
        async with storage_errors(), self._engine.begin() as conn:
            inserted = await conn.scalar(
                insert_ignoring_duplicates(conn, S).values(
                    account_id=account_id, kind=kind, local_date=day,
                    status=SendStatus.CLAIMED, claimed_by=worker, attempts=1,
                    lease_expires_at=lease_until,
                ).returning(S.id)
            )
            if inserted is not None:
                return SendClaim(int(inserted), account_id, kind, day, worker)
            mine = and_(S.account_id == account_id, S.kind == kind, S.local_date == day,
                        S.lease_expires_at < now)
            taken = (await conn.execute(
                update(S).where(mine, S.status.in_(_OPEN), S.attempts < max_attempts)
                .values(status=SendStatus.CLAIMED, claimed_by=worker,
                        attempts=S.attempts + 1, lease_expires_at=lease_until)
                .returning(S.id)
            )).scalar()
            if taken is not None:
                return SendClaim(int(taken), account_id, kind, day, worker)
            # A sender that went silent mid-send: it may have arrived; never repeat it.
            await conn.execute(update(S).where(mine, S.status == SendStatus.SENDING)
                               .values(status=SendStatus.UNCERTAIN,
                                       error="the sender stopped during the send"))
        return None

    async def start_sending(self, claim: SendClaim, lease_until: datetime) -> bool:
        return await self._set(claim, S.status == SendStatus.CLAIMED,
                               status=SendStatus.SENDING, lease_expires_at=lease_until)

    async def sent(self, claim: SendClaim, now: datetime) -> None:
        stmt = update(S).where(
            S.id == claim.send_id, S.status.in_([SendStatus.SENDING, SendStatus.UNCERTAIN])
        ).values(status=SendStatus.SENT, sent_at=now, error=None)
        async with storage_errors(), self._engine.begin() as conn:
            await conn.execute(stmt)

    async def failed(self, claim: SendClaim, retry_at: datetime, error: str) -> None:
        await self._set(claim, S.status.in_([SendStatus.CLAIMED, SendStatus.SENDING]),
                        status=SendStatus.FAILED, lease_expires_at=retry_at,
                        error=error[:MAX_ERROR])

    async def refused(self, claim: SendClaim, error: str) -> None:
        """The platform refused for good (DMs closed): never retried."""
        await self._set(claim, S.status == SendStatus.SENDING,
                        status=SendStatus.REFUSED, error=error[:MAX_ERROR])

    async def uncertain(self, claim: SendClaim, error: str) -> None:
        await self._set(claim, S.status == SendStatus.SENDING,
                        status=SendStatus.UNCERTAIN, error=error[:MAX_ERROR])

    async def _set(self, claim: SendClaim, condition: ColumnElement[bool], **values: Any) -> bool:
        stmt = update(S).where(S.id == claim.send_id, S.claimed_by == claim.worker, condition) \
            .values(**values)
        async with storage_errors(), self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount > 0


def _person(row: Any) -> Person:
    return Person(
        account_id=row.account_id,
        key=UserKey(row.platform, row.team_id, row.user_id),
        timezone=row.timezone,
        settings=settings_of(row),
        token_valid=row.token_valid,
        quota=Quota(row.quota_remaining, row.quota_resets_at),
        me_quota=Quota(row.me_quota_remaining, row.me_quota_resets_at),
        running=entry_from_json(row.running_entry),
        last=entry_from_json(row.last_entry),
        checks_day=row.checks_day,
        checks=row.checks,
        checked_at=row.checked_at,
        due_at=row.next_at,
    )
