"""The discord.py client: gateway events handed to the adapter, nothing decided here."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)

INTENTS = discord.Intents(
    guilds=True, members=True, guild_messages=True, guild_reactions=True, message_content=True
)


def intents(message_content: bool) -> discord.Intents:
    """Guilds, members, guild messages, reactions; message content when Discord allows it."""
    chosen = discord.Intents(**dict(INTENTS))
    chosen.message_content = message_content
    return chosen


GUILD_READY_TIMEOUT = 0.2  # seconds discord.py waits for more guilds before READY (2 s by
# default): Steward serves one guild, which Discord sends right after READY

# Steward has no voice features: discord.py need not warn that voice libraries are missing.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class StewardClient(discord.Client):
    """Forwards every event Steward records to its adapter."""

    def __init__(self, adapter: DiscordAdapter, message_content: bool) -> None:
        super().__init__(
            intents=intents(message_content),
            allowed_mentions=discord.AllowedMentions(everyone=False, roles=False, users=True),
            guild_ready_timeout=GUILD_READY_TIMEOUT,
        )
        self.adapter = adapter
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = adapter.on_command_error  # type: ignore[method-assign]

    async def on_connect(self) -> None:
        self.adapter.connected()

    async def on_ready(self) -> None:
        await self.adapter.ready()

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.message(message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.adapter.edited(payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.adapter.deleted(payload)

    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        await self.adapter.bulk_deleted(payload)

    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self.adapter.thread(thread)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.reaction(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.reaction(payload)

    async def on_member_join(self, member: discord.Member) -> None:
        await self.adapter.joined(member)

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.adapter.left(payload)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.adapter.interaction(interaction)
