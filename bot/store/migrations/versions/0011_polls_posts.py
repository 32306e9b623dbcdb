"""polls: a poll's messages live in botmessage (roles "poll" and "results"), not in poll

Revision ID: 0011_polls_posts
Revises: 0007_poll_results_post
Create Date: 2026-12-02 03:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011_polls_posts"
down_revision: str | None = "0007_poll_results_post"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0009_core_outbox"

_SOURCES = {  # role -> (message id column, content type, when it was posted)
    "poll": ("message_id", "'poll'", "created_at"),
    "results": ("results_message_id", "NULL", "COALESCE(closed_at, created_at)"),
}
_MATCH = (
    "s.platform = botmessage.platform AND s.channel_id = botmessage.channel_id "
    "AND s.message_id = botmessage.platform_message_id"
)


def _source(role: str) -> str:
    column, _, at = _SOURCES[role]
    return (
        f"SELECT platform, channel_id, {column} AS message_id, id AS ref_id, {at} AS posted_at "
        f"FROM poll WHERE {column} IS NOT NULL"
    )


def upgrade() -> None:
    for role, (_, content_type, _) in _SOURCES.items():
        source = _source(role)
        op.execute(
            f"UPDATE botmessage SET feature = 'poll', role = '{role}', "
            f"ref_id = (SELECT s.ref_id FROM ({source}) s WHERE {_MATCH}) "
            f"WHERE EXISTS (SELECT 1 FROM ({source}) s WHERE {_MATCH})"
        )
        op.execute(
            "INSERT INTO botmessage (platform, channel_id, platform_message_id, feature, ref_id, "
            "role, content_type, created_at) "
            f"SELECT s.platform, s.channel_id, s.message_id, 'poll', s.ref_id, '{role}', "
            f"{content_type}, s.posted_at FROM ({source}) s WHERE NOT EXISTS ("
            "SELECT 1 FROM botmessage b WHERE b.platform = s.platform "
            "AND b.channel_id = s.channel_id AND b.platform_message_id = s.message_id)"
        )
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop a referenced table
    for column in ("results_message_id", "message_id"):
        op.execute(f"ALTER TABLE poll DROP COLUMN {column}")


def downgrade() -> None:
    with op.batch_alter_table("poll", schema=None) as batch_op:
        for column in ("message_id", "results_message_id"):
            batch_op.add_column(
                sa.Column(column, sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
            )
    for role, (column, _, _) in _SOURCES.items():
        op.execute(
            f"UPDATE poll SET {column} = (SELECT MAX(b.platform_message_id) FROM botmessage b "
            f"WHERE b.feature = 'poll' AND b.ref_id = poll.id AND b.role = '{role}')"
        )
