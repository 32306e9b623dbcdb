"""The adapter protocol: what each platform (Discord, Slack, console) provides to the core."""

from __future__ import annotations

from typing import Protocol

from bot.core.clock import Clock
from bot.core.due import JobBoard
from bot.core.events import ChannelRef, InboundEvent
from bot.core.messages import Form, Message, SentMessage


class Core(Protocol):
    """What an adapter sees of the core: where events go, the clock, and the jobs."""

    clock: Clock
    jobs: JobBoard

    async def handle(self, event: InboundEvent) -> None:
        """Record `event` once, then act on it."""


class Adapter(Protocol):
    """One platform. Inbound it calls `app.handle(event)`; outbound it renders Messages natively.

    An adapter holds no community logic; a send it cannot perform raises an exception
    (never fails silently), and the core decides whether to retry or report it.
    """

    platform: str
    admin_channel: str  # the name of the managers' private channel on this platform

    async def start(self, app: Core) -> None:
        """Connect and begin delivering events to `app`."""

    async def serve(self) -> None:
        """Run until the adapter is done (the console at the end of its script) or cancelled."""

    async def stop(self) -> None:
        """Disconnect; pending outbound work is finished first."""

    async def send(self, channel_id: str, message: Message) -> SentMessage:
        """Post `message` (with its buttons and image) in a channel."""

    async def update(self, sent: SentMessage, message: Message) -> None:
        """Replace the content of a message the bot posted earlier."""

    async def reply_private(self, event: InboundEvent, message: Message) -> None:
        """Answer the member behind `event` so that only they see it."""

    async def open_form(self, event: InboundEvent, form: Form) -> None:
        """Show `form` to the member behind `event` (a modal, a view, prompted lines)."""

    async def find_channel(self, name: str) -> ChannelRef | None:
        """The channel called `name` (with or without `#`), or None."""
