"""Clocks: the core asks a clock for `now`, so tests and the console can control time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """A clock that only moves when told to; used by tests and console scripts."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = ensure_utc(start or datetime.now(UTC))

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        """Move to `when`; time never goes backwards."""
        self._now = max(self._now, ensure_utc(when))

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class OffsetClock:
    """Real time plus an offset that `advance` grows: the interactive console's clock."""

    def __init__(self) -> None:
        self._offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def set(self, when: datetime) -> None:
        delta = ensure_utc(when) - self.now()
        if delta > timedelta():
            self._offset += delta

    def advance(self, delta: timedelta) -> None:
        self._offset += delta


def ensure_utc(when: datetime) -> datetime:
    """Return `when` as an aware UTC datetime (naive values are taken as UTC)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)
