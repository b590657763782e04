"""Table definitions. The schema itself is created only by alembic migrations.

Constraint names come from a naming convention so they are identical on SQLite and
PostgreSQL, which lets later migrations drop or alter them by name.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.clock import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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
    # The last few different entries (newest first), for `recent` and `continue <words>`.
    recent_entries: Mapped[list[dict[str, Any]] | None] = mapped_column(
        NullableJSON, nullable=True
    )
    quota_remaining: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quota_resets_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    me_quota_remaining: Mapped[int | None] = mapped_column(Integer, nullable=True)
    me_quota_resets_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
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


class DigestRow(Base):
    """A channel's daily digest subscription: when (local wall-clock time) and where."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("platform", "team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str] = mapped_column(String(128))
    local_time: Mapped[time] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64))
    weekdays_only: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who last ran `digest at`: told privately when the platform refuses the digest.
    set_up_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class DigestMemberRow(Base):
    """Opt-in only: a user is in a channel's digest because they joined it.

    Cascades from users too, so `logout` takes the person out of every digest.
    """

    __tablename__ = "digest_members"

    digest_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("digests.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )
    account_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DigestRunRow(Base):
    """One post of one digest for one local date; the unique pair is the exactly-once rule.

    status: claimed -> sending -> posted; or failed (retried after lease_expires_at), or
    uncertain (a send whose outcome is unknown: never repeated blind).
    """

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("digest_id", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    digest_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("digests.id", ondelete="CASCADE")
    )
    local_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    lease_expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    message_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)



class ChannelDefaultRow(Base):
    """The project and tags `start` and "Track this message" use in one channel."""

    __tablename__ = "channel_defaults"
    __table_args__ = (UniqueConstraint("platform", "team_id", "channel_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(String(128))
    channel_id: Mapped[str] = mapped_column(String(128))
    project: Mapped[str] = mapped_column(String(255))
    tags: Mapped[list[str]] = mapped_column(JSON)
    set_by: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class StatusLinkRow(Base):
    """A person's permission to set their chat status (a Slack user token), encrypted."""

    __tablename__ = "status_links"
    __table_args__ = (UniqueConstraint("platform", "team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(32))
    team_id: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    token_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class ReminderRow(Base):
    """One person's reminder settings, and when the scheduler should look at them next.

    ``next_at`` is computed from the settings and what the bot knows, and indexed: a
    scheduler tick reads only the rows due, never everyone. ``lease_until``/``leased_by``
    let one worker at a time look at a person (so a Toggl check is never spent twice);
    ``checks`` counts the Toggl requests reminders spent on ``checks_day`` (local date).
    """

    __tablename__ = "reminders"

    account_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )
    work_start: Mapped[time] = mapped_column(Time)
    work_end: Mapped[time] = mapped_column(Time)
    work_days: Mapped[int] = mapped_column(Integer)  # bit 0 = Monday
    running_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    idle_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recap_at: Mapped[time | None] = mapped_column(Time, nullable=True)
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    next_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    leased_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    checks_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    checks: Mapped[int] = mapped_column(Integer, default=0)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ReminderSendRow(Base):
    """One reminder (person, kind, local date): the unique triple is the at-most-once rule.

    status: claimed -> sending -> sent; failed (retried after the lease), uncertain (the
    outcome of a send is unknown: never repeated), skipped (nothing was due after all).
    """

    __tablename__ = "reminder_sends"
    __table_args__ = (UniqueConstraint("account_id", "kind", "local_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("users.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(16))
    local_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str] = mapped_column(String(128))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    lease_expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class SeenRequestRow(Base):
    """A signed request already accepted, kept until its signature can no longer be valid.

    The key is the platform and the request's signature: the same signed bytes sent again
    find their row and are refused, in any process, after any restart.
    """

    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


metadata = Base.metadata
