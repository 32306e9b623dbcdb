"""Discord interactions in: slash commands (through the command tree), button clicks and
modal submits, each handed to the core with its responder; what discord.py could not read
is answered privately, never left unanswered."""

from __future__ import annotations

import contextlib
import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from adapters.discord.responder import DiscordResponder
from bot.core.events import Attachment, InboundEvent

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter
    from bot.core.commands import CommandSpec

log = logging.getLogger(__name__)

ELSEWHERE = "Steward is set up for another server, so it cannot act on this here."
UNREADABLE = (
    "Steward could not read that command (it may have changed a moment ago, or names "
    "something Steward cannot see). Please try again; if it persists, tell a manager."
)


async def on_interaction(adapter: DiscordAdapter, interaction: discord.Interaction) -> None:
    """Button clicks and modal submits: from the guild, or on the bot's direct messages."""
    kind = interaction.type
    if kind not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
        return  # slash commands come through the command tree; autocomplete is not used
    if interaction.guild_id is not None and not await adapter.accept(interaction.guild_id):
        await tell(interaction, ELSEWHERE)
        return
    if kind is discord.InteractionType.component:
        event: InboundEvent = adapter.translator.button(interaction)
    else:
        event = adapter.translator.form(interaction)
    await adapter.handle(event, DiscordResponder(interaction))


async def run_command(
    adapter: DiscordAdapter,
    interaction: discord.Interaction,
    spec: CommandSpec,
    options: dict[str, Any],
) -> None:
    """A slash command: its files read (after a deferral: a download may take a while)."""
    if not await adapter.accept(interaction.guild_id):
        await tell(interaction, ELSEWHERE)
        return
    files = [value for value in options.values() if isinstance(value, discord.Attachment)]
    if files:
        await interaction.response.defer(ephemeral=True, thinking=True)
    attachments = tuple(
        [Attachment(f.filename, await f.read(), f.content_type or "") for f in files]
    )
    event = adapter.translator.command(interaction, spec.name, options, attachments)
    await adapter.handle(event, DiscordResponder(interaction))


async def on_command_error(
    interaction: discord.Interaction, error: app_commands.AppCommandError
) -> None:
    """What discord.py could not turn into a command (changed since Discord loaded it, a
    channel it cannot see), or a failure in the adapter: a private line, never a traceback."""
    if isinstance(error, app_commands.CommandInvokeError):
        ref = secrets.token_hex(3)
        log.error(
            "Discord: command %s failed (ref %s)", interaction.command, ref, exc_info=error.original
        )
        await tell(
            interaction,
            "Sorry, something went wrong on our side and nothing was changed. A manager can "
            f"find the details in the bot's log under ref {ref}.",
        )
        return
    log.warning("Discord: command %s could not be read: %s", interaction.command, error)
    await tell(interaction, UNREADABLE)


async def tell(interaction: discord.Interaction, text: str) -> None:
    """A private line as the answer (or a follow-up, when answered already)."""
    with contextlib.suppress(discord.HTTPException):
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
