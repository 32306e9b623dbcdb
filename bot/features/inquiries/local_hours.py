"""The local hour of the day a question was asked, from the UTC quarter hour stored with it.

Since 1970 every time zone's offset from UTC is a whole number of quarter hours (but for
Monrovia's until 1972 and Kiritimati's until 1979), and it never changes twice within six
days. So a window is cut where its zone's offset changes (found by looking once a day, then
to the microsecond), and in each piece a UTC quarter hour lies in one local hour. A piece
whose offset is not whole quarter hours is read question by question instead, as is a window
that begins before 1970.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import ensure_utc

DAY = timedelta(days=1)
QUARTER = 900  # seconds
SINCE = datetime(1970, 1, 1, tzinfo=UTC)  # offsets before may change twice in a day
SECOND, MICROSECOND = timedelta(seconds=1), timedelta(microseconds=1)


@dataclass(frozen=True)
class Piece:
    """From `low` until `high` (excluded) the zone is `offset` seconds ahead of UTC."""

    low: datetime
    high: datetime
    offset: int | None  # None: not known to stay the same (before 1970)

    @property
    def whole_quarters(self) -> bool:
        return self.offset is not None and self.offset % QUARTER == 0

    def hour_of(self, quarter: int) -> int:
        """The local hour of the day of UTC quarter hour `quarter` (when `whole_quarters`)."""
        return (quarter * QUARTER + self.offset) % 86400 // 3600  # type: ignore[operator]


def offset_of(zone: ZoneInfo, at: datetime) -> int:
    """Seconds `zone` is ahead of UTC at the instant `at`."""
    return ensure_utc(at).astimezone(zone).utcoffset() // SECOND  # type: ignore[operator]


def pieces(zone: ZoneInfo, low: datetime, high: datetime) -> list[Piece]:
    """From `low` until `high`, cut at every instant `zone`'s offset changes."""
    if ensure_utc(low) < SINCE:
        return [Piece(low, high, None)]
    found, start, offset = [], low, offset_of(zone, low)
    at = low
    while at < high:
        step = min(at + DAY, high)
        if offset_of(zone, step) != offset:
            change = _change(zone, at, step, offset)
            found.append(Piece(start, change, offset))
            start, offset = change, offset_of(zone, change)
        at = step
    return [*found, Piece(start, high, offset)]


def _change(zone: ZoneInfo, before: datetime, after: datetime, offset: int) -> datetime:
    """The first instant after `before`, up to `after`, at which the offset is no longer
    `offset` (there is one: at most one change lies within a day)."""
    low, high = 0, (after - before) // MICROSECOND  # the offset is `offset` at low, not at high
    while high - low > 1:
        middle = (low + high) // 2
        if offset_of(zone, before + middle * MICROSECOND) == offset:
            low = middle
        else:
            high = middle
    return before + high * MICROSECOND
