"""Catching up on what a platform delivered while Steward was away: where to start, and
recording what was missed (deduplicated by platform event id, like live events)."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Any

from sqlmodel import Session, select

from bot.core.events import EventKind, InboundEvent, MemberRef
from bot.store.models import Channel, Interaction, Member

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


async def record_fetched(core: Any, events: AsyncIterable[InboundEvent | None]) -> int:
    """Record what an adapter fetches after downtime, `BATCH` events at a time (a None is
    something not to record: a system message, the bot's own post); how many were new.
    `core` is the adapter's `Core` (its `record_history`)."""
    added, batch = 0, []
    async for event in events:
        if event is not None:
            batch.append(event)
        if len(batch) >= BATCH:
            added += await core.record_history(batch)
            batch = []
    if batch:
        added += await core.record_history(batch)
    return added
