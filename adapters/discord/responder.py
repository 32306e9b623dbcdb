"""Discord's side of an interaction: ephemeral answers, a deferral, a modal, a silent ack."""

from __future__ import annotations

import discord

from adapters.discord.render import forget_view, modal, send_kwargs
from bot.core.messages import Form, Message


class DiscordResponder:
    """Answers one slash command, button click or modal submit through discord.py."""

    def __init__(self, interaction: discord.Interaction) -> None:
        self.interaction = interaction

    async def defer(self) -> None:
        """A command shows "thinking…" to the member alone; a click or submit is silent."""
        if self.interaction.response.is_done():
            return
        thinking = self.interaction.type is discord.InteractionType.application_command
        await self.interaction.response.defer(ephemeral=True, thinking=thinking)

    async def respond(self, message: Message) -> None:
        """An ephemeral answer, or a follow-up when the interaction was answered already."""
        kwargs = send_kwargs(message)
        if self.interaction.response.is_done():
            await self.interaction.followup.send(ephemeral=True, **kwargs)
        else:
            await self.interaction.response.send_message(ephemeral=True, **kwargs)
        forget_view(kwargs)

    async def open_form(self, form: Form) -> None:
        shown = modal(form)
        await self.interaction.response.send_modal(shown)
        shown.stop()

    async def finish(self) -> None:
        """The handler said nothing. A click or submit: a silent deferral. A command (which
        Discord wants answered): its "thinking…" is removed (deferred now, or earlier)."""
        response = self.interaction.response
        command = self.interaction.type is discord.InteractionType.application_command
        if not response.is_done():
            if not command:
                await response.defer()
                return
            await response.defer(ephemeral=True, thinking=True)
        if command:
            await self.interaction.delete_original_response()
