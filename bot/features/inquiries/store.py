"""The inquiries table: one member question, its lines, its first responses and its alerts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Column, Index, SmallInteger, UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.core.clock import ensure_utc
from bot.store.models import utc_column

WAITING, ANSWERED, RESOLVED, DISMISSED = "waiting", "answered", "resolved", "dismissed"
SETTLED = (ANSWERED, RESOLVED, DISMISSED)  # no longer waiting for a first answer
MICROSECOND = timedelta(microseconds=1)
# What `/inquiries stats` reads, in the order it reads it: a window's questions channel by
# channel, and UTC quarter hour by quarter hour (for the hours of the day in any time zone).
BY_CHANNEL = (
    "home_channel_id", "asked_at", "status", "first_response_by_manager", "first_response_us",
    "first_manager_response_us",
)  # fmt: skip
BY_QUARTER = ("asked_quarter", "asked_at", "status", "first_response_us")
BY_STATUS = ("status", "asked_at", "sla_due_at", "first_response_us")


def micros(delta: timedelta) -> int:
    """`delta` in whole microseconds (exact: what a response time is stored as)."""
    return delta // MICROSECOND


def quarter_of(at: datetime) -> int:
    """The quarter hour of the UTC day `at` falls in, 0 (00:00–00:15) to 95."""
    utc = ensure_utc(at)
    return utc.hour * 4 + utc.minute // 15


class Inquiry(SQLModel, table=True):
    """A member question: where and when it was asked, who answered first and how fast.

    `channel_id` is where it was asked (a Discord thread is a channel of its own),
    `home_channel_id` the channel it belongs to (a thread's parent). `line_ids` holds the
    message ids of the follow-up lines that joined it. `next_alert_at` is when the managers
    are next told it waits (at the SLA, then at twice the SLA; None once answered).
    `text` is kept while it waits and `[privacy] retention_days` after (`text_kept_until`).
    `first_response_us` and `first_manager_response_us` are the microseconds from asking to
    those responses, `asked_quarter` the UTC quarter hour asked in (`quarter_of`): what the
    stats sort and group by, kept with the times they are computed from.
    """

    __table_args__ = (
        UniqueConstraint("platform", "channel_id", "message_id"),
        Index("ix_inquiry_next_alert", "next_alert_at"),
        Index("ix_inquiry_asked_at", "asked_at"),
        Index("ix_inquiry_by_status", *BY_STATUS),
        Index("ix_inquiry_text_kept_until", "text_kept_until"),
        Index("ix_inquiry_by_channel", *BY_CHANNEL),
        Index("ix_inquiry_by_quarter", *BY_QUARTER),
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
    asked_quarter: int = Field(sa_column=Column(SmallInteger(), nullable=False))
    last_line_at: datetime = Field(sa_column=utc_column(nullable=False))
    sla_due_at: datetime = Field(sa_column=utc_column(nullable=False))
    reminder_at: datetime = Field(sa_column=utc_column(nullable=False))
    next_alert_at: datetime | None = Field(default=None, sa_column=utc_column())
    alerts_sent: int = 0
    first_response_at: datetime | None = Field(default=None, sa_column=utc_column())
    first_responder_id: int | None = Field(default=None, foreign_key="member.id")
    first_response_by_manager: bool | None = None
    first_manager_response_at: datetime | None = Field(default=None, sa_column=utc_column())
    first_response_us: int | None = Field(default=None, sa_column=Column(BigInteger()))
    first_manager_response_us: int | None = Field(default=None, sa_column=Column(BigInteger()))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column())
    closed_by_id: int | None = Field(default=None, foreign_key="member.id")
    assignee_id: int | None = Field(default=None, foreign_key="member.id")
    assigned_at: datetime | None = Field(default=None, sa_column=utc_column())
    text_kept_until: datetime | None = Field(default=None, sa_column=utc_column())

    def lines(self) -> list[str]:
        """Every message id of the question: its first line and those that joined it."""
        return [self.message_id, *self.line_ids.split()]
