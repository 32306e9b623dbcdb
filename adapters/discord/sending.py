"""Posting and editing on Discord: channels, threads, replies, direct messages, attachments;
a missing permission is reported to the managers once and the post raises (the outbox keeps
it and tries again), so nothing is dropped silently."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from adapters.discord import health
from adapters.discord.inbound import PLATFORM
from adapters.discord.render import edit_kwargs, forget_view, send_kwargs
from bot.core.envelope import Destination
from bot.core.messages import Message, SentMessage

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter


class Sender:
    """The adapter's outbound half."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    async def send(self, to: Destination, message: Message) -> SentMessage:
        """Post `message` where `to` says; private without an interaction: a direct message."""
        if to.private_to is not None:
            return await self._direct(to.private_to, message)
        channel = await self._channel(to.thread_id or to.channel_id)
        problem = await self.check(channel, health.for_message(message), "post")
        if problem is not None:
            raise health.MissingPermission(problem)
        kwargs = send_kwargs(message)
        if to.reply_to is not None:
            kwargs["reference"] = discord.MessageReference(
                message_id=int(to.reply_to), channel_id=channel.id, fail_if_not_exists=False
            )
        sent = await channel.send(**kwargs)
        forget_view(kwargs)
        return SentMessage(PLATFORM, str(channel.id), str(sent.id))

    async def update(self, sent: SentMessage, message: Message) -> None:
        """Replace a posted message's text, embeds, buttons (and files, when it has some)."""
        client = self.adapter.client
        channel = client.get_partial_messageable(int(sent.channel_id))
        kwargs = edit_kwargs(message)
        await channel.get_partial_message(int(sent.message_id)).edit(**kwargs)
        forget_view(kwargs)

    async def check(
        self,
        channel: discord.abc.GuildChannel | discord.Thread,
        needed: dict[str, str],
        purpose: str,
    ) -> str | None:
        """What Steward lacks to `purpose` in `channel` (told to the managers once per
        channel and start), or None when it has the `needed` permissions."""
        lacking = health.missing(channel, needed)
        if not lacking:
            return None
        text = health.advice(channel.name, lacking, purpose)
        await self.adapter.tell_once(f"permission:{channel.id}", text, every_start=True)
        return text

    async def _channel(self, channel_id: str) -> discord.abc.GuildChannel | discord.Thread:
        guild = self.adapter.guild
        found = guild.get_channel_or_thread(int(channel_id)) if guild is not None else None
        if found is None:
            found = await self.adapter.client.fetch_channel(int(channel_id))
        if not isinstance(found, discord.abc.Messageable):
            raise LookupError(f"Discord channel {channel_id} cannot hold messages")
        return found  # type: ignore[return-value]

    async def _direct(self, member_id: str, message: Message) -> SentMessage:
        client = self.adapter.client
        user = client.get_user(int(member_id)) or await client.fetch_user(int(member_id))
        channel = user.dm_channel or await user.create_dm()
        kwargs = send_kwargs(message)
        sent = await channel.send(**kwargs)
        forget_view(kwargs)
        return SentMessage(PLATFORM, str(channel.id), str(sent.id))
