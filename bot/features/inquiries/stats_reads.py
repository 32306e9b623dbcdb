"""What `/inquiries stats` reads: a window's questions channel by channel, UTC quarter hour by
quarter hour, and the waiting and dismissed ones, each from an index that holds them in that
order with what the figures need (so the database reads no table row and sorts nothing).

A window is the questions asked at or after `low` and before `high`. A group's response
times come as one text of microseconds (`12000000,540000000`), parsed and sorted here: tens
of thousands of times cost a few milliseconds that way, a row each several times that. The
statements are built once (building one for each call cost as much as running it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, Select, String, bindparam, case, cast, func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from bot.features.inquiries.store import DISMISSED, WAITING, Inquiry
from bot.store.models import UTCDateTime

QUARTERS = tuple(range(96))


@dataclass(frozen=True)
class Window:
    """The questions asked at or after `low` and before `high`, of one platform or all."""

    low: datetime
    high: datetime
    platform: str | None = None

    def params(self, **more: object) -> dict[str, object]:
        return {"low": self.low, "high": self.high, "platform": self.platform, **more}


@dataclass(frozen=True)
class ChannelRead:
    """A channel's questions in the window (none marked "not a question")."""

    channel_id: str
    asked: int
    by_managers: int  # first answered by a manager
    first_asked: datetime  # the earliest asked
    first: str | None  # microseconds to each first response, comma-separated
    manager: str | None  # and to each manager's first response


def in_order(*listed: str | None) -> list[int]:
    """The microseconds in groups' texts, smallest first."""
    return sorted(parsed(*listed))


def parsed(*listed: str | None) -> list[int]:
    """The microseconds in groups' texts (JSON's parser reads them faster than `int`)."""
    return json.loads(f"[{','.join(text for text in listed if text)}]")


def by_channel(session: Session, window: Window) -> list[ChannelRead]:
    """The window's questions of each channel."""
    rows = session.execute(_by_channel(window.platform is not None), window.params())
    return [ChannelRead(*row) for row in rows]


def by_quarter(session: Session, window: Window) -> list[tuple[int, int, str | None]]:
    """For each UTC quarter hour of the day: how many questions of the window were asked in
    it, and the microseconds to each first response."""
    rows = session.execute(_by_quarter(window.platform is not None), window.params())
    return [(quarter, asked, listed) for quarter, asked, listed in rows]


def one_by_one(session: Session, window: Window) -> list[tuple[datetime, int | None]]:
    """Each question of the window: when it was asked, microseconds to its first response."""
    rows = session.execute(_one_by_one(window.platform is not None), window.params())
    return [(asked, first) for asked, first in rows]


def by_status(session: Session, window: Window, now: datetime) -> tuple[int, int, int]:
    """How many of the window's questions wait for a first response, how many of those are
    past their SLA at `now`, and how many were marked "not a question"."""
    rows = session.execute(_by_status(window.platform is not None), window.params(now=now))
    counts = {status: (n, overdue) for status, n, overdue in rows}
    waiting, overdue = counts.get(WAITING, (0, 0))
    return waiting, overdue, counts.get(DISMISSED, (0, 0))[0]


# ---- the statements -----------------------------------------------------------------------
def _asked_within(platform: bool, table=Inquiry) -> list[ColumnElement[bool]]:
    """Asked in the window (`low`, `high` and `platform` are bound when the statement runs)."""
    when = UTCDateTime()
    inside = [
        table.asked_at >= bindparam("low", type_=when),
        table.asked_at < bindparam("high", type_=when),
    ]
    return [*inside, table.platform == bindparam("platform")] if platform else inside


def _window(platform: bool, table=Inquiry) -> list[ColumnElement[bool]]:
    """Asked in the window and not marked "not a question" (left out of every figure but
    their count)."""
    return [*_asked_within(platform, table), table.status != DISMISSED]


@cache
def _by_channel(platform: bool) -> Select:
    by_manager = case((Inquiry.first_response_by_manager.is_(True), Inquiry.first_response_us))
    return (
        select(
            Inquiry.home_channel_id,
            func.count(),
            func.count(by_manager),
            _first_asked(platform),
            _listed(Inquiry.first_response_us),
            _listed(Inquiry.first_manager_response_us),
        )
        .where(Inquiry.home_channel_id.in_(_homes()), *_window(platform))
        .group_by(Inquiry.home_channel_id)
    )


def _first_asked(platform: bool):
    """When the channel's first question in the window was asked: the first entry of its
    part of the index (an aggregate would look at every question)."""
    other = aliased(Inquiry)
    return (
        select(func.min(other.asked_at))
        .where(other.home_channel_id == Inquiry.home_channel_id, *_window(platform, other))
        .scalar_subquery()
    )


@cache
def _by_quarter(platform: bool) -> Select:
    return (
        select(Inquiry.asked_quarter, func.count(), _listed(Inquiry.first_response_us))
        .where(Inquiry.asked_quarter.in_(QUARTERS), *_window(platform))
        .group_by(Inquiry.asked_quarter)
    )


@cache
def _one_by_one(platform: bool) -> Select:
    return select(Inquiry.asked_at, Inquiry.first_response_us).where(*_window(platform))


@cache
def _by_status(platform: bool) -> Select:
    overdue = case((Inquiry.sla_due_at <= bindparam("now", type_=UTCDateTime()), 1))
    return (
        select(Inquiry.status, func.count(), func.count(overdue))
        .where(
            Inquiry.status.in_((WAITING, DISMISSED)),
            *_asked_within(platform),
            or_(Inquiry.status == DISMISSED, Inquiry.first_response_us.is_(None)),
        )
        .group_by(Inquiry.status)
    )


def _listed(column) -> ColumnElement[str]:
    """A group's values as one text, comma-separated (NULLs left out)."""
    return func.aggregate_strings(cast(column, String), ",")


def _homes() -> Select:
    """Every home channel that has a question, one index step each (a loose index scan), so
    a window is read channel by channel without the rest of the index."""
    home = Inquiry.home_channel_id
    homes = select(func.min(home).label("id")).cte("homes", recursive=True)
    following = select(func.min(home)).where(home > homes.c.id).scalar_subquery()
    homes = homes.union_all(select(following).where(homes.c.id.is_not(None)))
    return select(homes.c.id).where(homes.c.id.is_not(None))
