"""Initiatives closed in the week: polls with their results, surveys, contests with winners.

Each feature reports its own (through its package); here they become the digest's figures. A
winner who asked not to be named (`/privacy hide-me`) is not named; one erased at their
request is "a former member", as the contest's own announcement says.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlmodel import Session

from bot.features.contests import ContestResult, closed_contests, contest_entries_between
from bot.features.digest.figures import (
    ClosedContest,
    ClosedPoll,
    ClosedSurvey,
    Initiatives,
    pct,
)
from bot.features.polls import PollView, closed_polls
from bot.features.surveys import closed_surveys

HIDDEN_NAME = "a member who asked not to be named"
ERASED_NAME = "a former member"


def closed_initiatives(
    session: Session, start: datetime, end: datetime, hidden: Collection[int]
) -> Initiatives:
    """Polls, surveys and contests closed at or after `start` and before `end`."""
    return Initiatives(
        polls=tuple(_poll(view, base) for view, base in closed_polls(session, start, end)),
        surveys=tuple(ClosedSurvey(*row) for row in closed_surveys(session, start, end)),
        contests=tuple(_contest(c, hidden) for c in closed_contests(session, start, end)),
    )


def entries_between(session: Session, start: datetime, end: datetime) -> int:
    """Contest entries made at or after `start` and before `end` (removed ones left out)."""
    return contest_entries_between(session, start, end)


def _poll(view: PollView, base: int) -> ClosedPoll:
    return ClosedPoll(
        poll_id=view.id,
        question=view.question,
        voters=view.voters,
        turnout_pct=pct(view.voters, base),
        results=tuple(zip(view.options, view.counts, strict=True)),
        winners=view.winners,
    )


def _contest(result: ContestResult, hidden: Collection[int]) -> ClosedContest:
    names = tuple(
        ERASED_NAME
        if winner.member_id is None
        else HIDDEN_NAME
        if winner.member_id in hidden
        else winner.name
        for winner in result.winners
    )
    return ClosedContest(result.contest_id, result.title, result.entries, names)
