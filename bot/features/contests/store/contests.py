"""Queries on contest rows: creating, posting, finding what is due, closing."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from bot.features.contests.store.entries import entrants
from bot.features.contests.store.tables import Contest, ContestEntry


def add_contest(session: Session, contest: Contest) -> Contest:
    session.add(contest)
    session.flush()
    return contest


def delete_contest(session: Session, contest_id: int) -> None:
    """Undo a contest that could not be posted."""
    session.execute(delete(Contest).where(Contest.id == contest_id))


def get_contest(session: Session, contest_id: int) -> Contest | None:
    return session.get(Contest, contest_id)


def next_closing(session: Session, exclude: Collection[int] = ()) -> datetime | None:
    """When the next open contest closes (possibly in the past), or None."""
    query = select(func.min(Contest.closes_at)).where(col(Contest.closed_at).is_(None))
    if exclude:
        query = query.where(col(Contest.id).not_in(exclude))
    return session.exec(query).one()


def due_contests(session: Session, now: datetime, exclude: Collection[int] = ()) -> list[int]:
    """Ids of open contests whose closing time has come."""
    query = select(Contest.id).where(
        col(Contest.closed_at).is_(None),
        Contest.closes_at <= now,
    )
    if exclude:
        query = query.where(col(Contest.id).not_in(exclude))
    return list(session.exec(query.order_by(Contest.closes_at, Contest.id)))


def claim_close(session: Session, contest_id: int, now: datetime) -> bool:
    """Mark the contest closed; False when another process (or a manager) closed it first."""
    result = session.execute(
        update(Contest)
        .where(Contest.id == contest_id, col(Contest.closed_at).is_(None))
        .values(closed_at=now)
    )
    if result.rowcount != 1:
        return False
    for position, entrant in enumerate(entrants(session, contest_id, ordered_live=True)):
        session.execute(
            update(ContestEntry)
            .where(ContestEntry.id == entrant.entry_id)
            .values(position=position)
        )
    return True
