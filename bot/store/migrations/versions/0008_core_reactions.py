"""core: reactions can be taken back; indexes for reactions and /stats me

The unused (platform, message_id) index goes; reactions get a partial index by message (to
find one already there) and by whom they were for (the reactions a member received); the
member/time index also holds kind and removed_at, so /stats me reads no table rows.

Revision ID: 0008_core_reactions
Revises: 0001_core
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_core_reactions"
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
        batch_op.create_index(
            "ix_interaction_received",
            ["target_member_id", "created_at", "member_id", "removed_at"],
            unique=False,
            sqlite_where=_ADDED,
            postgresql_where=_ADDED,
        )
        batch_op.drop_index("ix_interaction_member_time")
        batch_op.create_index(
            "ix_interaction_member_time",
            ["member_id", "created_at", "kind", "removed_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_member_time")
        batch_op.create_index(
            "ix_interaction_member_time", ["member_id", "created_at"], unique=False
        )
        batch_op.drop_index("ix_interaction_received")
        batch_op.drop_index("ix_interaction_reaction")
        batch_op.create_index("ix_interaction_message", ["platform", "message_id"], unique=False)
        batch_op.drop_column("removed_at")
