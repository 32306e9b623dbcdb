"""Queries on decided rounds: the draws (close and rerolls) and their winners."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.features.contests.store.tables import ContestDraw, ContestWinner, Round


def rounds(session: Session, contest_id: int) -> list[Round]:
    """Every decided round of the contest, oldest first."""
    draws = session.exec(
        select(ContestDraw).where(ContestDraw.contest_id == contest_id).order_by(ContestDraw.number)
    ).all()
    out = []
    for round_ in draws:
        winners = session.exec(
            select(ContestWinner.entry_id)
            .where(ContestWinner.draw_id == round_.id)
            .order_by(ContestWinner.rank)
        ).all()
        skipped = tuple(int(part) for part in round_.skipped.split(",") if part)
        out.append(Round(round_, skipped, tuple(winners)))
    return out


def record_round(session: Session, round_: ContestDraw, winner_ids: list[int]) -> ContestDraw:
    """Store a decided round and its winners (the unique number guards double rerolls)."""
    session.add(round_)
    session.flush()
    for rank, entry_id in enumerate(winner_ids, 1):
        session.add(ContestWinner(draw_id=round_.id, entry_id=entry_id, rank=rank))
    return round_
