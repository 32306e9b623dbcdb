"""What a poll may be: from 2 distinct options to as many as the platform's message holds
buttons (one per option), each of up to 55 characters (fewer where the platform's button labels
cannot hold that and a count), a question of up to 300 characters, a closing time at most 92
days away (bot.text.when.LONGEST_OPEN). Each check raises UsageError in words a member
understands; the platform's limits come from its Capabilities.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.capabilities import Capabilities
from bot.core.errors import UsageError
from bot.features.polls.store import PollDraft
from bot.text.pipe_lists import split_list
from bot.text.when import WhenError, check_closing
from bot.text.when import parse_closing as parse_closing_time

MIN_OPTIONS = 2
CONTROL_BUTTONS = 0  # buttons a poll message has besides one per option
QUESTION_MAX, OPTION_MAX = 300, 55  # a question and options that read well, on the chart too
COUNT_ROOM = len(" · 9999")  # a vote button shows its option and its count
DEFAULT_OPEN = timedelta(hours=24)


def max_options(caps: Capabilities) -> int:
    """The most options a poll can have on a platform: one button each on its message."""
    return caps.buttons_per_message - CONTROL_BUTTONS


def max_option_length(caps: Capabilities) -> int:
    """The longest option on a platform: a button label there holds it and its count."""
    return min(OPTION_MAX, caps.button_label_length - COUNT_ROOM)


def check_poll(draft: PollDraft, now: datetime, zone: ZoneInfo, caps: Capabilities) -> None:
    """Raise UsageError for a poll Steward will not open on a platform with `caps`; say what
    is wrong."""
    question, closes_at = draft.question, draft.closes_at
    if not question:
        raise UsageError("The poll needs a question.")
    if len(question) > QUESTION_MAX:
        raise UsageError(
            f"The question is {len(question)} characters; the limit is {QUESTION_MAX}."
        )
    _check_options(draft.options, caps)
    try:
        check_closing(closes_at, now, zone)
    except WhenError as exc:
        raise UsageError(str(exc)) from None


def _check_options(options: tuple[str, ...], caps: Capabilities) -> None:
    most, longest = max_options(caps), max_option_length(caps)
    if not MIN_OPTIONS <= len(options) <= most:
        raise UsageError(
            f"A poll needs {MIN_OPTIONS} to {most} options separated by `|` (one button "
            f"each, as many as a message holds here); you gave {len(options)}."
        )
    seen: set[str] = set()
    for number, option in enumerate(options, 1):
        if not option:
            raise UsageError(
                f'Option {number} is empty; separate options with `|`, like "Mon | Wed | Fri".'
            )
        if len(option) > longest:
            raise UsageError(
                f"Option {number} is {len(option)} characters; the limit is {longest}."
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
