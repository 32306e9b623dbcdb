"""What `/inquiries stats` reads of the questions themselves: the rows of a span (a whole UTC
day to summarise, or a part of a day at a window's edge), straight through the driver (a
few hundred rows: SQLAlchemy's work for each would cost more than SQLite's), and, where a
zone's offset is not whole quarter hours, each question's time.

A window is the questions asked at or after `low` and before `high`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlmodel import Session

from bot.features.inquiries.store import DISMISSED, Inquiry
from bot.store.models import UTCDateTime
from bot.store.raw_sql import bind_value, fetch, result_value

ROW = (
    "home_channel_id", "asked_at", "status", "first_response_by_manager", "first_response_us",
    "first_manager_response_us", "asked_quarter", "sla_due_at",
)  # fmt: skip
_ROWS = f"SELECT {', '.join(ROW)} FROM inquiry WHERE asked_at >= ? AND asked_at < ?"


@dataclass(frozen=True)
class Window:
    """The questions asked at or after `low` and before `high`, of one platform or all."""

    low: datetime
    high: datetime
    platform: str | None = None

    def params(self, **more: object) -> dict[str, object]:
        return {"low": self.low, "high": self.high, "platform": self.platform, **more}


def rows(session: Session, window: Window) -> list[tuple]:
    """Every question of the window, "not a question" ones too, as the columns of ROW (the
    times as the database stores them: `instant` reads one)."""
    when = bind_value(session, Inquiry.__table__.c.asked_at)  # type: ignore[attr-defined]
    params: list[object] = [when(window.low), when(window.high)]
    if window.platform is None:
        return fetch(session, _ROWS, params)
    return fetch(session, f"{_ROWS} AND platform = ?", [*params, window.platform])


def instant(session: Session) -> Callable[[object], datetime]:
    """What makes a time as `rows` gives it an aware UTC datetime."""
    return result_value(session, Inquiry.__table__.c.asked_at)  # type: ignore[attr-defined]


def one_by_one(session: Session, window: Window) -> list[tuple[datetime, int | None]]:
    """Each question of the window (none marked "not a question"): when it was asked, and
    microseconds to its first response."""
    rows = session.execute(_one_by_one(window.platform is not None), window.params())
    return [(asked, first) for asked, first in rows]


@cache
def _one_by_one(platform: bool) -> Select:
    when = UTCDateTime()
    inside = [
        Inquiry.asked_at >= bindparam("low", type_=when),
        Inquiry.asked_at < bindparam("high", type_=when),
        Inquiry.status != DISMISSED,
    ]
    if platform:
        inside.append(Inquiry.platform == bindparam("platform"))
    return select(Inquiry.asked_at, Inquiry.first_response_us).where(*inside)
