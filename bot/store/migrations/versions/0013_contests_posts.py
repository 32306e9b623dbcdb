"""contests: contest, entry and winners posts live in botmessage, not in contest tables

Roles: "post" (the contest), "entry:<entry id>" (a vote-mode entry), "round:<n>" (winners).

Revision ID: 0013_contests_posts
Revises: 0006_contest_winner_posts
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_contests_posts"
down_revision: str | None = "0006_contest_winner_posts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0009_core_outbox"

_SOURCES = {  # table -> (its posts as platform, channel_id, message_id, ref_id, role, posted_at)
    "contest": (
        "SELECT platform, channel_id, message_id, id AS ref_id, 'post' AS role, "
        "created_at AS posted_at FROM contest WHERE message_id IS NOT NULL"
    ),
    "contestentry": (
        "SELECT c.platform, c.channel_id, e.message_id, c.id AS ref_id, "
        "'entry:' || CAST(e.id AS VARCHAR(20)) AS role, e.entered_at AS posted_at "
        "FROM contestentry e JOIN contest c ON c.id = e.contest_id WHERE e.message_id IS NOT NULL"
    ),
    "contestdraw": (
        "SELECT c.platform, c.channel_id, d.message_id, c.id AS ref_id, "
        "'round:' || CAST(d.number AS VARCHAR(20)) AS role, d.drawn_at AS posted_at "
        "FROM contestdraw d JOIN contest c ON c.id = d.contest_id WHERE d.message_id IS NOT NULL"
    ),
}
_MATCH = (
    "s.platform = botmessage.platform AND s.channel_id = botmessage.channel_id "
    "AND s.message_id = botmessage.platform_message_id"
)


def upgrade() -> None:
    for source in _SOURCES.values():
        op.execute(
            "UPDATE botmessage SET feature = 'contest', "
            f"ref_id = (SELECT s.ref_id FROM ({source}) s WHERE {_MATCH}), "
            f"role = (SELECT s.role FROM ({source}) s WHERE {_MATCH}) "
            f"WHERE EXISTS (SELECT 1 FROM ({source}) s WHERE {_MATCH})"
        )
        op.execute(
            "INSERT INTO botmessage (platform, channel_id, platform_message_id, feature, ref_id, "
            "role, content_type, created_at) "
            "SELECT s.platform, s.channel_id, s.message_id, 'contest', s.ref_id, s.role, NULL, "
            f"s.posted_at FROM ({source}) s WHERE NOT EXISTS (SELECT 1 FROM botmessage b "
            "WHERE b.platform = s.platform AND b.channel_id = s.channel_id "
            "AND b.platform_message_id = s.message_id)"
        )
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop a referenced table
    for table in _SOURCES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN message_id")


_BACK = {  # table -> the role of its row's post, as SQL on that row
    "contest": "b.ref_id = contest.id AND b.role = 'post'",
    "contestentry": "b.ref_id = contestentry.contest_id "
    "AND b.role = 'entry:' || CAST(contestentry.id AS VARCHAR(20))",
    "contestdraw": "b.ref_id = contestdraw.contest_id "
    "AND b.role = 'round:' || CAST(contestdraw.number AS VARCHAR(20))",
}


def downgrade() -> None:
    for table, match in _BACK.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
            )
        op.execute(
            f"UPDATE {table} SET message_id = (SELECT MAX(b.platform_message_id) "
            f"FROM botmessage b WHERE b.feature = 'contest' AND {match})"
        )
