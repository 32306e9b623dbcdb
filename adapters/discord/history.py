"""Catching up after downtime: each channel's messages since the last one recorded, read
page by page (`GET /channels/{id}/messages?after=`) and recorded once by message id."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from adapters.discord import health
from adapters.discord.inbound import PLATFORM
from bot.core.history import caught_up, record_fetched, starting_point

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)


async def starting_points(adapter: DiscordAdapter) -> dict[int, str]:
    """Each readable text channel's newest recorded message (or an older point an unfinished
    catch-up left), read and kept before live events are taken in (so a message arriving
    meanwhile cannot hide the ones missed before it). A channel never recorded has none:
    its past is for `steward import`."""
    app = adapter.require_app()
    points = {}
    guild = adapter.require_guild()
    for channel in [*guild.text_channels, *guild.forums]:
        if health.missing(channel, health.TO_READ):
            continue
        last = await starting_point(app, PLATFORM, str(channel.id))
        if last is not None:
            points[channel.id] = last
    return points


async def catch_up(adapter: DiscordAdapter, points: dict[int, str]) -> int:
    """Record what was posted in each channel, and in its active threads and forum posts,
    after its starting point (a thread's messages count in its channel); how many were new.
    A channel all read is caught up; one that failed starts there again next time."""
    guild = adapter.require_guild()
    added = 0
    for channel_id, start in points.items():
        places: list[discord.TextChannel | discord.Thread] = [
            channel for channel in guild.text_channels if channel.id == channel_id
        ]
        places += [thread for thread in guild.threads if thread.parent_id == channel_id]
        failed = False
        for place in places:
            try:
                added += await _channel(adapter, place, start)
            except discord.HTTPException as exc:
                failed = True
                log.warning("Discord: could not read the history of #%s: %s", place.name, exc)
        if not failed:
            await caught_up(adapter.require_app(), PLATFORM, str(channel_id))
    return added


async def _channel(
    adapter: DiscordAdapter, channel: discord.TextChannel | discord.Thread, last: str
) -> int:
    after = discord.Object(int(last))
    messages = channel.history(limit=None, after=after, oldest_first=True)
    events = (
        adapter.translator.message(message)
        async for message in messages
        if not adapter.is_me(message.author.id)
    )
    return await record_fetched(adapter.require_app(), events)
