"""contests: where each round's winners announcement is, so it can be edited later

Revision ID: 0006_contest_winner_posts
Revises: 0005_contests
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_contest_winner_posts"
down_revision: str | None = "0005_contests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contestdraw", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("contestdraw", schema=None) as batch_op:
        batch_op.drop_column("message_id")
