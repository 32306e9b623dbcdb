"""Durations written the way people write them: `90s`, `15m`, `2h`, `1d12h`, `1w`."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.text.excerpts import excerpt

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
# Longer than anything Steward schedules, far short of what a date can hold.
LONGEST_DURATION = timedelta(days=36525)


class DurationTooLong(ValueError):
    """A well-formed duration beyond LONGEST_DURATION (`99999999999d`)."""


def parse_duration(text: str) -> timedelta:
    """Parse `2d`, `1h30m`, `45s`, `1w`; raise ValueError with the accepted forms otherwise.

    Beyond LONGEST_DURATION it raises DurationTooLong (a ValueError) instead of overflowing.
    """
    compact = text.strip().lower().replace(" ", "")
    parts = _PART.findall(compact)
    if not compact or "".join(f"{n}{u}" for n, u in parts) != compact:
        raise ValueError(f"{text!r} is not a duration; write it like 30m, 2h, 1d12h or 1w")
    seconds = sum(float(number) * _SECONDS[unit] for number, unit in parts)
    if seconds > LONGEST_DURATION.total_seconds():
        raise DurationTooLong(
            f"{excerpt(text, 40)!r} is too long; a duration is at most "
            f"{LONGEST_DURATION.days:,} days (100 years)"
        )
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """Render a duration compactly: `1d 2h`, `15m`, `40s`."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    out = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            out.append(f"{seconds // size}{unit}")
            seconds %= size
    return " ".join(out)


def format_seconds(seconds: float | None) -> str:
    """A number of seconds as format_duration writes it (`1h 5m`), "–" for no value."""
    return "–" if seconds is None else format_duration(timedelta(seconds=round(seconds)))
