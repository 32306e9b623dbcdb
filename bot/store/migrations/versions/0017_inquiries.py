"""inquiries: member questions, their first responses and SLA alerts

Revision ID: 0017_inquiries
Revises:
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_inquiries"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = ("inquiries",)
depends_on: str | Sequence[str] | None = "0015_core_member_ids"

_str = sqlmodel.sql.sqltypes.AutoString
_when = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inquiry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _str(length=16), nullable=False),
        sa.Column("channel_id", _str(length=64), nullable=False),
        sa.Column("home_channel_id", _str(length=64), nullable=False),
        sa.Column("thread_id", _str(length=64), nullable=True),
        sa.Column("message_id", _str(length=64), nullable=False),
        sa.Column("line_ids", _str(length=2000), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("source", _str(length=16), nullable=False),
        sa.Column("text", _str(), nullable=True),
        sa.Column("status", _str(length=16), nullable=False),
        sa.Column("asked_at", _when, nullable=False),
        sa.Column("last_line_at", _when, nullable=False),
        sa.Column("sla_due_at", _when, nullable=False),
        sa.Column("reminder_at", _when, nullable=False),
        sa.Column("next_alert_at", _when, nullable=True),
        sa.Column("alerts_sent", sa.Integer(), nullable=False),
        sa.Column("first_response_at", _when, nullable=True),
        sa.Column("first_responder_id", sa.Integer(), nullable=True),
        sa.Column("first_response_by_manager", sa.Boolean(), nullable=True),
        sa.Column("first_manager_response_at", _when, nullable=True),
        sa.Column("closed_at", _when, nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", _when, nullable=True),
        sa.Column("text_kept_until", _when, nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["first_responder_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["closed_by_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["assignee_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel_id", "message_id"),
    )
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.create_index("ix_inquiry_next_alert", ["next_alert_at"], unique=False)
        batch_op.create_index("ix_inquiry_asked_at", ["asked_at"], unique=False)
        batch_op.create_index("ix_inquiry_status", ["status"], unique=False)
        batch_op.create_index("ix_inquiry_text_kept_until", ["text_kept_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_inquiry_member_id"), ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_table("inquiry")
