"""Catching up on what a platform delivered while Steward was away: where to start (kept
until the channel is caught up), and recording what was missed (deduplicated by platform
event id, like live events)."""

from __future__ import annotations

from collections.abc import AsyncIterable
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.core.events import EventKind, InboundEvent, MemberRef
from bot.store.models import Channel, Interaction, Member

if TYPE_CHECKING:
    from bot.core.adapter import Core

_POSTS = (EventKind.MESSAGE.value, EventKind.REPLY.value, EventKind.MESSAGE_SHARED.value)


def last_message_id(session: Session, platform: str, channel_id: str) -> str | None:
    """The platform id of the newest message recorded in `channel_id` (its threads included),
    or None when nothing was recorded there."""
    query = (
        select(Interaction.message_id)
        .join(Channel, Channel.id == Interaction.channel_id)
        .where(
            Channel.platform == platform,
            Channel.platform_channel_id == channel_id,
            Interaction.kind.in_(_POSTS),
        )
        .order_by(Interaction.created_at.desc(), Interaction.id.desc())
        .limit(1)
    )
    return session.exec(query).first()


def author_of(session: Session, platform: str, message_id: str) -> MemberRef | None:
    """Who posted the message with this platform id, as recorded (None: not recorded)."""
    query = (
        select(Member.platform_user_id, Member.name)
        .join(Interaction, Interaction.member_id == Member.id)
        .where(
            Interaction.platform == platform,
            Interaction.message_id == message_id,
            Interaction.kind.in_(_POSTS),
        )
        .limit(1)
    )
    row = session.exec(query).first()
    return MemberRef(platform, row[0], row[1]) if row is not None else None


BATCH = 500  # fetched events recorded per call


async def record_fetched(core: Core, events: AsyncIterable[InboundEvent | None]) -> int:
    """Record what an adapter fetches after downtime, `BATCH` events at a time (a None is
    something not to record: a system message, the bot's own post); how many were new.
    When the fetching fails, what was read before is recorded still."""
    added, batch = 0, []
    try:
        async for event in events:
            if event is not None:
                batch.append(event)
            if len(batch) >= BATCH:
                taken, batch = batch, []
                added += await core.record_history(taken)
    finally:
        if batch:
            added += await core.record_history(batch)
    return added


def _point_key(channel_id: str) -> str:
    return f"catch-up:{channel_id}"


async def starting_point(core: Core, platform: str, channel_id: str) -> str | None:
    """Where a channel's catch-up starts: its newest recorded message, or the older point
    kept by a catch-up that did not finish (live messages recorded since then must not
    hide the ones it never read). Kept until `caught_up`; None: nothing recorded there.
    Message ids are numbers growing with time (Discord snowflakes, Slack `ts`)."""
    key = _point_key(channel_id)
    kept = await core.recall(platform, key) or None
    last = await core.last_message_id(platform, channel_id)
    point = min((p for p in (kept, last) if p), key=Decimal, default=None)
    if point is not None and point != kept:
        await core.keep(platform, key, point)
    return point


async def caught_up(core: Core, platform: str, channel_id: str) -> None:
    """The channel's catch-up finished: its next one starts at its newest recorded message."""
    await core.keep(platform, _point_key(channel_id), "")
