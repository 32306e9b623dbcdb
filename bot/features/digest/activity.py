"""The interactions of a digest week, by kind, channel, local day and local hour.

Counted: engaging interactions (presence's definition: no reaction taken back, none in a
managers' channel), bots' left out. They are read from the interaction tally (hourly), bots'
rows read apart and taken off. Members active on each day are index probes, one per member
and day.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, select
from sqlmodel import Session

from bot.features.digest.figures import ActivityFigures, ChannelActivity
from bot.features.digest.hourly import VOTE, LocalHour, bots_counts, local_hours, week_counts
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
    counts = week_counts(session, hours, COUNTED, managers)
    counts = counts.without(bots_counts(session, hours, COUNTED, managers))
    kinds: Counter[str] = Counter()
    channels: defaultdict[int, Counter[str]] = defaultdict(Counter)
    in_managers_channels = 0  # rows there, of any kind, left out of every count
    for (channel, kind), count in counts.by_channel.items():
        if channel in managers:
            in_managers_channels += count
        elif kind in COUNTED and count:
            kinds[kind] += count
            if channel:
                channels[channel][kind] += count
    by_day, by_hour = [0] * (1 + hours[-1].day), [0] * 24
    for (day, hour), count in counts.by_hour.items():
        by_day[day] += count
        by_hour[hour] += count
    return ActivityFigures(
        messages=kinds["message"],
        replies=kinds["reply"],
        reactions=kinds["reaction_added"],
        shares=kinds["message_shared"],
        votes=kinds[VOTE],
        interactions=sum(kinds.values()),
        channels=_channels(session, channels),
        by_day=tuple(by_day),
        active_by_day=_active_by_day(session, hours, not in_managers_channels),
        by_hour=tuple(by_hour),
    )


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
