"""Digest weeks: ISO weeks, Monday 00:00 to the next Monday 00:00 in the community time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
WEEK_HELP = "an ISO week like 2026-W12 (Monday to Sunday), or `last` / `this`"


class WeekError(ValueError):
    """A week that cannot be read; the message says how to write one."""


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week (year, number), placed in a time zone when its bounds are asked for."""

    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    def days(self) -> list[date]:
        """Its seven dates, Monday first."""
        return [self.monday + timedelta(days=n) for n in range(7)]

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """Its start and (exclusive) end as UTC datetimes: local midnights, so a week with a
        daylight-saving change is 167 or 169 hours long."""
        start = datetime.combine(self.monday, time(), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), time(), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def shifted(self, weeks: int) -> Week:
        """The week `weeks` later (earlier when negative)."""
        return week_of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return self.label


def week_of(day: date) -> Week:
    """The ISO week holding `day`."""
    year, number, _ = day.isocalendar()
    return Week(year, number)


def week_at(at: datetime, zone: ZoneInfo) -> Week:
    """The week holding the instant `at` in `zone`."""
    return week_of(at.astimezone(zone).date())


def last_full_week(now: datetime, zone: ZoneInfo) -> Week:
    """The most recent week that has ended at `now`."""
    return week_at(now, zone).shifted(-1)


def parse_week(text: str, now: datetime, zone: ZoneInfo) -> Week:
    """`2026-W12`, `2026W12`, `last` (the last full week) or `this` (the week so far)."""
    value = text.strip().lower()
    if value in ("", "last"):
        return last_full_week(now, zone)
    if value == "this":
        return week_at(now, zone)
    found = _WEEK.fullmatch(value)
    if not found:
        raise WeekError(f"{text!r} is not a week: write {WEEK_HELP}")
    year, number = int(found[1]), int(found[2])
    try:
        date.fromisocalendar(year, number, 1)
    except ValueError:
        raise WeekError(f"{year} has no week {number}: write {WEEK_HELP}") from None
    return Week(year, number)
