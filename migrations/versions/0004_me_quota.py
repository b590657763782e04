"""Track Toggl's personal (/me) request quota apart from the workspace quota.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("me_quota_remaining", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("me_quota_resets_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("me_quota_resets_at")
        batch.drop_column("me_quota_remaining")
