"""Catching up after downtime: each tracked channel's messages since the last one recorded
(`conversations.history`, paginated) and the replies in their threads
(`conversations.replies`), recorded once by channel and `ts`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from adapters.slack.directory import pages
from adapters.slack.inbound import PLATFORM
from bot.core.history import caught_up, record_fetched, starting_point

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)

THREAD_DAYS = 7  # how far back a catch-up looks for threads replied to while Steward was away


async def starting_points(adapter: SlackAdapter) -> dict[str, str]:
    """Each channel Steward is in with its newest recorded message's `ts` (or an older point
    an unfinished catch-up left), read and kept before live events are taken in. A channel
    never recorded has none: its past is for `steward import`."""
    app = adapter.require_app()
    points = {}
    for place in adapter.directory.places.values():
        if not place.is_member:
            continue
        last = await starting_point(app, PLATFORM, place.channel_id)
        if last is not None:
            points[place.channel_id] = last
    return points


async def catch_up(adapter: SlackAdapter, points: dict[str, str]) -> int:
    """Record what was posted in each channel (and its threads) after its starting point;
    how many were new. A channel all read is caught up; one that failed starts there again
    next time."""
    added = 0
    for channel_id, last in points.items():
        try:
            added += await _channel(adapter, channel_id, last)
        except SlackApiError as exc:
            name = adapter.directory.place(channel_id).name
            log.warning(
                "Slack: could not read the history of #%s: %s", name, exc.response.get("error")
            )
            continue
        await caught_up(adapter.require_app(), PLATFORM, channel_id)
    return added


async def _channel(adapter: SlackAdapter, channel_id: str, last: str) -> int:
    events = (
        adapter.translator.posted(channel_id, message)
        async for message in _messages(adapter, channel_id, last)
        if not adapter.is_me(message)
    )
    return await record_fetched(adapter.require_app(), events)


async def _messages(
    adapter: SlackAdapter, channel_id: str, last: str
) -> AsyncIterator[dict[str, Any]]:
    """The channel's messages after `last`, oldest first, each thread root followed by its
    replies after `last`; a thread started in the THREAD_DAYS before `last` and replied to
    since is read too (its root was recorded already)."""
    client = adapter.client
    since = f"{Decimal(last) - THREAD_DAYS * 86_400:.6f}"
    roots = [
        m
        async for m in pages(
            client.conversations_history, "messages", channel=channel_id, oldest=since
        )
    ]
    for root in sorted(roots, key=lambda m: Decimal(m["ts"])):
        new = Decimal(root["ts"]) > Decimal(last)
        if new:
            yield root
        if root.get("reply_count") and (
            new or Decimal(root.get("latest_reply", 0)) > Decimal(last)
        ):
            async for reply in pages(
                client.conversations_replies,
                "messages",
                channel=channel_id,
                ts=root["ts"],
                oldest=last,
            ):
                if reply["ts"] != root["ts"]:
                    yield reply
