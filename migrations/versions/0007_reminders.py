"""Opt-in reminders: per-person settings with an indexed next-look time, and the
at-most-once ledger of reminders sent (person, kind, local date).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("account_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("work_start", sa.Time(), nullable=False),
        sa.Column("work_end", sa.Time(), nullable=False),
        sa.Column("work_days", sa.Integer(), nullable=False),
        sa.Column("running_minutes", sa.Integer(), nullable=True),
        sa.Column("idle_minutes", sa.Integer(), nullable=True),
        sa.Column("recap_at", sa.Time(), nullable=True),
        sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(length=128), nullable=True),
        sa.Column("checks_day", sa.Date(), nullable=True),
        sa.Column("checks", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"],
            name=op.f("fk_reminders_account_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_reminders")),
    )
    # A scheduler tick reads `next_at <= now` only: this index keeps it off a full scan.
    op.create_index(op.f("ix_reminders_next_at"), "reminders", ["next_at"], unique=False)
    op.create_table(
        "reminder_sends",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"],
            name=op.f("fk_reminder_sends_account_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sends")),
        # The at-most-once rule: one row per person, kind and local date.
        sa.UniqueConstraint(
            "account_id", "kind", "local_date",
            name=op.f("uq_reminder_sends_account_id_kind_local_date"),
        ),
    )
    op.create_index(
        op.f("ix_reminder_sends_local_date"), "reminder_sends", ["local_date"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_reminder_sends_local_date"), table_name="reminder_sends")
    op.drop_table("reminder_sends")
    op.drop_index(op.f("ix_reminders_next_at"), table_name="reminders")
    op.drop_table("reminders")
