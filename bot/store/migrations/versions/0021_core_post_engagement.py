"""core: the digest's indexes: interactions on the bot's posts, and by time covering a week

Reactions and replies to a calendar post carry its content type; a partial index holds only
those rows, with what a post's engagement needs, so it is read without the table. The index
by time gains the channel, kind and removal, so a week's counts are read from it alone.

Revision ID: 0021_core_post_engagement
Revises: 0016_core_platform_state
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_core_post_engagement"
down_revision: str | None = "0016_core_platform_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ON_A_POST = sa.text("content_type IS NOT NULL")
_ON_A_POST_COLUMNS = (
    "platform", "parent_message_id", "created_at", "kind", "removed_at", "member_id", "channel_id"
)  # fmt: skip


def upgrade() -> None:
    op.create_index(
        "ix_interaction_on_post",
        "interaction",
        _ON_A_POST_COLUMNS,
        unique=False,
        sqlite_where=_ON_A_POST,
        postgresql_where=_ON_A_POST,
    )
    op.drop_index("ix_interaction_created_at", table_name="interaction")
    op.create_index(
        "ix_interaction_time",
        "interaction",
        ["created_at", "channel_id", "kind", "removed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_time", table_name="interaction")
    op.create_index("ix_interaction_created_at", "interaction", ["created_at"], unique=False)
    op.drop_index("ix_interaction_on_post", table_name="interaction")
