"""digest: the weekly digests as posted, one per ISO week

Revision ID: 0020_digest
Revises:
Create Date: 2026-12-02 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_digest"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("digest",)
depends_on: str | Sequence[str] | None = "0015_core_member_ids"

_str = sqlmodel.sql.sqltypes.AutoString
_when = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "digestrecord",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", _str(length=10), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("computed_at", _when, nullable=False),
        sa.Column("posted_at", _when, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("week"),
    )


def downgrade() -> None:
    op.drop_table("digestrecord")
