"""SQL implementation of the DigestStore port: channel subscriptions and opt-in members."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Insert, Table, and_, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import utcnow
from bot.digest.model import Channel, Digest, Member, Schedule
from bot.domain import UserKey
from bot.store.accounts import storage_errors
from bot.store.schema import DigestMemberRow, DigestRow, UserRow


def insert_ignoring_duplicates(conn: AsyncConnection | Connection, table: Any) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING on both backends: a lost race is not an error."""
    target: Table = table.__table__
    if conn.dialect.name == "postgresql":
        return postgresql.insert(target).on_conflict_do_nothing()
    return sqlite.insert(target).on_conflict_do_nothing()


def _channel_is(channel: Channel) -> ColumnElement[bool]:
    return and_(
        DigestRow.platform == channel.platform,
        DigestRow.team_id == channel.team_id,
        DigestRow.channel_id == channel.channel_id,
    )


def _user_is(key: UserKey) -> ColumnElement[bool]:
    return and_(
        UserRow.platform == key.platform,
        UserRow.team_id == key.team_id,
        UserRow.user_id == key.user_id,
    )


_MEMBERS = (
    select(
        DigestMemberRow.digest_id, UserRow.platform, UserRow.team_id, UserRow.user_id, UserRow.name
    )
    .join(UserRow, UserRow.id == DigestMemberRow.account_id)
    .order_by(DigestMemberRow.joined_at, UserRow.id)
)


class SqlDigestStore:
    """Digests and their members in SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def __repr__(self) -> str:
        return f"SqlDigestStore({self._engine.url.render_as_string(hide_password=True)})"

    async def subscribe(
        self, channel: Channel, schedule: Schedule, set_up_by: str = ""
    ) -> Digest:
        values = {
            "local_time": schedule.at,
            "timezone": schedule.timezone,
            "weekdays_only": schedule.weekdays_only,
            "enabled": True,
            "set_up_by": set_up_by or None,
            "updated_at": utcnow(),
        }
        try:
            async with storage_errors(), self._engine.begin() as conn:
                await self._upsert(conn, channel, values)
        except IntegrityError:
            # Two people subscribed the same channel at once: the later settings win.
            async with storage_errors(), self._engine.begin() as conn:
                await conn.execute(update(DigestRow).where(_channel_is(channel)).values(values))
        found = await self.find(channel)
        assert found is not None
        return found

    @staticmethod
    async def _upsert(conn: AsyncConnection, channel: Channel, values: dict[str, Any]) -> None:
        done = await conn.execute(update(DigestRow).where(_channel_is(channel)).values(values))
        if done.rowcount == 0:
            await conn.execute(
                insert(DigestRow).values(
                    platform=channel.platform,
                    team_id=channel.team_id,
                    channel_id=channel.channel_id,
                    created_at=values["updated_at"],
                    **values,
                )
            )

    async def find(self, channel: Channel) -> Digest | None:
        async with storage_errors(), self._engine.connect() as conn:
            found = await conn.execute(select(DigestRow.__table__).where(_channel_is(channel)))
            row = found.first()
            if row is None:
                return None
            of_digest = _MEMBERS.where(DigestMemberRow.digest_id == row.id)
            members = (await conn.execute(of_digest)).all()
        return _digest(row._mapping, [_member(m) for m in members])

    async def disable(self, channel: Channel) -> bool:
        stmt = (
            update(DigestRow)
            .where(_channel_is(channel), DigestRow.enabled.is_(True))
            .values(enabled=False, updated_at=utcnow())
        )
        async with storage_errors(), self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount > 0

    async def disable_team(self, platform: str, team_id: str) -> int:
        stmt = (
            update(DigestRow)
            .where(
                DigestRow.platform == platform,
                DigestRow.team_id == team_id,
                DigestRow.enabled.is_(True),
            )
            .values(enabled=False, updated_at=utcnow())
        )
        async with storage_errors(), self._engine.begin() as conn:
            return int((await conn.execute(stmt)).rowcount)

    async def join(self, digest_id: int, key: UserKey) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            account_id = await conn.scalar(select(UserRow.id).where(_user_is(key)))
            if account_id is None:
                return False
            stmt = insert_ignoring_duplicates(conn, DigestMemberRow).values(
                digest_id=digest_id, account_id=account_id, joined_at=utcnow()
            )
            # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT.
            added = await conn.scalar(stmt.returning(DigestMemberRow.digest_id))
            return added is not None

    async def leave(self, digest_id: int, key: UserKey) -> bool:
        account = select(UserRow.id).where(_user_is(key)).scalar_subquery()
        stmt = delete(DigestMemberRow).where(
            DigestMemberRow.digest_id == digest_id, DigestMemberRow.account_id == account
        )
        async with storage_errors(), self._engine.begin() as conn:
            return (await conn.execute(stmt)).rowcount > 0

    async def enabled(self) -> list[Digest]:
        enabled_ids = select(DigestRow.id).where(DigestRow.enabled.is_(True))
        async with storage_errors(), self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(DigestRow.__table__).where(DigestRow.enabled.is_(True))
                    .order_by(DigestRow.id)
                )
            ).all()
            members = (
                await conn.execute(_MEMBERS.where(DigestMemberRow.digest_id.in_(enabled_ids)))
            ).all()
        by_digest: dict[int, list[Member]] = defaultdict(list)
        for m in members:
            by_digest[m.digest_id].append(_member(m))
        return [_digest(r._mapping, by_digest[r.id]) for r in rows]


def _member(row: Any) -> Member:
    return Member(UserKey(row.platform, row.team_id, row.user_id), row.name or "")


def _digest(row: Any, members: list[Member]) -> Digest:
    return Digest(
        id=int(row["id"]),
        channel=Channel(row["platform"], row["team_id"], row["channel_id"]),
        schedule=Schedule(row["local_time"], row["timezone"], bool(row["weekdays_only"])),
        enabled=bool(row["enabled"]),
        members=tuple(members),
        set_up_by=row["set_up_by"] or "",
    )
