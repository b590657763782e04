"""Chat app installations (one per workspace or org), stored encrypted.

Platform-neutral: a document is opaque secret text (the Slack adapter keeps its OAuth
result there as JSON) filed under (platform, enterprise id, team id). It holds bot tokens,
so it is encrypted with the same keys as Toggl tokens and never appears in a repr or log.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy import ColumnElement, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.clock import utcnow
from bot.crypto import KeyMismatch, Rotation, TokenCipher
from bot.store.accounts import storage_errors
from bot.store.schema import InstallationRow


@dataclass(frozen=True, slots=True)
class InstallationKey:
    """Where an app is installed; "" for an id the platform doesn't give."""

    platform: str
    enterprise_id: str = ""
    team_id: str = ""


def _key_is(key: InstallationKey) -> ColumnElement[bool]:
    return and_(
        InstallationRow.platform == key.platform,
        InstallationRow.enterprise_id == key.enterprise_id,
        InstallationRow.team_id == key.team_id,
    )


class SqlInstallationStore:
    """The latest installation document per workspace, in SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, cipher: TokenCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    def __repr__(self) -> str:
        return f"SqlInstallationStore({self._engine.url.render_as_string(hide_password=True)})"

    async def save(self, key: InstallationKey, document: SecretStr) -> None:
        """Insert or replace the document (a reinstall replaces the old tokens)."""
        values = {"document_ciphertext": self._cipher.encrypt(document), "updated_at": utcnow()}
        try:
            async with storage_errors(), self._engine.begin() as conn:
                if await self._update(conn, key, values):
                    return
                await conn.execute(
                    insert(InstallationRow).values(
                        platform=key.platform,
                        enterprise_id=key.enterprise_id,
                        team_id=key.team_id,
                        installed_at=values["updated_at"],
                        **values,
                    )
                )
        except IntegrityError:
            # Another process installed the same workspace at the same moment: update theirs.
            async with storage_errors(), self._engine.begin() as conn:
                if not await self._update(conn, key, values):
                    raise

    async def find(self, key: InstallationKey) -> SecretStr | None:
        stmt = select(InstallationRow.document_ciphertext).where(_key_is(key))
        async with storage_errors(), self._engine.connect() as conn:
            blob = await conn.scalar(stmt)
        return None if blob is None else self._cipher.decrypt(blob)

    async def delete(self, key: InstallationKey) -> bool:
        async with storage_errors(), self._engine.begin() as conn:
            result = await conn.execute(delete(InstallationRow).where(_key_is(key)))
        return result.rowcount > 0

    async def rotate_keys(self) -> Rotation:
        """Re-encrypt every readable installation with the newest key (a handful of rows)."""
        rotated, unreadable = 0, []
        columns = (InstallationRow.id, InstallationRow.document_ciphertext,
                   InstallationRow.platform, InstallationRow.enterprise_id, InstallationRow.team_id)
        async with storage_errors(), self._engine.begin() as conn:
            for row_id, old, platform, enterprise, team in (
                await conn.execute(select(*columns))
            ).all():
                try:
                    new = self._cipher.rotate(old)
                except KeyMismatch:
                    where = f"{platform} {enterprise or '-'} {team or '-'}"
                    unreadable.append(f"{where} (installation)")
                    continue
                await conn.execute(
                    update(InstallationRow)
                    .where(InstallationRow.id == row_id)
                    .values(document_ciphertext=new)
                )
                rotated += 1
        return Rotation(rotated, tuple(unreadable))

    @staticmethod
    async def _update(
        conn: AsyncConnection, key: InstallationKey, values: dict[str, object]
    ) -> bool:
        result = await conn.execute(update(InstallationRow).where(_key_is(key)).values(values))
        return result.rowcount > 0
