"""calendar: posts keep their channel by platform id and their author and skipper by member id

A post's channel name becomes the channel's id where the core's channel table knows a channel
of that name on the post's platform (the first seen, if several), else the name stays in the
id column: the console's channel ids are their names, and elsewhere the name is resolved (and
its id remembered) when the post next goes out. An author or skipper name becomes the member
id of the one member of that name on the post's platform; a name no member or several members
have is dropped (a skip keeps its reason). The message an occurrence went out as is found in
BotMessage (feature, post id, role), so occurrences no longer copy its channel and id.

The upgrade only adds and drops columns (SQLite 3.35 or newer does both in place): rebuilding
calendarpost, as SQLite must to change a column, would orphan the occurrences that point at
it. The downgrade rebuilds it, with the occurrences set aside meanwhile.

Revision ID: 0010_calendar_ids
Revises: 0002_calendar
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010_calendar_ids"
down_revision: str | None = "0002_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_text = sqlmodel.sql.sqltypes.AutoString

_CHANNEL_ID = (
    "SELECT c.platform_channel_id FROM channel c WHERE c.platform = calendarpost.platform "
    "AND c.name = calendarpost.channel ORDER BY c.id LIMIT 1"
)
_AUTHOR_ID = (
    "SELECT MIN(m.id) FROM member m WHERE m.platform = calendarpost.platform "
    "AND m.name = calendarpost.author HAVING COUNT(*) = 1"
)
_SKIPPER_ID = (
    "SELECT MIN(m.id) FROM member m JOIN calendarpost p ON p.platform = m.platform "
    "WHERE p.id = calendaroccurrence.post_id AND m.name = calendaroccurrence.skipped_by "
    "HAVING COUNT(*) = 1"
)


def _add_member_link(table: str, column: str) -> None:
    """A nullable column referring to member.id, added in place (no table rebuild)."""
    op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES member (id)")


def _text_column(table: str, column: str) -> None:
    """A NOT NULL text column, '' for the rows there are (PostgreSQL then drops the default;
    SQLite cannot, and an unused default does no harm)."""
    op.add_column(table, sa.Column(column, _text(length=200), nullable=False, server_default=""))
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(table, column, server_default=None)


def upgrade() -> None:
    _text_column("calendarpost", "channel_id")
    _text_column("calendarpost", "channel_name")
    _add_member_link("calendarpost", "author_id")
    op.execute(
        f"UPDATE calendarpost SET channel_name = channel, "
        f"channel_id = COALESCE(({_CHANNEL_ID}), channel), author_id = ({_AUTHOR_ID})"
    )
    op.drop_column("calendarpost", "channel")
    op.drop_column("calendarpost", "author")
    _add_member_link("calendaroccurrence", "skipped_by_id")
    op.execute(f"UPDATE calendaroccurrence SET skipped_by_id = ({_SKIPPER_ID})")
    op.execute("UPDATE calendaroccurrence SET skipped_by = '' WHERE skipped_by_id IS NOT NULL")
    op.drop_column("calendaroccurrence", "channel_id")
    op.drop_column("calendaroccurrence", "message_id")


def downgrade() -> None:
    op.execute(
        "UPDATE calendaroccurrence SET skipped_by = COALESCE((SELECT m.name FROM member m "
        "WHERE m.id = calendaroccurrence.skipped_by_id), skipped_by)"
    )
    with op.batch_alter_table("calendaroccurrence", schema=None) as batch_op:
        batch_op.drop_column("skipped_by_id")
        batch_op.add_column(sa.Column("channel_id", _text(length=64), nullable=True))
        batch_op.add_column(sa.Column("message_id", _text(length=64), nullable=True))
    op.add_column(
        "calendarpost",
        sa.Column("channel", _text(length=200), nullable=False, server_default=""),
    )
    op.add_column(
        "calendarpost", sa.Column("author", _text(length=200), nullable=False, server_default="")
    )
    op.execute(
        "UPDATE calendarpost SET channel = CASE WHEN channel_name = '' THEN channel_id "
        "ELSE channel_name END, author = COALESCE((SELECT m.name FROM member m "
        "WHERE m.id = calendarpost.author_id), '')"
    )
    op.execute("CREATE TEMPORARY TABLE calendar_ids_stash AS SELECT * FROM calendaroccurrence")
    op.execute("DELETE FROM calendaroccurrence")
    with op.batch_alter_table("calendarpost", schema=None) as batch_op:
        batch_op.alter_column("channel", existing_type=_text(length=200), server_default=None)
        batch_op.alter_column("author", existing_type=_text(length=200), server_default=None)
        batch_op.drop_column("author_id")
        batch_op.drop_column("channel_name")
        batch_op.drop_column("channel_id")
    op.execute("INSERT INTO calendaroccurrence SELECT * FROM calendar_ids_stash")
    op.execute("DROP TABLE calendar_ids_stash")
