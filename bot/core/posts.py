"""The bot's posts, remembered in one table (BotMessage) by what they are for.

A feature posts with `post_and_remember` and finds its posts again with `find_post`
(feature, ref id, role). A post is one (platform, channel, message id): a Slack `ts` is
unique only within its channel. Features keep no message ids.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.core.messages import Message, SentMessage
from bot.store.models import BotMessage

if TYPE_CHECKING:
    from bot.core.services import CoreServices

log = logging.getLogger(__name__)
Undo = Callable[[Session], object]


def remember(
    session: Session,
    sent: SentMessage,
    now: datetime,
    *,
    feature: str = "",
    ref_id: int | None = None,
    role: str = "",
    content_type: str | None = None,
) -> BotMessage:
    """Record a message the bot posted (flushed: its id is known)."""
    row = BotMessage(
        platform=sent.platform,
        channel_id=sent.channel_id,
        platform_message_id=sent.message_id,
        feature=feature,
        ref_id=ref_id,
        role=role,
        content_type=content_type,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def where(row: BotMessage) -> SentMessage:
    """Where a remembered post is, to edit it."""
    return SentMessage(row.platform, row.channel_id, row.platform_message_id)


def find_post(session: Session, feature: str, ref_id: int, role: str) -> SentMessage | None:
    """The latest post of `feature`'s `ref_id` in `role` ("poll", "results", …), or None."""
    row = session.exec(
        select(BotMessage)
        .where(BotMessage.feature == feature, BotMessage.ref_id == ref_id, BotMessage.role == role)
        .order_by(BotMessage.id.desc())
    ).first()
    return None if row is None else where(row)


async def post_and_remember(
    app: CoreServices,
    platform: str,
    channel_id: str,
    message: Message,
    *,
    feature: str,
    ref_id: int | None,
    role: str,
    content_type: str | None = None,
    undo: Undo | None = None,
) -> SentMessage:
    """Post `message` and remember it as `feature`'s `ref_id` in `role`.

    When the platform refuses it, `undo(session)` (if given) removes what was stored for it
    (a poll that could not be posted), and the error is raised.
    """
    try:
        return await app.send(
            platform,
            channel_id,
            message,
            feature=feature,
            ref_id=ref_id,
            role=role,
            content_type=content_type,
        )
    except Exception:
        if undo is not None:
            await app.store.run(undo)
        raise


async def edit_post(
    app: CoreServices, post: SentMessage | None, render: Callable[[], Awaitable[Message]]
) -> None:
    """Show what `render` returns on `post` (coalesced); a post gone from the platform is
    logged, never an error for the member whose action changed it."""
    if post is None:
        return
    try:
        await app.updates.request(post, render)
    except Exception:
        log.warning("could not edit %s", post, exc_info=True)


Settle = Callable[[Session, BotMessage], object]  # runs where a post is remembered


def remember_settled(
    session: Session, sent: SentMessage, record: dict, now: datetime, settle: Settle | None
) -> None:
    """Remember a post (`record`: remember's keywords), then `settle(session, row)` in the
    same transaction."""
    row = remember(session, sent, now, **record)
    if settle is not None:
        settle(session, row)
