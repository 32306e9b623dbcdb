"""What contests hold about a member: their export, and erasing them from contests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from bot.core.messages import SentMessage
from bot.core.posts import find_post
from bot.features.contests.store.tables import (
    ERASED,
    FEATURE,
    Contest,
    ContestDraw,
    ContestEntry,
    ContestVote,
    ContestWinner,
    entry_role,
    round_role,
)


@dataclass(frozen=True)
class Forgotten:
    """What erasing a member changed on public posts: contests whose entrant count dropped,
    and entry posts to redraw (the member's own, whose row is gone if the contest was open,
    and those whose vote count dropped), and winners announcements that named the member."""

    contest_ids: frozenset[int]
    entry_posts: tuple[tuple[int, int, SentMessage], ...]  # (contest id, entry id, its post)
    winner_posts: tuple[tuple[int, int, SentMessage], ...] = ()  # (contest id, round, post)


def forget_member(session: Session, member_id: int) -> Forgotten:
    """Erase a member from contests, keeping published audits re-runnable.

    Entries in contests still open are deleted with their votes, and so are the member's own
    votes there (they may vote again if they come back). Entries in closed contests stay as
    anonymous placeholders (`erased-<entry id>`) so the published order and the winners still
    check out; their votes there stay counted, detached from them, as does their authorship.
    """
    mine = session.exec(
        select(ContestEntry.contest_id, ContestEntry.id).where(ContestEntry.member_id == member_id)
    ).all()
    open_contests = select(Contest.id).where(col(Contest.closed_at).is_(None))
    won = _winner_posts(session, member_id)
    voted_for = session.exec(
        select(ContestEntry.contest_id, ContestEntry.id)
        .join(ContestVote, ContestVote.entry_id == ContestEntry.id)
        .where(ContestVote.member_id == member_id, col(ContestVote.contest_id).in_(open_contests))
    ).all()
    open_ids = list(
        session.exec(
            select(ContestEntry.id).where(
                ContestEntry.member_id == member_id,
                col(ContestEntry.contest_id).in_(open_contests),
            )
        )
    )
    if open_ids:
        session.execute(delete(ContestVote).where(col(ContestVote.entry_id).in_(open_ids)))
        session.execute(delete(ContestEntry).where(col(ContestEntry.id).in_(open_ids)))
    session.execute(  # a vote left unlinked in a running contest could be cast again
        delete(ContestVote).where(
            ContestVote.member_id == member_id, col(ContestVote.contest_id).in_(open_contests)
        )
    )
    for entry in session.exec(select(ContestEntry).where(ContestEntry.member_id == member_id)):
        entry.member_id, entry.text = None, None
        entry.entrant_key = f"{ERASED}-{entry.id}"
        session.add(entry)
    session.execute(
        update(ContestVote).where(ContestVote.member_id == member_id).values(member_id=None)
    )
    session.execute(
        update(ContestEntry).where(ContestEntry.removed_by == member_id).values(removed_by=None)
    )
    session.execute(update(Contest).where(Contest.created_by == member_id).values(created_by=None))
    session.execute(
        update(ContestDraw).where(ContestDraw.drawn_by == member_id).values(drawn_by=None)
    )
    return Forgotten(
        frozenset(contest for contest, entry in mine if entry in open_ids),
        _entry_posts(session, [*mine, *voted_for]),
        won,
    )


def _entry_posts(
    session: Session, entries: list[tuple[int, int]]
) -> tuple[tuple[int, int, SentMessage], ...]:
    """The posts of these (contest id, entry id) entries, for those that have one."""
    found = []
    for contest_id, entry_id in entries:
        post = find_post(session, FEATURE, contest_id, entry_role(entry_id))
        if post is not None:
            found.append((contest_id, entry_id, post))
    return tuple(found)


def _winner_posts(session: Session, member_id: int) -> tuple[tuple[int, int, SentMessage], ...]:
    """The posted rounds the member won, as (contest id, round number, its post)."""
    rows = session.exec(
        select(ContestDraw.contest_id, ContestDraw.number)
        .join(ContestWinner, ContestWinner.draw_id == ContestDraw.id)
        .join(ContestEntry, ContestEntry.id == ContestWinner.entry_id)
        .where(ContestEntry.member_id == member_id)
        .order_by(ContestDraw.contest_id, ContestDraw.number)
    ).all()
    found = []
    for contest, number in dict.fromkeys(tuple(row) for row in rows):
        post = find_post(session, FEATURE, contest, round_role(number))
        if post is not None:
            found.append((contest, number, post))
    return tuple(found)


def export_member(session: Session, member_id: int) -> dict:
    """Everything contests hold about a member, as JSON-ready data."""
    entries = session.exec(
        select(ContestEntry, Contest)
        .join(Contest)
        .where(ContestEntry.member_id == member_id)
        .order_by(ContestEntry.entered_at)
    ).all()
    won = set(
        session.exec(
            select(ContestWinner.entry_id).where(
                col(ContestWinner.entry_id).in_([entry.id for entry, _ in entries])
            )
        )
    )
    votes = session.exec(
        select(ContestVote, Contest)
        .join(Contest)
        .where(ContestVote.member_id == member_id)
        .order_by(ContestVote.voted_at)
    ).all()
    created = session.exec(
        select(Contest).where(Contest.created_by == member_id).order_by(Contest.created_at)
    ).all()
    draws = session.exec(
        select(ContestDraw, Contest)
        .join(Contest)
        .where(ContestDraw.drawn_by == member_id)
        .order_by(ContestDraw.drawn_at, ContestDraw.number)
    ).all()
    removals = session.exec(
        select(ContestEntry.removed_at, Contest)
        .join(Contest)
        .where(ContestEntry.removed_by == member_id)
        .order_by(ContestEntry.removed_at)
    ).all()
    return {
        "entries": [
            {
                "contest_id": contest.id,
                "contest": contest.title,
                "entered_at": entry.entered_at.isoformat(),
                "entry": entry.text,
                "removed_at": entry.removed_at.isoformat() if entry.removed_at else None,
                "won": entry.id in won,
            }
            for entry, contest in entries
        ],
        "votes": [
            {
                "contest_id": contest.id,
                "contest": contest.title,
                "entry_id": vote.entry_id,
                "voted_at": vote.voted_at.isoformat(),
            }
            for vote, contest in votes
        ],
        "contests_created": [
            {"contest_id": c.id, "title": c.title, "created_at": c.created_at.isoformat()}
            for c in created
        ],
        "draws": [  # rounds this manager decided (`/contest draw`, `/contest reroll`)
            {
                "contest_id": c.id,
                "contest": c.title,
                "round": d.number,
                "drawn_at": d.drawn_at.isoformat(),
            }
            for d, c in draws
        ],
        "entries_removed": [  # whose entry is the entrant's data, not this manager's
            {"contest_id": c.id, "contest": c.title, "removed_at": at.isoformat()}
            for at, c in removals
        ],
    }
