"""Remember who set a digest up, to tell them privately when the platform refuses it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.add_column(sa.Column("set_up_by", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_column("set_up_by")
