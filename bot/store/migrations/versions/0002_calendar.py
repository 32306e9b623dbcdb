"""calendar: planned posts and the occurrences Steward has handled

Revision ID: 0002_calendar
Revises:
Create Date: 2026-11-26 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002_calendar"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("calendar",)
depends_on: str | Sequence[str] | None = "0001_core"

_text = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "calendarpost",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _text(length=16), nullable=False),
        sa.Column("channel", _text(length=200), nullable=False),
        sa.Column("content_type", _text(length=32), nullable=False),
        sa.Column("title", _text(length=300), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.Column("link", _text(length=2000), nullable=False),
        sa.Column("repeat", _text(length=500), nullable=False),
        sa.Column("timezone", _text(length=64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", _text(length=16), nullable=False),
        sa.Column("next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heads_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("author", _text(length=200), nullable=False),
        sa.Column("source", _text(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("calendarpost", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendarpost_heads_up_at"), ["heads_up_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calendarpost_next_at"), ["next_at"], unique=False)

    op.create_table(
        "calendaroccurrence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("occurs_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", _text(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("channel_id", _text(length=64), nullable=True),
        sa.Column("message_id", _text(length=64), nullable=True),
        sa.Column("error", _text(length=500), nullable=False),
        sa.Column("skipped_by", _text(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["calendarpost.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("post_id", "occurs_at"),
    )
    with op.batch_alter_table("calendaroccurrence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendaroccurrence_check_at"), ["check_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calendaroccurrence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendaroccurrence_check_at"))
    op.drop_table("calendaroccurrence")
    with op.batch_alter_table("calendarpost", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendarpost_next_at"))
        batch_op.drop_index(batch_op.f("ix_calendarpost_heads_up_at"))
    op.drop_table("calendarpost")
