"""Times as people write and read them, in the community time zone: `when`, `closes`, display.

Accepted: ISO date-times (`2026-03-28T09:00`, `2026-03-28 09:00`, with an optional offset),
`today 18:00`, `tomorrow 09:00`, a weekday (`mon 18:30`, `friday 9am`), a bare time (`18:30`,
the next one), and relative times (`+2h`, `in 90m`). The result is an aware UTC datetime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.text.durations import DurationTooLong, parse_duration
from bot.text.excerpts import excerpt

WHEN_FORMS = "2026-03-28T09:00, tomorrow 09:00, mon 18:30, 18:30 or +2h"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEK = timedelta(weeks=1)
_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


class WhenError(ValueError):
    """A `when` that cannot be read; the message says why, in words a manager understands."""


class SkippedTimeError(WhenError):
    """A wall-clock time that does not exist: the clocks skip it when daylight saving starts."""


class TooFarError(WhenError):
    """A relative time beyond the longest duration (`+99999999999d`)."""


def parse_when(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """Read `text` relative to `now` in `zone`; return aware UTC, whole seconds."""
    raw = " ".join(text.strip().split())
    lowered = raw.lower()
    if not raw:
        raise WhenError(f"`when` is empty; write it like {WHEN_FORMS}.")
    if lowered.startswith(("+", "in ")):
        return _relative(raw, lowered, now)
    day_word, _, rest = lowered.partition(" ")
    local_today = now.astimezone(zone).date()
    if day_word in ("today", "tomorrow"):
        day = local_today + timedelta(days=1 if day_word == "tomorrow" else 0)
        return local_to_utc(datetime.combine(day, _time_of_day(rest, raw)), zone)
    weekday = _weekday(day_word)
    if weekday is not None:
        return _next_weekday(weekday, _time_of_day(rest, raw), now, zone)
    if _TIME.match(lowered):
        return _next_time(_time_of_day(lowered, raw), now, zone)
    return _iso(raw, zone)


def local_to_utc(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time in `zone` as UTC; a time skipped by a daylight-saving change is refused."""
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise SkippedTimeError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks skip that hour); "
            "pick another time."
        )
    return aware.astimezone(UTC).replace(microsecond=0)


def format_local(when: datetime, zone: ZoneInfo) -> str:
    """`Sat 2026-03-28 09:00 CET`: how Steward shows every time, in the community zone."""
    return f"{when.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"


CLOSES_FORMS = "a duration like 2d or 12h, or a date and time like 2026-12-01T18:00 or fri 17:00"
# A quarter: long enough for a seasonal contest or a quarterly survey, short enough that the
# members who saw the post are still around when it closes. One rule for polls, surveys, contests.
LONGEST_OPEN = timedelta(days=92)
CLOSES_HELP = f"2d, 12h, 2026-12-01T18:00 or fri 17:00; at most {LONGEST_OPEN.days} days away"


def parse_closing(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """When a poll, survey or contest closes: `2d` from now, or any `when` form.

    It must be in the future and at most LONGEST_OPEN away; a local time the clocks skip is
    refused as such. Raise WhenError saying which rule the text broke.
    """
    try:
        closes = _closing_time(text, now, zone)
    except (DurationTooLong, TooFarError, OverflowError):  # beyond any sensible date
        raise WhenError(_too_far(excerpt(text, 40))) from None
    check_closing(closes, now, zone)
    return closes


def check_closing(closes: datetime, now: datetime, zone: ZoneInfo) -> None:
    """Raise WhenError unless `closes` is after `now` and at most LONGEST_OPEN away."""
    if closes <= now:
        raise WhenError(
            f"The closing time {format_local(closes, zone)} is not in the future "
            f"(it is now {format_local(now, zone)})."
        )
    if closes - now > LONGEST_OPEN:
        raise WhenError(_too_far(format_local(closes, zone)))


def _closing_time(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    try:
        return (now + parse_duration(text)).astimezone(UTC)
    except DurationTooLong:
        raise
    except ValueError:
        pass
    try:
        return parse_when(text, now, zone)
    except (SkippedTimeError, TooFarError):
        raise
    except WhenError:
        raise WhenError(f"`closes` must be {CLOSES_FORMS} (got {text!r}).") from None


def _too_far(shown: str) -> str:
    return (
        f"The closing time {shown} is too far away: polls, surveys and contests close "
        f"at most {LONGEST_OPEN.days} days from now."
    )


def _relative(raw: str, lowered: str, now: datetime) -> datetime:
    amount = lowered.removeprefix("+").removeprefix("in ").strip()
    try:
        delta = parse_duration(amount)
    except DurationTooLong as exc:
        raise TooFarError(f"{exc}.") from None
    except ValueError:
        raise WhenError(f"{raw!r} is not a relative time; write it like +2h or +1d12h.") from None
    return (now + delta).astimezone(UTC).replace(microsecond=0)


def _weekday(word: str) -> int | None:
    for index, (short, full) in enumerate(zip(WEEKDAYS, _FULL_DAYS, strict=True)):
        if word in (short, full):
            return index
    return None


def _time_of_day(text: str, raw: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise WhenError(f"{raw!r} needs a time of day, like {raw.split()[0]} 09:00.")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise WhenError(f"{raw!r}: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise WhenError(f"{raw!r}: {hour:02d}:{minute:02d} is not a time of day.")
    return time(hour, minute)


def _next_weekday(weekday: int, at: time, now: datetime, zone: ZoneInfo) -> datetime:
    today = now.astimezone(zone).date()
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    candidate = local_to_utc(datetime.combine(day, at), zone)
    if candidate <= now:
        candidate = local_to_utc(datetime.combine(day + timedelta(days=7), at), zone)
    return candidate


def _next_time(at: time, now: datetime, zone: ZoneInfo) -> datetime:
    today: date = now.astimezone(zone).date()
    candidate = local_to_utc(datetime.combine(today, at), zone)
    if candidate <= now:
        candidate = local_to_utc(datetime.combine(today + timedelta(days=1), at), zone)
    return candidate


def _iso(raw: str, zone: ZoneInfo) -> datetime:
    try:
        parsed = datetime.fromisoformat(raw.replace(" ", "T", 1) if " " in raw else raw)
    except ValueError:
        raise WhenError(f"{raw!r} is not a date and time; write it like {WHEN_FORMS}.") from None
    if len(raw) <= 10:
        raise WhenError(f"{raw!r} has no time of day; write it like {raw}T09:00.")
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC).replace(microsecond=0)
    return local_to_utc(parsed, zone)


@dataclass(frozen=True)
class WeeklyTime:
    """A time every week (`mon 09:00`) in the community time zone: the digest's schedule."""

    weekday: int  # 0 is Monday
    at: time

    def next_after(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The first such moment after `now` (aware UTC)."""
        day = self._day_until(now, zone)
        moment = self._on(day, zone)
        return moment if moment > now else self._on(day + _WEEK, zone)

    def latest_until(self, now: datetime, zone: ZoneInfo) -> datetime:
        """The last such moment at or before `now` (aware UTC)."""
        day = self._day_until(now, zone)
        moment = self._on(day, zone)
        return moment if moment <= now else self._on(day - _WEEK, zone)

    def _day_until(self, now: datetime, zone: ZoneInfo) -> date:
        today = now.astimezone(zone).date()
        return today - timedelta(days=(today.weekday() - self.weekday) % 7)

    def _on(self, day: date, zone: ZoneInfo) -> datetime:
        """The moment on `day`; a time the clocks skip that day is read as after the change."""
        return datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.at:%H:%M}"


def parse_weekly(text: str) -> WeeklyTime:
    """`mon 09:00`, `friday 5pm`: a weekday and a time of day (WhenError otherwise)."""
    raw = " ".join(text.strip().split())
    day, _, clock = raw.lower().partition(" ")
    weekday = _weekday(day)
    if weekday is None or not clock:
        raise WhenError(
            f"{raw!r} is not a weekly time; write a weekday and a time, like mon 09:00."
        )
    return WeeklyTime(weekday, _time_of_day(clock, raw))
