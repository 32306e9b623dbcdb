"""Free-text feedback from members, stored with its sentiment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index, delete
from sqlmodel import Field, Session, SQLModel, select

from bot.store.models import utc_column

if TYPE_CHECKING:
    from bot.text.sentiment import Sentiment  # not at run time: importing textblob is slow


class Feedback(SQLModel, table=True):
    """One `/feedback` entry: who, what, when, and how it reads (TextBlob polarity)."""

    __table_args__ = (Index("ix_feedback_created_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    text: str
    polarity: float
    subjectivity: float
    created_at: datetime = Field(sa_column=utc_column(nullable=False))


def add_feedback(
    session: Session, member_id: int, text: str, sentiment: Sentiment, at: datetime
) -> int:
    """Store one entry; return its id."""
    row = Feedback(
        member_id=member_id,
        text=text,
        polarity=sentiment.polarity,
        subjectivity=sentiment.subjectivity,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def feedback_between(session: Session, start: datetime, end: datetime) -> list[Feedback]:
    """Entries with start < created_at <= end, oldest first."""
    return list(
        session.exec(
            select(Feedback)
            .where(Feedback.created_at > start, Feedback.created_at <= end)
            .order_by(Feedback.created_at, Feedback.id)
        ).all()
    )


def feedback_during(session: Session, start: datetime, end: datetime) -> list[Feedback]:
    """Entries with start <= created_at < end (a digest's week), oldest first."""
    return list(
        session.exec(
            select(Feedback)
            .where(Feedback.created_at >= start, Feedback.created_at < end)
            .order_by(Feedback.created_at, Feedback.id)
        ).all()
    )


def export_member(session: Session, member_id: int) -> dict:
    """The member's feedback, for `/privacy export`."""
    rows = session.exec(
        select(Feedback).where(Feedback.member_id == member_id).order_by(Feedback.id)
    ).all()
    return {
        "entries": [
            {
                "text": row.text,
                "polarity": row.polarity,
                "subjectivity": row.subjectivity,
                "created_at": row.created_at.isoformat(),
            }
            for row in rows
        ]
    }


def forget_member(session: Session, member_id: int) -> None:
    """Erase the member's feedback, for `/privacy forget`."""
    session.execute(delete(Feedback).where(Feedback.member_id == member_id))
