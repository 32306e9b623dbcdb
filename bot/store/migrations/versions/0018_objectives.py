"""objectives: managers' targets on named metrics, judged by the weekly digest

Revision ID: 0018_objectives
Revises:
Create Date: 2026-12-02 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018_objectives"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("objectives",)
depends_on: str | Sequence[str] | None = "0015_core_member_ids"

_str = sqlmodel.sql.sqltypes.AutoString
_when = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "objective",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _str(length=100), nullable=False),
        sa.Column("metric", _str(length=64), nullable=False),
        sa.Column("direction", _str(length=16), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _when, nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", _when, nullable=True),
        sa.Column("removed_at", _when, nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["member.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("objective", schema=None) as batch_op:
        batch_op.create_index("ix_objective_removed_at", ["removed_at"], unique=False)


def downgrade() -> None:
    op.drop_table("objective")
