"""`/stats me`: a member's own engagement over the last 7 and 30 days, told privately."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, or_, select

from bot.core.app import Steward
from bot.core.context import CommandContext
from bot.core.events import EventKind
from bot.core.feature import Feature
from bot.core.messages import Message, Section
from bot.store.models import Interaction

WINDOWS = (7, 30)
_ACTIVE_KINDS = {k.value for k in EventKind} - {EventKind.MEMBER_LEFT.value}


@dataclass(frozen=True)
class Engagement:
    """What a member did in one window of days."""

    messages: int = 0
    replies: int = 0
    reactions_given: int = 0
    reactions_received: int = 0
    days_active: int = 0


def install(app: Steward) -> None:
    app.registry.command("stats me", "Your own engagement in the last 7 and 30 days (private).")(
        stats_me
    )


async def stats_me(ctx: CommandContext) -> None:
    member_id = await ctx.app.store.run(ctx.app.directory.member_id, ctx.member)
    windows = await ctx.app.store.run(engagement, member_id, ctx.now, ctx.zone)
    await ctx.reply(render_engagement(ctx.member.name, windows))


def engagement(
    session: Session, member_id: int, now: datetime, zone: ZoneInfo
) -> dict[int, Engagement]:
    """The member's engagement for each window in WINDOWS, ending at `now`."""
    since = now - timedelta(days=max(WINDOWS))
    rows = session.exec(
        select(Interaction.kind, Interaction.member_id, Interaction.created_at).where(
            or_(Interaction.member_id == member_id, Interaction.target_member_id == member_id),
            Interaction.created_at > since,
            Interaction.created_at <= now,
        )
    ).all()
    return {days: _count(rows, member_id, now - timedelta(days=days), zone) for days in WINDOWS}


def _count(rows, member_id: int, since: datetime, zone: ZoneInfo) -> Engagement:
    own: Counter[str] = Counter()
    received = 0
    days = set()
    for kind, actor, at in rows:
        if at <= since:
            continue
        if actor == member_id:
            own[kind] += 1
            if kind in _ACTIVE_KINDS:
                days.add(at.astimezone(zone).date())
        elif kind == EventKind.REACTION_ADDED:
            received += 1
    return Engagement(
        messages=own[EventKind.MESSAGE],
        replies=own[EventKind.REPLY],
        reactions_given=own[EventKind.REACTION_ADDED],
        reactions_received=received,
        days_active=len(days),
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


FEATURE = Feature("member_stats", install)
