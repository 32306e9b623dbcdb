"""The inquiries table: one member question, its lines, its first responses and its alerts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Insert,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    bindparam,
)
from sqlmodel import Field, Session, SQLModel

from bot.core.clock import ensure_utc
from bot.store.models import utc_column
from bot.store.upserts import dialect_insert

WAITING, ANSWERED, RESOLVED, DISMISSED = "waiting", "answered", "resolved", "dismissed"
SETTLED = (ANSWERED, RESOLVED, DISMISSED)  # no longer waiting for a first answer
MICROSECOND = timedelta(microseconds=1)
# What `/inquiries stats` read a window from, channel by channel and UTC quarter hour by
# quarter hour, before it kept day summaries (`day_summaries`: it now reads rows by asked_at);
# BY_STATUS also serves `/inquiries open`'s counts of the waiting ones.
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


class InquiryDay(SQLModel, table=True):
    """How many times the figures of the questions asked on a UTC day changed (asked,
    answered, closed, forgotten): a day's summary is good while this is what it was made at.
    No row: no change since the summaries began."""

    __tablename__ = "inquiry_day"

    day: date = Field(primary_key=True)
    changes: int = Field(default=0, sa_column=Column(BigInteger(), nullable=False))


class InquiryDaySummary(SQLModel, table=True):
    """What `/inquiries stats` needs of the questions of `days` whole UTC days from `day`
    (one day, or a window's whole days; or the end of a day, from `from_hour`), of one
    platform (`scope`) or all (""): made by the
    stats on first need (`day_summaries`), good while the sum of those days'
    `InquiryDay.changes` is still `changes`. `channels` is the JSON list of its channels'
    ids, `figures` their counts and the rest (`tallies.SpanTally`)."""

    __tablename__ = "inquiry_day_summary"

    day: date = Field(primary_key=True)
    scope: str = Field(primary_key=True, max_length=16)
    days: int = Field(primary_key=True)
    from_hour: int = Field(primary_key=True)  # 0, or the hour of `day` it starts at
    changes: int = Field(sa_column=Column(BigInteger(), nullable=False))
    channels: str = Field(sa_column=Column(Text(), nullable=False))
    figures: bytes = Field(sa_column=Column(LargeBinary(), nullable=False))


def days_changed(session: Session, *asked: datetime) -> None:
    """The figures of questions asked at `asked` changed: their days' summaries are stale
    (in the caller's transaction, so a summary never outlives what it was made from)."""
    days = sorted({ensure_utc(at).date() for at in asked})
    if days:
        statement = _count_change(session.connection().dialect.name)
        session.execute(statement, [{"day": day} for day in days])


@cache
def _count_change(dialect: str) -> Insert:
    """Add one to a day's changes (the row made at the first)."""
    table = InquiryDay.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(table, dialect)
    return insert.values(day=bindparam("day"), changes=1).on_conflict_do_update(
        index_elements=[table.c.day], set_={"changes": table.c.changes + 1}
    )
