"""SQL implementation of the ChannelStore port (bot.channels)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels import ChannelDefault
from bot.clock import utcnow
from bot.digest.model import Channel
from bot.store.accounts import storage_errors
from bot.store.schema import ChannelDefaultRow
from bot.store.writes import update_or_insert


def _channel_is(channel: Channel) -> ColumnElement[bool]:
    return and_(
        ChannelDefaultRow.platform == channel.platform,
        ChannelDefaultRow.team_id == channel.team_id,
        ChannelDefaultRow.channel_id == channel.channel_id,
    )


class SqlChannelStore:
    """One row per channel, in SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def __repr__(self) -> str:
        return f"SqlChannelStore({self._engine.url.render_as_string(hide_password=True)})"

    async def get_default(self, channel: Channel) -> ChannelDefault | None:
        stmt = select(ChannelDefaultRow.project, ChannelDefaultRow.tags,
                      ChannelDefaultRow.set_by).where(_channel_is(channel))
        async with storage_errors(), self._engine.connect() as conn:
            row = (await conn.execute(stmt)).first()
        if row is None:
            return None
        return ChannelDefault(row.project, tuple(row.tags or ()), row.set_by)

    async def set_default(self, channel: Channel, default: ChannelDefault) -> None:
        values = {"project": default.project, "tags": list(default.tags),
                  "set_by": default.set_by, "updated_at": utcnow()}
        change = update(ChannelDefaultRow).where(_channel_is(channel)).values(**values)
        add = insert(ChannelDefaultRow).values(
            platform=channel.platform, team_id=channel.team_id,
            channel_id=channel.channel_id, **values,
        )
        await update_or_insert(self._engine, change, add)

    async def clear_default(self, channel: Channel) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            result = await conn.execute(delete(ChannelDefaultRow).where(_channel_is(channel)))
        return result.rowcount > 0
