"""The console's side of an interaction: private answers printed, forms prompted, defers shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.events import InboundEvent
from bot.core.messages import Form, Message

if TYPE_CHECKING:
    from adapters.console.adapter import ConsoleAdapter


class ConsoleResponder:
    """Answers one command, button press or form submit in the terminal."""

    def __init__(self, adapter: ConsoleAdapter, event: InboundEvent) -> None:
        self.adapter = adapter
        self.event = event

    async def defer(self) -> None:
        self.adapter.write(f"    (Steward is working on it for {self.event.member.name}…)")

    async def respond(self, message: Message) -> None:
        self.adapter.show_private(self.event.channel.channel_id, self.event.member.name, message)

    async def open_form(self, form: Form) -> None:
        await self.adapter.prompt_form(self.event, form)

    async def finish(self) -> None:
        return None
