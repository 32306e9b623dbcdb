"""The inquiries table: one member question, its lines, its first responses and its alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.store.models import utc_column

WAITING, ANSWERED, RESOLVED, DISMISSED = "waiting", "answered", "resolved", "dismissed"
SETTLED = (ANSWERED, RESOLVED, DISMISSED)  # no longer waiting for a first answer


class Inquiry(SQLModel, table=True):
    """A member question: where and when it was asked, who answered first and how fast.

    `channel_id` is where it was asked (a Discord thread is a channel of its own),
    `home_channel_id` the channel it belongs to (a thread's parent). `line_ids` holds the
    message ids of the follow-up lines that joined it. `next_alert_at` is when the managers
    are next told it waits (at the SLA, then at twice the SLA; None once answered).
    `text` is kept while it waits and `[privacy] retention_days` after (`text_kept_until`).
    """

    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "message_id"),
        Index("ix_inquiry_next_alert", "next_alert_at"),
        Index("ix_inquiry_asked_at", "asked_at"),
        Index("ix_inquiry_status", "status"),
        Index("ix_inquiry_text_kept_until", "text_kept_until"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=64)
    home_channel_id: str = Field(max_length=64)
    thread_id: str | None = Field(default=None, max_length=64)
    message_id: str = Field(max_length=64)
    line_ids: str = Field(default="", max_length=2000)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    source: str = Field(default="channel", max_length=16)  # "channel" or "ask"
    text: str | None = None
    status: str = Field(default=WAITING, max_length=16)
    asked_at: datetime = Field(sa_column=utc_column(nullable=False))
    last_line_at: datetime = Field(sa_column=utc_column(nullable=False))
    sla_due_at: datetime = Field(sa_column=utc_column(nullable=False))
    reminder_at: datetime = Field(sa_column=utc_column(nullable=False))
    next_alert_at: datetime | None = Field(default=None, sa_column=utc_column())
    alerts_sent: int = 0
    first_response_at: datetime | None = Field(default=None, sa_column=utc_column())
    first_responder_id: int | None = Field(default=None, foreign_key="member.id")
    first_response_by_manager: bool | None = None
    first_manager_response_at: datetime | None = Field(default=None, sa_column=utc_column())
    closed_at: datetime | None = Field(default=None, sa_column=utc_column())
    closed_by_id: int | None = Field(default=None, foreign_key="member.id")
    assignee_id: int | None = Field(default=None, foreign_key="member.id")
    assigned_at: datetime | None = Field(default=None, sa_column=utc_column())
    text_kept_until: datetime | None = Field(default=None, sa_column=utc_column())

    def lines(self) -> list[str]:
        """Every message id of the question: its first line and those that joined it."""
        return [self.message_id, *self.line_ids.split()]
