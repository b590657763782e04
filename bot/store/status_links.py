"""SQL implementation of the StatusLinks port (bot.status): user tokens, encrypted.

A Slack user token that may set the person's status is as sensitive as a Toggl token:
encrypted with the same keys, never in a repr or a log.
"""

from __future__ import annotations

from pydantic import SecretStr
from sqlalchemy import ColumnElement, and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.clock import utcnow
from bot.crypto import KeyMismatch, Rotation, TokenCipher
from bot.domain import UserKey
from bot.store.accounts import storage_errors
from bot.store.schema import StatusLinkRow
from bot.store.writes import update_or_insert


def _user_is(key: UserKey) -> ColumnElement[bool]:
    return and_(
        StatusLinkRow.platform == key.platform,
        StatusLinkRow.team_id == key.team_id,
        StatusLinkRow.user_id == key.user_id,
    )


class SqlStatusLinks:
    """One token per person, in SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, cipher: TokenCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    def __repr__(self) -> str:
        return f"SqlStatusLinks({self._engine.url.render_as_string(hide_password=True)})"

    async def get(self, key: UserKey) -> SecretStr | None:
        stmt = select(StatusLinkRow.token_ciphertext).where(_user_is(key))
        async with storage_errors(), self._engine.connect() as conn:
            blob = await conn.scalar(stmt)
        return None if blob is None else self._cipher.decrypt(blob)

    async def save(self, key: UserKey, token: SecretStr) -> None:
        blob = self._cipher.encrypt(token)
        change = update(StatusLinkRow).where(_user_is(key)).values(
            token_ciphertext=blob, created_at=utcnow())
        add = insert(StatusLinkRow).values(
            platform=key.platform, team_id=key.team_id, user_id=key.user_id,
            token_ciphertext=blob, created_at=utcnow(),
        )
        await update_or_insert(self._engine, change, add)

    async def delete(self, key: UserKey) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            result = await conn.execute(delete(StatusLinkRow).where(_user_is(key)))
        return result.rowcount > 0

    async def rotate_keys(self) -> Rotation:
        """Re-encrypt every readable token with the newest key (`togglbot keys rotate`)."""
        rotated, unreadable = 0, []
        columns = (StatusLinkRow.id, StatusLinkRow.token_ciphertext, StatusLinkRow.platform,
                   StatusLinkRow.team_id, StatusLinkRow.user_id)
        async with storage_errors(), self._engine.begin() as conn:
            for row_id, old, platform, team, user in (await conn.execute(select(*columns))).all():
                try:
                    new = self._cipher.rotate(old)
                except KeyMismatch:
                    unreadable.append(f"{platform} {team} {user} (status permission)")
                    continue
                await conn.execute(update(StatusLinkRow).where(StatusLinkRow.id == row_id)
                                   .values(token_ciphertext=new))
                rotated += 1
        return Rotation(rotated, tuple(unreadable))
