"""Daily channel digests: subscriptions, opt-in members and the exactly-once run ledger.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.String(length=128), nullable=False),
        sa.Column("channel_id", sa.String(length=128), nullable=False),
        sa.Column("local_time", sa.Time(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("weekdays_only", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digests")),
        sa.UniqueConstraint(
            "platform", "team_id", "channel_id",
            name=op.f("uq_digests_platform_team_id_channel_id"),
        ),
    )
    op.create_table(
        "digest_members",
        sa.Column("digest_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["digest_id"], ["digests.id"],
            name=op.f("fk_digest_members_digest_id_digests"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"],
            name=op.f("fk_digest_members_account_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest_id", "account_id", name=op.f("pk_digest_members")),
    )
    op.create_table(
        "digest_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("digest_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("claimed_by", sa.String(length=128), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["digest_id"], ["digests.id"],
            name=op.f("fk_digest_runs_digest_id_digests"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_runs")),
        # The exactly-once rule: one row per digest and local date, whoever inserts first.
        sa.UniqueConstraint(
            "digest_id", "local_date", name=op.f("uq_digest_runs_digest_id_local_date")
        ),
    )
    op.create_index(
        op.f("ix_digest_runs_local_date"), "digest_runs", ["local_date"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_digest_runs_local_date"), table_name="digest_runs")
    op.drop_table("digest_runs")
    op.drop_table("digest_members")
    op.drop_table("digests")
