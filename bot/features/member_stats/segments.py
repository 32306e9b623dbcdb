"""Member segments: new, active, returning and lurking members, counted in the database.

Members counted are people in the community now: not bots, and not gone (a member who left
and has not joined again). A member's join date is the one the platform gave (`joined_at`:
given when Steward first saw them, or a join Steward saw), else the first time Steward saw
them. An interaction is a row of the member's own in the interaction log of an ENGAGING kind.

Each member's segments are read from the log by index probes (`ix_interaction_member_time`:
member, time, kind), a few per member, never by scanning the windows' rows. `last_seen_at` is
not used: it is written up to a minute late, counts joins and leaves, and says nothing of the
weeks before the active window that `returning` needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, exists, func, literal_column, not_, or_, select
from sqlmodel import Session

from bot.core.events import EventKind
from bot.store.models import Interaction, Member

NEW_DAYS = 14  # new: joined in the last 14 days
ACTIVE_DAYS = 7  # active: an interaction in the last 7 days
RETURNING_GAP_DAYS = 28  # returning: active, after no interaction in the 28 days before those 7
LURKING_DAYS = 30  # lurking: no interaction in the last 30 days

# What a member does to engage. Not joining or leaving (standing, not engaging), not taking a
# reaction back, not a deletion (a platform may record a moderator's under the author).
ENGAGING = tuple(
    kind.value
    for kind in (
        EventKind.MESSAGE,
        EventKind.REPLY,
        EventKind.REACTION_ADDED,
        EventKind.MESSAGE_EDITED,
        EventKind.MESSAGE_SHARED,
        EventKind.THREAD_CREATED,
        EventKind.COMMAND,
        EventKind.BUTTON,
        EventKind.FORM,
    )
)

_KINDS = [literal_column(f"'{kind}'") for kind in ENGAGING]


@dataclass(frozen=True)
class Segments:
    """How many counted members are in each segment (they overlap), and where join dates came
    from: `members` is every member counted; the join dates of the rest are unknown."""

    new: int = 0
    active: int = 0
    returning: int = 0
    lurking: int = 0
    members: int = 0
    joined_from_platform: int = 0
    joined_from_first_seen: int = 0

    def __add__(self, other: Segments) -> Segments:
        return Segments(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def joined_unknown(self) -> int:
        """Members with neither a join date nor a first-seen time."""
        return self.members - self.joined_from_platform - self.joined_from_first_seen


def segment_counts(session: Session, now: datetime, platform: str | None = None) -> Segments:
    """The segments at `now` of one platform's members, or of every platform's together."""
    return total(segments_by_platform(session, now, platform).values())


def total(parts: Iterable[Segments]) -> Segments:
    """The segments of several platforms together (a member is on one platform)."""
    return sum(parts, Segments())


def segments_by_platform(
    session: Session, now: datetime, platform: str | None = None
) -> dict[str, Segments]:
    """The segments at `now` of each platform with members counted (of `platform` alone)."""
    query = _SEGMENTS.where(Member.platform == platform) if platform is not None else _SEGMENTS
    rows = session.execute(query.group_by(Member.platform), _windows(now)).all()
    return {row[0]: Segments(*row[1:]) for row in rows}


def _windows(now: datetime) -> dict[str, datetime]:
    active_since = now - timedelta(days=ACTIVE_DAYS)
    return {
        "now": now,
        "new_since": now - timedelta(days=NEW_DAYS),
        "active_since": active_since,
        "gap_since": active_since - timedelta(days=RETURNING_GAP_DAYS),
        "lurking_since": now - timedelta(days=LURKING_DAYS),
    }


def _engaged(since: str, until: str = "now", inclusive: bool = True):
    """Whether the member has an interaction from `since` up to `until` (parameter names)."""
    log = Interaction
    upto = bindparam(until)
    return exists().where(
        log.member_id == Member.id,
        log.created_at >= bindparam(since),
        log.created_at <= upto if inclusive else log.created_at < upto,
        log.kind.in_(_KINDS),  # literals: one statement, its plan kept
    )


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _segments_query():
    """Per platform: the segment counts and join-date sources of the members counted."""
    joined = func.coalesce(Member.joined_at, Member.first_seen_at)
    active = _engaged("active_since")
    settled = joined < bindparam("gap_since")  # a member before the gap began
    quiet_in_gap = not_(_engaged("gap_since", "active_since", inclusive=False))
    here = or_(
        Member.left_at.is_(None),
        and_(Member.joined_at.is_not(None), Member.left_at < Member.joined_at),
    )
    return select(
        Member.platform,
        _count(and_(joined >= bindparam("new_since"), joined <= bindparam("now"))),
        _count(active),
        _count(and_(settled, active, quiet_in_gap)),  # in this order: each probe only if due
        _count(not_(_engaged("lurking_since"))),
        func.count(),
        _count(Member.joined_at.is_not(None)),
        _count(and_(Member.joined_at.is_(None), Member.first_seen_at.is_not(None))),
    ).where(not_(Member.is_bot), here)


_SEGMENTS = _segments_query()
