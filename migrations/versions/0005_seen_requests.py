"""Signed requests already accepted, so a replay is refused in every process.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_requests",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seen_requests")),
    )
    op.create_index(
        op.f("ix_seen_requests_expires_at"), "seen_requests", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_seen_requests_expires_at"), table_name="seen_requests")
    op.drop_table("seen_requests")
