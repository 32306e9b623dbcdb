"""Contests: drawn or voted, with entry requirements and a provably fair draw."""

from bot.core.feature import Feature
from bot.features.contests.closed import ContestResult, closed_contests, contest_entries_between
from bot.features.contests.commands import install
from bot.features.contests.store import (
    Contest,
    ContestDraw,
    ContestEntry,
    ContestVote,
    ContestWinner,
)

FEATURE = Feature(
    "contests",
    install,
    tables=(Contest, ContestEntry, ContestVote, ContestDraw, ContestWinner),
)
__all__ = [
    "FEATURE",
    "Contest",
    "ContestDraw",
    "ContestEntry",
    "ContestResult",
    "ContestVote",
    "ContestWinner",
    "closed_contests",
    "contest_entries_between",
]
