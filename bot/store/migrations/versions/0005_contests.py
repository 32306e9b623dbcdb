"""contests: contests, entries, votes, draw rounds and winners

Revision ID: 0005_contests
Revises:
Create Date: 2026-11-25 17:34:24
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_contests"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("contests",)
depends_on: str | Sequence[str] | None = "0001_core"

_str = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "contest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _str(length=16), nullable=False),
        sa.Column("channel_id", _str(length=64), nullable=False),
        sa.Column("channel_name", _str(length=200), nullable=False),
        sa.Column("message_id", _str(length=64), nullable=True),
        sa.Column("title", _str(length=200), nullable=False),
        sa.Column("mode", _str(length=8), nullable=False),
        sa.Column("winners", sa.Integer(), nullable=False),
        sa.Column("min_days_member", sa.Integer(), nullable=True),
        sa.Column("role", _str(length=100), nullable=True),
        sa.Column("seed_hex", _str(length=64), nullable=False),
        sa.Column("commitment", _str(length=64), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contest_closes_at"), ["closes_at"], unique=False)

    op.create_table(
        "contestentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("entrant_key", _str(length=64), nullable=False),
        sa.Column("text", _str(length=500), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("message_id", _str(length=64), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["removed_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contest_id", "member_id"),
    )
    with op.batch_alter_table("contestentry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contestentry_contest_id"), ["contest_id"], unique=False
        )

    op.create_table(
        "contestdraw",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("next_start", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("skipped", _str(length=4000), nullable=False),
        sa.Column("drawn_by", sa.Integer(), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.ForeignKeyConstraint(["drawn_by"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contest_id", "number"),
    )
    with op.batch_alter_table("contestdraw", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contestdraw_contest_id"), ["contest_id"], unique=False)

    op.create_table(
        "contestvote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("voted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["contest_id"], ["contest.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["contestentry.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contest_id", "member_id"),
    )
    with op.batch_alter_table("contestvote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contestvote_contest_id"), ["contest_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contestvote_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "contestwinner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["draw_id"], ["contestdraw.id"]),
        sa.ForeignKeyConstraint(["entry_id"], ["contestentry.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contestwinner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contestwinner_draw_id"), ["draw_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contestwinner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contestwinner_draw_id"))
    op.drop_table("contestwinner")
    with op.batch_alter_table("contestvote", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contestvote_entry_id"))
        batch_op.drop_index(batch_op.f("ix_contestvote_contest_id"))
    op.drop_table("contestvote")
    with op.batch_alter_table("contestdraw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contestdraw_contest_id"))
    op.drop_table("contestdraw")
    with op.batch_alter_table("contestentry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contestentry_contest_id"))
    op.drop_table("contestentry")
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contest_closes_at"))
    op.drop_table("contest")
