"""core: reactions can be taken back; the reactions index replaces the unused message index

Revision ID: 0007_core_reactions
Revises: 0001_core
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_core_reactions"
down_revision: str | None = "0001_core"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADDED = sa.text("kind = 'reaction_added'")


def upgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_interaction_message")
        batch_op.create_index(
            "ix_interaction_reaction",
            ["platform", "message_id"],
            unique=False,
            sqlite_where=_ADDED,
            postgresql_where=_ADDED,
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_reaction")
        batch_op.create_index("ix_interaction_message", ["platform", "message_id"], unique=False)
        batch_op.drop_column("removed_at")
