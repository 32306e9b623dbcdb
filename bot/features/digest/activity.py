"""The interactions of a digest week, by kind, channel, local day and local hour.

Counted: engaging interactions (presence's definition: no reaction taken back, none in a
managers' channel), bots' left out. The database counts them by local hour, channel and kind
(hourly); bots' rows are counted apart, from the member index, and taken off, so the week's
million rows are not each checked against the member table. Members active on each day are
index probes, one per member and day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlmodel import Session

from bot.features.digest.figures import ActivityFigures, ChannelActivity
from bot.features.digest.hourly import VOTE, LocalHour, hourly_counts, local_hours
from bot.features.digest.presence import engaged, here_at
from bot.features.member_stats import ENGAGING
from bot.store.models import Channel

COUNTED = frozenset(ENGAGING) | {VOTE}


def activity_figures(
    session: Session, start: datetime, end: datetime, zone: ZoneInfo
) -> ActivityFigures:
    """The interactions of the week [start, end) (UTC), its days and hours local to `zone`.

    messages, replies, reactions (not taken back), shares and votes (poll vote clicks) by
    kind; `interactions` every engaging one; channels busiest first; `active_by_day` the
    members counted at `end` with an engaging interaction on each local day. `entries` is
    left 0 (the contests' figure).
    """
    hours = local_hours(start, end, zone)
    if not hours:
        return ActivityFigures()
    managers = set(session.execute(select(Channel.id).where(Channel.is_admin)).scalars())
    bots = {row[:4]: row[4] for row in hourly_counts(session, hours, bots=True)}
    tally = _Tally(1 + hours[-1].day)
    tally.add(hourly_counts(session, hours), bots, managers)
    kinds = tally.kinds
    return ActivityFigures(
        messages=kinds["message"],
        replies=kinds["reply"],
        reactions=kinds["reaction_added"],
        shares=kinds["message_shared"],
        votes=kinds[VOTE],
        interactions=sum(kinds.values()),
        channels=_channels(session, tally.channels),
        by_day=tuple(tally.by_day),
        active_by_day=_active_by_day(session, hours, not tally.in_managers_channels),
        by_hour=tuple(tally.by_hour),
    )


class _Tally:
    """The week's counts: by kind, local day and hour, and channel."""

    def __init__(self, days: int) -> None:
        self.by_day = [0] * days
        self.by_hour = [0] * 24
        self.kinds: Counter[str] = Counter()
        self.channels: defaultdict[int, Counter[str]] = defaultdict(Counter)
        self.in_managers_channels = 0  # rows there, of any kind, left out of every count

    def add(self, rows: Iterable[tuple], bots: dict[tuple, int], managers: set[int]) -> None:
        """Count `rows` (day, hour, channel, kind, rows), less the bots' of the same."""
        by_day, by_hour, kinds, channels = self.by_day, self.by_hour, self.kinds, self.channels
        for day, hour, channel, kind, count in rows:
            if bots:
                count -= bots.get((day, hour, channel, kind), 0)
            if channel in managers:
                self.in_managers_channels += count
            elif kind in COUNTED and count:
                by_day[day] += count
                by_hour[hour] += count
                kinds[kind] += count
                if channel is not None:
                    channels[channel][kind] += count


def _channels(session: Session, per_channel: dict[int, Counter]) -> tuple[ChannelActivity, ...]:
    """The channels with interactions, busiest first (then by name)."""
    if not per_channel:
        return ()
    found = session.execute(
        select(Channel.id, Channel.platform, Channel.platform_channel_id, Channel.name).where(
            Channel.id.in_(list(per_channel))
        )
    )
    channels = [
        ChannelActivity(
            platform=platform,
            channel_id=channel_id,
            name=name,
            messages=per_channel[row_id]["message"],
            replies=per_channel[row_id]["reply"],
            reactions=per_channel[row_id]["reaction_added"],
            total=sum(per_channel[row_id].values()),
        )
        for row_id, platform, channel_id, name in found
    ]
    return tuple(sorted(channels, key=lambda c: (-c.total, c.name, c.platform, c.channel_id)))


def _active_by_day(session: Session, hours: list[LocalHour], anywhere: bool) -> tuple[int, ...]:
    """Members counted at the end with an engaging interaction on each local day
    (`anywhere`: no row was in a managers' channel, so the probes need not read channels)."""
    days = 1 + hours[-1].day
    bounds = {f"d{hour.day}": hour.start for hour in reversed(hours)}
    bounds[f"d{days}"] = hours[-1].end
    row = session.execute(_active_by_day_query(days, anywhere), bounds).one()
    return tuple(int(count or 0) for count in row)


@cache
def _active_by_day_query(days: int, anywhere: bool):
    def on(first: int, last: int):
        return engaged(f"d{first}", f"d{last}", anywhere=anywhere)

    each = [func.sum(case((on(d, d + 1), 1), else_=0)) for d in range(days)]
    return select(*each).where(here_at(f"d{days}"), on(0, days))
