"""The week's top contributors: members counted at its end, by messages, replies and reactions
given (not taken back) in it, outside the managers' channels; never one who asked not to be
named.

Each member's rows in the week, of any kind and anywhere, are counted from the member index
alone (no table row read, no column checked): an upper bound of what they contributed. The
members with the highest bounds are counted exactly (their rows' kinds and channels read),
more of them until no member left out could still outrank the last one listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Row, bindparam, func, select
from sqlmodel import Session

from bot.core.events import EventKind
from bot.features.digest.figures import Contributor
from bot.features.digest.presence import here_at, kinds, outside_managers_channels
from bot.store.models import Channel, Interaction, Member

CONTRIBUTING = (
    EventKind.MESSAGE.value,
    EventKind.REPLY.value,
    EventKind.REACTION_ADDED.value,
)


def top_contributors(
    session: Session,
    start: datetime,
    end: datetime,
    hidden: Collection[int],
    limit: int = 5,
) -> tuple[Contributor, ...]:
    """Up to `limit` members (none in `hidden`) with the most messages, replies and reactions
    in [start, end), most first, then by name and id; a member with none is not listed."""
    if limit <= 0:
        return ()
    params = {"start": start, "end": end, "hidden": list(hidden)}
    found = session.execute(_bounds_query(), params)
    bounds = sorted((row for row in found if row[3]), key=lambda row: (-row[3], row[0]))
    managers = session.execute(select(Channel.id).where(Channel.is_admin)).first() is not None
    ranked: list[Contributor] = []
    checked, batch = 0, limit + 1
    while checked < len(bounds) and not _settled(ranked, limit, bounds[checked][3]):
        counted = _exact(session, bounds[checked : checked + batch], params, managers)
        ranked = sorted([*ranked, *counted], key=lambda c: (-c.total, c.name, c.member_id))
        ranked = ranked[:limit]
        checked, batch = checked + batch, 2 * batch
    return tuple(ranked)


def _settled(ranked: list[Contributor], limit: int, next_bound: int) -> bool:
    """No member not counted yet (at most `next_bound` rows each) could outrank the last."""
    return len(ranked) == limit and ranked[-1].total > next_bound


@cache
def _bounds_query():
    """Counted members not hidden, with all their rows in the week."""
    log = Interaction
    rows = (
        select(func.count())
        .where(
            log.member_id == Member.id,
            log.created_at >= bindparam("start"),
            log.created_at < bindparam("end"),
        )
        .scalar_subquery()
    )
    hidden = bindparam("hidden", expanding=True)
    return select(Member.id, Member.name, Member.platform, rows.label("rows")).where(
        here_at(), Member.id.not_in(hidden)
    )


def _exact(
    session: Session, members: Sequence[Row], params: dict, managers: bool
) -> list[Contributor]:
    """The contributions of `members` (id, name, platform, bound), those in a managers'
    channel left out (`managers`: there is such a channel)."""
    log = Interaction
    ids = [row[0] for row in members]
    query = (
        select(log.member_id, log.kind, func.count())
        .where(
            log.member_id.in_(ids),
            log.created_at >= params["start"],
            log.created_at < params["end"],
            log.kind.in_(kinds(CONTRIBUTING)),
            log.removed_at.is_(None),
        )
        .group_by(log.member_id, log.kind)
    )
    if managers:
        query = query.where(outside_managers_channels())
    counts: dict[int, Counter] = {member_id: Counter() for member_id in ids}
    for member_id, kind, count in session.execute(query):
        counts[member_id][kind] = count
    return [
        Contributor(
            member_id=member_id,
            name=name,
            platform=platform,
            messages=counts[member_id][EventKind.MESSAGE.value],
            replies=counts[member_id][EventKind.REPLY.value],
            reactions=counts[member_id][EventKind.REACTION_ADDED.value],
        )
        for member_id, name, platform, _ in members
        if counts[member_id].total()
    ]
