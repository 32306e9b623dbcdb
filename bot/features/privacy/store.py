"""Members who asked not to be named in the digest and reports (`/privacy hide-me`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Field, Session, SQLModel, select

from bot.store.models import utc_column
from bot.store.upserts import insert_ignoring_conflicts


class HiddenMember(SQLModel, table=True):
    """A member the digest and reports never name; their activity still counts in totals."""

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    hidden_at: datetime = Field(sa_column=utc_column(nullable=False))


def hidden_members(session: Session) -> set[int]:
    """The member ids of everyone who asked not to be named."""
    return set(session.exec(select(HiddenMember.member_id)).all())


def hide(session: Session, member_id: int, at: datetime) -> bool:
    """Leave the member's name out from now on; False when it already was (another process
    hiding them at the same moment included)."""
    table = HiddenMember.__table__
    statement = insert_ignoring_conflicts(table, session.get_bind().dialect.name, "member_id")
    return session.execute(statement, {"member_id": member_id, "hidden_at": at}).first() is not None


def unhide(session: Session, member_id: int) -> bool:
    """Let the member be named again; False when they were not hidden."""
    return (
        session.execute(delete(HiddenMember).where(HiddenMember.member_id == member_id)).rowcount
        > 0
    )


def export_member(session: Session, member_id: int) -> dict:
    """Whether the member is left out of the digest's names, for `/privacy export`."""
    row = session.get(HiddenMember, member_id)
    return {
        "hidden_from_digest": row is not None,
        "hidden_at": row.hidden_at.isoformat() if row is not None else None,
    }


def forget_member(session: Session, member_id: int) -> None:
    """Nothing is left to hide once the member is erased."""
    unhide(session, member_id)
