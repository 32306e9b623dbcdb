"""A week's interactions by local hour, channel and kind, read from the interaction tally.

The week is cut into its local hours in the community's zone (a day with a daylight-saving
change has 23 or 25 hours of clock time; an hour that comes twice is one local hour), each a
run of the tally's quarter hours, so any zone's hours are exact. The database sums the week's
tally twice: by channel and kind, and by quarter hour for the kinds a caller counts outside
the channels it leaves out. Bots' rows, which the tally does not tell apart, are read from
the log by the member index (they are few) and counted the same way, for the caller to take
off. Reactions taken back are never in the tally.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, func, literal_column, select
from sqlmodel import Session

from bot.core.interaction_tally import key_of, quarter_of
from bot.store.models import Interaction, InteractionTally, Member

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


@dataclass
class WeekCounts:
    """A week's rows by (channel row (0: none), kind or VOTE), and by (local day, hour) of
    the kinds counted outside the channels left out."""

    by_channel: Counter[tuple[int, str]] = field(default_factory=Counter)
    by_hour: Counter[tuple[int, int]] = field(default_factory=Counter)

    def without(self, other: WeekCounts) -> WeekCounts:
        """These counts less `other`'s."""
        by_channel, by_hour = Counter(self.by_channel), Counter(self.by_hour)
        by_channel.subtract(other.by_channel)
        by_hour.subtract(other.by_hour)
        return WeekCounts(by_channel, by_hour)


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


def week_counts(
    session: Session, hours: list[LocalHour], counted: Collection[str], left_out: Collection[int]
) -> WeekCounts:
    """Everyone's rows in `hours`, from the tally."""
    params = {"lo": quarter_of(hours[0].start), "hi": quarter_of(hours[-1].end)}
    by_channel = Counter({(c, k): n for c, k, n in session.execute(_by_channel(), params)})
    params |= {"counted": list(counted), "left_out": list(left_out)}
    local = _hour_of_quarter(hours)
    by_hour: Counter[tuple[int, int]] = Counter()
    for quarter, n in session.execute(_by_quarter(), params):
        by_hour[local[quarter]] += n
    return WeekCounts(by_channel, by_hour)


def bots_counts(
    session: Session, hours: list[LocalHour], counted: Collection[str], left_out: Collection[int]
) -> WeekCounts:
    """Bots' rows in `hours`, from the log, counted as `week_counts` counts."""
    log = Interaction
    found = session.execute(
        select(log.created_at, log.channel_id, log.kind, log.detail).where(
            log.member_id.in_(select(Member.id).where(Member.is_bot)),
            log.created_at >= hours[0].start,
            log.created_at < hours[-1].end,
            log.removed_at.is_(None),
        )
    )
    return _count(map(tuple, found), _hour_of_quarter(hours), counted, left_out)


def _count(
    rows: Iterable[tuple],
    local: dict[int, tuple[int, int]],
    counted: Collection[str],
    left_out: Collection[int],
) -> WeekCounts:
    """Rows (time, channel, kind, detail) counted as the tally counts them."""
    counts = WeekCounts()
    for quarter, channel, kind, action in (key_of(*row) for row in rows):
        kind = VOTE if kind == "button" and action.startswith(VOTE_ACTION) else kind
        counts.by_channel[(channel, kind)] += 1
        if kind in counted and channel not in left_out:
            counts.by_hour[local[quarter]] += 1
    return counts


def _hour_of_quarter(hours: list[LocalHour]) -> dict[int, tuple[int, int]]:
    """Each quarter hour of the week: its local (day, hour)."""
    return {
        quarter: (hour.day, hour.hour)
        for hour in hours
        for quarter in range(quarter_of(hour.start), quarter_of(hour.end))
    }


def _kind_or_vote():
    """A tally row's kind, VOTE for a poll's vote button."""
    tally = InteractionTally
    vote = and_(
        tally.kind == literal_column("'button'"),
        func.substr(tally.action, 1, len(VOTE_ACTION)) == literal_column(f"'{VOTE_ACTION}'"),
    )
    return case((vote, literal_column(f"'{VOTE}'")), else_=tally.kind)


def _in_week():
    tally = InteractionTally
    return and_(tally.quarter >= bindparam("lo"), tally.quarter < bindparam("hi"))


@cache
def _by_channel():
    kind = _kind_or_vote().label("k")
    channel = InteractionTally.channel_id
    return (
        select(channel, kind, func.sum(InteractionTally.n))
        .where(_in_week())
        .group_by(channel, literal_column("2"))
    )


@cache
def _by_quarter():
    tally = InteractionTally
    return (
        select(tally.quarter, func.sum(tally.n))
        .where(
            _in_week(),
            _kind_or_vote().in_(bindparam("counted", expanding=True)),
            tally.channel_id.not_in(bindparam("left_out", expanding=True)),
        )
        .group_by(tally.quarter)
    )
