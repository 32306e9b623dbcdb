"""core: what an adapter keeps between starts (the fingerprint of its registered commands)

Revision ID: 0016_core_platform_state
Revises: 0015_core_member_ids
Create Date: 2026-12-02 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016_core_platform_state"
down_revision: str | None = "0015_core_member_ids"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "platformstate",
        sa.Column("platform", _TEXT(length=16), nullable=False),
        sa.Column("key", _TEXT(length=100), nullable=False),
        sa.Column("value", _TEXT(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key"),
    )


def downgrade() -> None:
    op.drop_table("platformstate")
