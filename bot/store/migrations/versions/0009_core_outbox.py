"""core: what each bot message is for (role), and the outbox of posts that must go out

Revision ID: 0009_core_outbox
Revises: 0008_core_reactions
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009_core_outbox"
down_revision: str | None = "0008_core_reactions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("botmessage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", _TEXT(length=64), nullable=False, server_default=""))
    with op.batch_alter_table("botmessage", schema=None) as batch_op:
        batch_op.create_index("ix_botmessage_ref", ["feature", "ref_id", "role"], unique=False)
    op.create_table(
        "outboxitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", _TEXT(length=200), nullable=True),
        sa.Column("feature", _TEXT(length=32), nullable=False),
        sa.Column("kind", _TEXT(length=64), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("role", _TEXT(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("label", _TEXT(length=300), nullable=False),
        sa.Column("platform", _TEXT(length=16), nullable=False),
        sa.Column("channel_id", _TEXT(length=64), nullable=True),
        sa.Column("content_type", _TEXT(length=32), nullable=True),
        sa.Column("status", _TEXT(length=16), nullable=False),
        sa.Column("claim", _TEXT(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", _TEXT(length=500), nullable=False),
        sa.Column("bot_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bot_message_id"], ["botmessage.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("outboxitem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outboxitem_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outboxitem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outboxitem_due_at"))
    op.drop_table("outboxitem")
    with op.batch_alter_table("botmessage", schema=None) as batch_op:
        batch_op.drop_index("ix_botmessage_ref")
        batch_op.drop_column("role")
