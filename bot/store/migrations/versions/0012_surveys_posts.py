"""surveys: a survey's post and summary live in botmessage (roles "post", "results")

Revision ID: 0012_surveys_posts
Revises: 0004_surveys_feedback
Create Date: 2026-12-02 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_surveys_posts"
down_revision: str | None = "0004_surveys_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0009_core_outbox"

_POSTED = "SELECT 1 FROM survey s WHERE s.message_id <> '' AND s.platform = {b}.platform AND "
_POSTED += "s.channel_id = {b}.channel_id AND s.message_id = {b}.platform_message_id"
_COLUMNS = {"platform": 16, "channel_id": 64, "message_id": 64}


def upgrade() -> None:
    op.execute(
        "UPDATE botmessage SET feature = 'survey', role = 'post', ref_id = (SELECT s.id "
        f"{_POSTED.format(b='botmessage').removeprefix('SELECT 1')}) "
        f"WHERE EXISTS ({_POSTED.format(b='botmessage')})"
    )
    op.execute(  # every other survey post was its closing summary
        "UPDATE botmessage SET role = 'results' WHERE feature = 'survey' AND role = ''"
    )
    op.execute(
        "INSERT INTO botmessage (platform, channel_id, platform_message_id, feature, ref_id, "
        "role, content_type, created_at) SELECT s.platform, s.channel_id, s.message_id, "
        "'survey', s.id, 'post', NULL, s.created_at FROM survey s WHERE s.message_id <> '' "
        "AND NOT EXISTS (SELECT 1 FROM botmessage b WHERE b.platform = s.platform AND "
        "b.channel_id = s.channel_id AND b.platform_message_id = s.message_id)"
    )
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop a referenced table
    for column in _COLUMNS:
        op.execute(f"ALTER TABLE survey DROP COLUMN {column}")


def downgrade() -> None:
    with op.batch_alter_table("survey", schema=None) as batch_op:
        for column, length in _COLUMNS.items():
            batch_op.add_column(
                sa.Column(
                    column,
                    sqlmodel.sql.sqltypes.AutoString(length=length),
                    nullable=False,
                    server_default="",
                )
            )
    for column in _COLUMNS:
        source = "platform_message_id" if column == "message_id" else column
        op.execute(
            f"UPDATE survey SET {column} = COALESCE((SELECT MAX(b.{source}) FROM botmessage b "
            "WHERE b.feature = 'survey' AND b.ref_id = survey.id AND b.role = 'post'), '')"
        )
