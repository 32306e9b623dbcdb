"""What a poll may be: 2–10 distinct options of up to 55 characters, a question of up to 300,
a closing time at most 92 days away (bot.text.when.LONGEST_OPEN). Each check raises UsageError
in words a member understands.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import UsageError
from bot.features.polls.store import PollDraft
from bot.text.pipe_lists import split_list
from bot.text.when import WhenError, check_closing
from bot.text.when import parse_closing as parse_closing_time

MIN_OPTIONS, MAX_OPTIONS = 2, 10  # Discord allows 25 buttons; room is kept for controls
QUESTION_MAX, OPTION_MAX = 300, 55  # Discord's own poll limits
DEFAULT_OPEN = timedelta(hours=24)


def check_poll(draft: PollDraft, now: datetime, zone: ZoneInfo) -> None:
    """Raise UsageError for a poll Steward will not open; say what is wrong."""
    question, closes_at = draft.question, draft.closes_at
    if not question:
        raise UsageError("The poll needs a question.")
    if len(question) > QUESTION_MAX:
        raise UsageError(
            f"The question is {len(question)} characters; the limit is {QUESTION_MAX}."
        )
    _check_options(draft.options)
    try:
        check_closing(closes_at, now, zone)
    except WhenError as exc:
        raise UsageError(str(exc)) from None


def _check_options(options: tuple[str, ...]) -> None:
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise UsageError(
            f"A poll needs {MIN_OPTIONS} to {MAX_OPTIONS} options separated by `|`; "
            f"you gave {len(options)}."
        )
    seen: set[str] = set()
    for number, option in enumerate(options, 1):
        if not option:
            raise UsageError(
                f'Option {number} is empty; separate options with `|`, like "Mon | Wed | Fri".'
            )
        if len(option) > OPTION_MAX:
            raise UsageError(
                f"Option {number} is {len(option)} characters; the limit is {OPTION_MAX}."
            )
        key = unicodedata.normalize("NFKC", option).casefold()
        if key in seen:
            raise UsageError(f"{option!r} is given twice; each option must be different.")
        seen.add(key)


def parse_options(text: str) -> tuple[str, ...]:
    """`"Mon | Wed | Fri"` → `("Mon", "Wed", "Fri")` (checked later by check_poll)."""
    return split_list(text)


def parse_closing(text: str | None, now: datetime, zone: ZoneInfo) -> datetime | None:
    """A closing time (see bot.text.when.parse_closing), or None when not given."""
    if not text:
        return None
    try:
        return parse_closing_time(text, now, zone)
    except WhenError as exc:
        raise UsageError(str(exc)) from None
