"""Table definitions. The schema itself is created only by alembic migrations.

Constraint names come from a naming convention so they are identical on SQLite and
PostgreSQL, which lets later migrations drop or alter them by name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on every backend.

    SQLite has no time zone type and hands back naive values; storing UTC and re-attaching
    it on the way out keeps the domain's datetimes aware everywhere.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# none_as_null: a Python None must be SQL NULL, not the JSON text 'null'.
NullableJSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UserRow(Base):
    """A chat identity linked to a Toggl account."""

    __tablename__ = "users"
    # sqlite_autoincrement: never reuse a deleted user's id (PostgreSQL sequences don't).
    __table_args__ = (
        UniqueConstraint("platform", "team_id", "user_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    token_valid: Mapped[bool] = mapped_column(default=True)
    toggl_user_id: Mapped[int] = mapped_column(BigInteger)
    workspace_id: Mapped[int] = mapped_column(BigInteger)
    timezone: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text, default="")
    running_entry: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, nullable=True)
    last_entry: Mapped[dict[str, Any] | None] = mapped_column(NullableJSON, nullable=True)
    quota_remaining: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quota_resets_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class WorkspaceCacheRow(Base):
    """Projects/clients/tags of one workspace as one user sees them.

    Keyed per user, not per workspace: private projects must not leak between members.
    """

    __tablename__ = "workspace_cache"

    account_id: Mapped[int] = mapped_column(
        Integer,
        ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    workspace_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    projects: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    clients: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    tags: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime)


metadata = Base.metadata


class InstallationRow(Base):
    """A chat app installed in one workspace (or org): its credentials, encrypted as one blob.

    Platform-neutral: the adapter decides what the document holds. Empty strings rather
    than NULLs for absent ids, so the unique constraint holds on every backend.
    """

    __tablename__ = "installations"
    __table_args__ = (
        UniqueConstraint("platform", "enterprise_id", "team_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str] = mapped_column(String(128), default="")
    team_id: Mapped[str] = mapped_column(String(128), default="")
    document_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    installed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
