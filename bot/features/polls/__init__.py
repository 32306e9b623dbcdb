"""Polls: `/poll create|results|close`, vote buttons with live counts, results with a chart."""

from bot.core.feature import Feature
from bot.features.polls.closed import closed_polls, poll_questions
from bot.features.polls.commands import install, publish_poll
from bot.features.polls.input import DEFAULT_OPEN, check_poll
from bot.features.polls.store import Poll, PollDraft, PollOption, PollView, PollVote

FEATURE = Feature("polls", install, tables=(Poll, PollOption, PollVote))

__all__ = [
    "DEFAULT_OPEN",
    "FEATURE",
    "PollDraft",
    "PollView",
    "check_poll",
    "closed_polls",
    "poll_questions",
    "publish_poll",
]
