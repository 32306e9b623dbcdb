"""Contests as others report them: those closed in a window with their winners, and how many
entries were made in one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from bot.features.contests import store
from bot.features.contests.store import Contest, ContestEntry, Entrant


@dataclass(frozen=True)
class ContestResult:
    """A closed contest: its entries (those not removed) and its winners, first round first."""

    contest_id: int
    title: str
    entries: int
    winners: tuple[Entrant, ...]


def closed_contests(session: Session, start: datetime, end: datetime) -> list[ContestResult]:
    """Contests closed at or after `start` and before `end`, first closed first, with the
    winners of every round drawn before `end` (a later reroll is not yet known then)."""
    contests = session.exec(
        select(Contest)
        .where(Contest.closed_at >= start, Contest.closed_at < end)
        .order_by(Contest.closed_at, Contest.id)
    ).all()
    return [_result(session, contest, end) for contest in contests]


def _result(session: Session, contest: Contest, end: datetime) -> ContestResult:
    entrants = {e.entry_id: e for e in store.entrants(session, contest.id)}
    winners: dict[int, Entrant] = {}
    for round_ in store.rounds(session, contest.id):
        if round_.draw.drawn_at < end:
            winners.update((i, entrants[i]) for i in round_.winners if i in entrants)
    return ContestResult(contest.id, contest.title, len(entrants), tuple(winners.values()))


def contest_entries_between(session: Session, start: datetime, end: datetime) -> int:
    """Entries made at or after `start` and before `end` that a manager has not removed."""
    return session.exec(
        select(func.count()).where(
            ContestEntry.entered_at >= start,
            ContestEntry.entered_at < end,
            col(ContestEntry.removed_at).is_(None),
        )
    ).one()
