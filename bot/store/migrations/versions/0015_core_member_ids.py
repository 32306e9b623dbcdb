"""core: member ids are never reused on SQLite (AUTOINCREMENT), so a forgotten member's id
cannot pass to the next new member while another process still has it cached

SQLite without AUTOINCREMENT gives a new row the highest id + 1: erasing the member with the
highest id hands that id to the next newcomer. The table is rebuilt with AUTOINCREMENT; the
rows that point at members are checked at commit (deferred), once every member is back.
PostgreSQL sequences never reuse a value, so nothing changes there.

Revision ID: 0015_core_member_ids
Revises: 0009_core_outbox
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015_core_member_ids"
down_revision: str | None = "0009_core_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    indexes = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'member' "
        "AND sql IS NOT NULL"
    ).scalars()
    indexes = list(indexes)
    # Rows pointing at members are checked at commit, once every member is back. The pragma
    # holds for the current transaction only: a no-op write makes sure one is open (the
    # sqlite3 driver opens one before a write, not before a pragma or DDL).
    op.execute("UPDATE member SET id = id WHERE 0 = 1")
    op.execute("PRAGMA defer_foreign_keys = ON")
    op.execute("CREATE TABLE member_before AS SELECT * FROM member")
    op.drop_table("member")
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _TEXT(length=16), nullable=False),
        sa.Column("platform_user_id", _TEXT(length=64), nullable=False),
        sa.Column("name", _TEXT(length=200), nullable=False),
        sa.Column("is_bot", sa.Boolean(), nullable=False),
        sa.Column("roles", _TEXT(length=2000), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "platform_user_id"),
        sqlite_autoincrement=True,
    )
    columns = (
        "id, platform, platform_user_id, name, is_bot, roles, joined_at, left_at, "
        "first_seen_at, last_seen_at"
    )
    op.execute(f"INSERT INTO member ({columns}) SELECT {columns} FROM member_before")
    op.execute("DROP TABLE member_before")
    for create_index in indexes:
        op.execute(create_index)


def downgrade() -> None:
    """Nothing to undo: AUTOINCREMENT only stops ids from being reused."""
