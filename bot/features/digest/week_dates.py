"""A digest week's local dates, written for people: `16–22 Mar 2026`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from bot.features.digest.figures import WeekDigest
from bot.features.digest.weeks import week_at


def week_dates(digest: WeekDigest) -> list[date]:
    """The digest week's seven local dates (the community zone's calendar), Monday first."""
    return week_at(digest.start, ZoneInfo(digest.zone)).days()


def day_month(day: date) -> str:
    """`16 Mar`."""
    return f"{day.day} {day:%b}"


def date_range(days: Sequence[date]) -> str:
    """`16–22 Mar 2026`, `30 Mar – 5 Apr 2026`, `28 Dec 2026 – 3 Jan 2027`."""
    first, last = days[0], days[-1]
    if first.year != last.year:
        return f"{day_month(first)} {first.year} – {day_month(last)} {last.year}"
    if first.month != last.month:
        return f"{day_month(first)} – {day_month(last)} {last.year}"
    return f"{first.day}–{day_month(last)} {last.year}"
