"""A week's interactions counted by local hour, channel and kind, in the database.

The week is cut into its local hours in the community's zone (a day with a daylight-saving
change has 23 or 25 hours of clock time; an hour that comes twice is one local hour), their
UTC bounds computed here: every database counts by the same bounds, and needs no time zones.
Each hour's rows are grouped on their own, a few thousand at a time rather than the week's
million (the grouping is most of the cost, and stays in memory): on SQLite in a correlated
subquery that answers in JSON, on PostgreSQL in a LATERAL one.

Reactions taken back are left out here; which kinds count, and whose, is the caller's.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    column,
    func,
    literal_column,
    select,
    text,
    true,
)
from sqlmodel import Session

from bot.store.models import Interaction, Member, UTCDateTime

VOTE = "vote"  # a poll vote: a button click whose action is a poll's
VOTE_ACTION = "poll:vote:"
QUARTER = timedelta(minutes=15)  # every zone's offsets and changes fall on a quarter hour


@dataclass(frozen=True)
class LocalHour:
    """One hour of the community's clock in the week, and its UTC bounds."""

    day: int  # 0: the week's first local date
    hour: int
    start: datetime
    end: datetime


def local_hours(start: datetime, end: datetime, zone: ZoneInfo) -> list[LocalHour]:
    """The local hours from `start` to `end` (UTC instants), in time order."""
    first = start.astimezone(zone).date()
    hours: list[LocalHour] = []
    at = start.astimezone(UTC)
    while at < end:
        step = min(_next_quarter(at), end)
        local = at.astimezone(zone)
        day, hour = (local.date() - first).days, local.hour
        if hours and (hours[-1].day, hours[-1].hour) == (day, hour):
            hours[-1] = replace(hours[-1], end=step)
        else:
            hours.append(LocalHour(day, hour, at, step))
        at = step
    return hours


def _next_quarter(at: datetime) -> datetime:
    return at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0) + QUARTER


def hourly_counts(
    session: Session, hours: list[LocalHour], bots: bool = False
) -> Iterator[tuple[int, int, int | None, str, int]]:
    """(local day, local hour, channel row id, kind or VOTE, rows) of the rows in `hours`,
    of everyone or (`bots`) of bots alone; no reaction taken back."""
    params = {f"lo{n}": hour.start for n, hour in enumerate(hours)}
    params |= {f"hi{n}": hour.end for n, hour in enumerate(hours)}
    dialect = session.get_bind().dialect.name
    found = session.execute(_per_hour(dialect, len(hours), bots), params)
    if dialect != "sqlite":
        return ((hours[n].day, hours[n].hour, c, k, x) for n, c, k, x in found)
    return (
        (hours[n].day, hours[n].hour, c, k, x)
        for n, counted in found
        for c, k, x in json.loads(counted or "[]")
    )


@cache
def _per_hour(dialect: str, hours: int, bots: bool):
    """Each hour's rows (its bounds are parameters `lo<n>`, `hi<n>`) by channel and kind.
    Built once per dialect and number of hours in a week (167, 168 or 169)."""
    b = _hours_table(hours)
    log = Interaction
    each = (
        select(log.channel_id.label("c"), _kind_or_vote().label("k"), func.count().label("x"))
        .where(log.created_at >= b.c.lo, log.created_at < b.c.hi, log.removed_at.is_(None))
        .group_by(literal_column("1"), literal_column("2"))  # the channel first: cheaper
    )
    if bots:  # few rows: read by member from the member index
        each = each.where(log.member_id.in_(select(Member.id).where(Member.is_bot)))
    if dialect != "sqlite":
        rows = each.lateral("each")
        return select(b.c.n, rows.c.c, rows.c.k, rows.c.x).select_from(b.join(rows, true()))
    rows = each.correlate(b).subquery()
    listed = func.json_group_array(func.json_array(rows.c.c, rows.c.k, rows.c.x))
    return select(b.c.n, select(listed).scalar_subquery())


def _hours_table(hours: int):
    """The hours as a table (n, lo, hi), written out: the statement is compiled once."""
    at = UTCDateTime()
    rows = ", ".join(f"({n}, :lo{n}, :hi{n})" for n in range(hours))
    table = text(f"SELECT column1 AS n, column2 AS lo, column3 AS hi FROM (VALUES {rows}) AS v")
    bounds = (bindparam(f"{side}{n}", type_=at) for n in range(hours) for side in ("lo", "hi"))
    return (
        table.bindparams(*bounds)
        .columns(column("n", Integer), column("lo", at), column("hi", at))
        .cte("b")
    )


def _kind_or_vote():
    """A row's kind, VOTE for a poll's vote button."""
    log = Interaction
    vote = and_(
        log.kind == literal_column("'button'"),
        func.substr(log.detail, 1, len(VOTE_ACTION)) == literal_column(f"'{VOTE_ACTION}'"),
    )
    return case((vote, literal_column(f"'{VOTE}'")), else_=log.kind)
