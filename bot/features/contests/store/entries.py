"""Queries on entries and votes: who entered, in what order, and whom they voted for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import Session, col, func, select

from bot.core.clock import ensure_utc
from bot.features.contests.store.tables import (
    ERASED,
    AlreadyEntered,
    ContestEntry,
    ContestVote,
    Entrant,
)
from bot.store.models import Interaction, Member
from bot.store.upserts import added


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise LookupError(f"no member {member_id}")
    return member


def first_seen(session: Session, member: Member) -> datetime | None:
    """The earliest Steward knows of `member`: first-seen time or first logged interaction.

    A member first met as the author of a message someone replied to has no first-seen time;
    their own interactions still date them.
    """
    first = session.exec(
        select(func.min(Interaction.created_at)).where(Interaction.member_id == member.id)
    ).one()
    first = ensure_utc(first) if first is not None else None
    known = [t for t in (member.first_seen_at, first) if t is not None]
    return min(known) if known else None


def find_entry(session: Session, contest_id: int, member_id: int) -> ContestEntry | None:
    return session.exec(
        select(ContestEntry).where(
            ContestEntry.contest_id == contest_id, ContestEntry.member_id == member_id
        )
    ).first()


def add_entry(session: Session, entry: ContestEntry) -> ContestEntry:
    """Store an entry; raise AlreadyEntered when the member raced a second one in."""
    if not added(session, entry):
        raise AlreadyEntered
    return entry


def delete_entry(session: Session, entry_id: int) -> None:
    """Undo an entry whose post could not be posted (nobody could vote on it yet)."""
    session.execute(delete(ContestEntry).where(ContestEntry.id == entry_id))


def entrants(
    session: Session,
    contest_id: int,
    ordered_live: bool = False,
    removed: bool = False,
    entry_id: int | None = None,
) -> list[Entrant]:
    """Entries in the published order (frozen `position` once closed; else entry time, key).

    `removed=True` lists the entries managers removed instead, in entry order; `entry_id`
    narrows the list to that one entry.
    """
    votes = select(ContestVote.entry_id, func.count().label("votes")).where(
        ContestVote.contest_id == contest_id
    )
    if entry_id is not None:
        votes = votes.where(ContestVote.entry_id == entry_id)
    votes = votes.group_by(ContestVote.entry_id).subquery()
    query = (
        select(ContestEntry, Member, func.coalesce(votes.c.votes, 0))
        .join(Member, Member.id == ContestEntry.member_id, isouter=True)
        .join(votes, votes.c.entry_id == ContestEntry.id, isouter=True)
        .where(ContestEntry.contest_id == contest_id)
    )
    if entry_id is not None:
        query = query.where(ContestEntry.id == entry_id)
    if removed:
        query = query.where(col(ContestEntry.removed_at).is_not(None))
    else:
        query = query.where(col(ContestEntry.removed_at).is_(None))
    order = [ContestEntry.entered_at, ContestEntry.entrant_key, ContestEntry.id]
    if not ordered_live and not removed:
        order.insert(0, ContestEntry.position)
    rows = session.exec(query.order_by(*order)).all()
    return [_entrant(entry, member, count) for entry, member, count in rows]


def _entrant(entry: ContestEntry, member: Member | None, votes: int) -> Entrant:
    return Entrant(
        entry_id=entry.id,
        key=entry.entrant_key,
        name=member.name if member is not None else ERASED,
        member_id=entry.member_id,
        text=entry.text,
        entered_at=entry.entered_at,
        left=member is not None and member.left_at is not None,
        votes=votes,
    )


def entrant_count(session: Session, contest_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            ContestEntry.contest_id == contest_id,
            col(ContestEntry.removed_at).is_(None),
        )
    ).one()


def find_entrant(session: Session, contest_id: int, user_id: str) -> Entrant | None:
    """The active entry of the member with platform user id `user_id` (the entrant key), if
    any: display names need not be unique, ids are."""
    entry_id = session.exec(
        select(ContestEntry.id).where(
            ContestEntry.contest_id == contest_id,
            ContestEntry.entrant_key == user_id,
            col(ContestEntry.removed_at).is_(None),
        )
    ).first()
    if entry_id is None:
        return None
    return entrants(session, contest_id, entry_id=entry_id)[0]


def remove_entry(session: Session, entry_id: int, by: int, now: datetime) -> None:
    """Mark an entry removed by a manager; its votes no longer count."""
    session.execute(
        update(ContestEntry)
        .where(ContestEntry.id == entry_id)
        .values(removed_at=now, removed_by=by)
    )
    session.execute(delete(ContestVote).where(ContestVote.entry_id == entry_id))


def get_entry(session: Session, entry_id: int) -> ContestEntry | None:
    return session.get(ContestEntry, entry_id)


# ---- votes ----------------------------------------------------------------------------------
def cast_vote(
    session: Session, contest_id: int, entry_id: int, member_id: int, now: datetime
) -> int | None:
    """Put the member's one vote on `entry_id`; return the entry it moved from, if any."""
    vote = _vote(session, contest_id, member_id)
    if vote is None:
        cast = ContestVote(
            contest_id=contest_id, entry_id=entry_id, member_id=member_id, voted_at=now
        )
        if added(session, cast):
            return None
        vote = _vote(session, contest_id, member_id)  # a second click raced the first one in
    previous = vote.entry_id
    vote.entry_id, vote.voted_at = entry_id, now
    session.add(vote)
    return previous if previous != entry_id else None


def _vote(session: Session, contest_id: int, member_id: int) -> ContestVote | None:
    return session.exec(
        select(ContestVote).where(
            ContestVote.contest_id == contest_id, ContestVote.member_id == member_id
        )
    ).first()


def vote_of(session: Session, contest_id: int, member_id: int) -> int | None:
    """The entry the member voted for in this contest, if any."""
    vote = _vote(session, contest_id, member_id)
    return vote.entry_id if vote is not None else None


def votes_for(session: Session, entry_id: int) -> int:
    return session.exec(select(func.count()).where(ContestVote.entry_id == entry_id)).one()
