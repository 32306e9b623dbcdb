"""`/stats me`: a member's own engagement over the last 7 and 30 days, told privately.

A window of 7 days is the last 7 dates in the community's time zone, today included, as a
member reads "the last 7 days"; the figures are counted in the database, one row per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, bindparam, case, func, literal_column, select, union_all
from sqlmodel import Session

from bot.core.context import CommandContext
from bot.core.directory import Directory
from bot.core.events import EventKind, MemberRef
from bot.core.messages import Message, Section
from bot.store.models import Interaction

WINDOWS = (7, 30)
_ADDED = EventKind.REACTION_ADDED.value


@dataclass(frozen=True)
class Engagement:
    """What a member did in one window of days."""

    messages: int = 0
    replies: int = 0
    reactions_given: int = 0
    reactions_received: int = 0
    days_active: int = 0


async def stats_me(ctx: CommandContext) -> None:
    windows = await ctx.app.store.run(
        _member_engagement, ctx.app.directory, ctx.member, ctx.now, ctx.zone
    )
    await ctx.reply(render_engagement(ctx.member.name, windows))


def _member_engagement(
    session: Session, directory: Directory, member: MemberRef, now: datetime, zone: ZoneInfo
) -> dict[int, Engagement]:
    return engagement(session, directory.member_id(session, member), now, zone)


def engagement(
    session: Session, member_id: int, now: datetime, zone: ZoneInfo
) -> dict[int, Engagement]:
    """The member's engagement in each window of WINDOWS local dates ending today."""
    today = now.astimezone(zone).date()
    since = local_midnight(today - timedelta(days=max(WINDOWS) - 1), zone)
    params: dict[str, object] = {"member": member_id, "since": since, "now": now}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        params["zone"], stretches = zone.key, 1
    else:  # SQLite knows no time zones: the window's stretches of fixed offset
        found = offset_stretches(zone, since, now)
        stretches = len(found)
        for n, (start, minutes) in enumerate(found):
            params[f"from{n}"], params[f"shift{n}"] = start, f"{minutes:+d} minutes"
    days = session.execute(_per_day(dialect, stretches), params).all()
    return {span: _window(days, today - timedelta(days=span - 1)) for span in WINDOWS}


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """When `day` begins in `zone` (as an aware datetime)."""
    return datetime.combine(day, time(), tzinfo=zone)


@cache
def _per_day(dialect: str, stretches: int):
    """One row per local date: the member's messages, replies and reactions given (those
    taken back left out), the reactions they received, and their acts that make a day active.

    The member's own rows and the reactions others gave them are read from an index each.
    Built once per dialect and number of clock stretches; the values are parameters.
    """
    log = Interaction
    member = bindparam("member")
    in_window = (log.created_at >= bindparam("since"), log.created_at <= bindparam("now"))
    day = _local_date(dialect, stretches)
    own = select(
        day.label("day"),
        log.kind.label("kind"),
        log.removed_at.is_(None).label("kept"),
        literal_column("1").label("mine"),
    ).where(log.member_id == member, *in_window)
    received = select(
        day, literal_column(f"'{_ADDED}'"), literal_column("true"), literal_column("0")
    ).where(
        log.target_member_id == member,
        log.kind == literal_column(f"'{_ADDED}'"),  # a literal: the partial index applies
        log.removed_at.is_(None),
        log.member_id.is_distinct_from(member),
        *in_window,
    )
    both = union_all(own, received).subquery()
    mine = both.c.mine == 1
    return select(
        both.c.day,
        _count(and_(mine, both.c.kind == EventKind.MESSAGE.value)),
        _count(and_(mine, both.c.kind == EventKind.REPLY.value)),
        _count(and_(mine, both.c.kind == _ADDED, both.c.kept)),
        _count(both.c.mine == 0),
        _count(and_(mine, both.c.kind != EventKind.MEMBER_LEFT.value)),
    ).group_by(both.c.day)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def _local_date(dialect: str, stretches: int):
    """The local date of `created_at` as YYYY-MM-DD, in the database itself."""
    column = Interaction.created_at
    if dialect == "postgresql":
        return func.to_char(func.timezone(bindparam("zone"), column), "YYYY-MM-DD")

    def shifted(n: int):
        return func.date(column, bindparam(f"shift{n}"))

    if stretches == 1:
        return shifted(0)
    later = [(column >= bindparam(f"from{n}"), shifted(n)) for n in range(stretches - 1, 0, -1)]
    return case(*later, else_=shifted(0))


def offset_stretches(
    zone: ZoneInfo, since: datetime, until: datetime
) -> list[tuple[datetime, int]]:
    """(start, UTC offset in minutes) of each stretch of `zone`'s clock from `since` to `until`."""
    stretches = [(since, _offset(zone, since))]
    day = timedelta(days=1)
    at = since
    while at < until:
        later = min(at + day, until)
        if _offset(zone, later) != stretches[-1][1]:
            change = _change_between(zone, at, later)
            stretches.append((change, _offset(zone, change)))
        at = later
    return stretches


def _change_between(zone: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first second at which `zone`'s offset differs from its offset at `before`."""
    offset = _offset(zone, before)
    low, high = int(before.timestamp()), int(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, datetime.fromtimestamp(middle, zone)) == offset:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, zone)


def _offset(zone: ZoneInfo, at: datetime) -> int:
    offset = at.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _window(days, first: date) -> Engagement:
    start = first.isoformat()
    picked = [row for row in days if row[0] is not None and row[0] >= start]
    return Engagement(
        messages=sum(row[1] for row in picked),
        replies=sum(row[2] for row in picked),
        reactions_given=sum(row[3] for row in picked),
        reactions_received=sum(row[4] for row in picked),
        days_active=sum(1 for row in picked if row[5]),
    )


def render_engagement(name: str, windows: dict[int, Engagement]) -> Message:
    labels = (
        ("Messages", "messages"),
        ("Replies", "replies"),
        ("Reactions given", "reactions_given"),
        ("Reactions received", "reactions_received"),
        ("Days active", "days_active"),
    )
    heading = " · ".join(f"{days} days" for days in WINDOWS)
    fields = tuple(
        (label, " · ".join(str(getattr(windows[d], attr)) for d in WINDOWS))
        for label, attr in labels
    )
    return Message(
        text=f"Your engagement, {name}",
        sections=(Section(title=f"Last {heading}", fields=fields),),
    )
