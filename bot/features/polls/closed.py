"""Polls as others report them: those closed in a window, with their turnout base, and the
questions of polls by id."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session, col, select

from bot.features.polls.store import Poll, PollView, load_view, turnout_base


def closed_polls(session: Session, start: datetime, end: datetime) -> list[tuple[PollView, int]]:
    """Polls closed at or after `start` and before `end`, first closed first: each poll's
    final view and its turnout base (the members active around it, as its results post says)."""
    ids = session.exec(
        select(Poll.id)
        .where(Poll.closed_at >= start, Poll.closed_at < end)
        .order_by(Poll.closed_at, Poll.id)
    ).all()
    views = [load_view(session, poll_id) for poll_id in ids]
    return [(view, turnout_base(session, view)) for view in views]


def poll_questions(
    session: Session, ids: Collection[int], scheduled_only: bool = False
) -> dict[int, str]:
    """The question of each poll in `ids` that exists, by poll id; `scheduled_only`: only
    the polls the content calendar posted (no member opened them)."""
    if not ids:
        return {}
    query = select(Poll.id, Poll.question).where(col(Poll.id).in_(list(ids)))
    if scheduled_only:
        query = query.where(col(Poll.created_by).is_(None))
    return dict(session.exec(query).all())
