"""What a command, button or form handler is given: the event, its options, and ways to answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.commands import CommandSpec
from bot.core.events import ChannelRef, InboundEvent, MemberRef
from bot.core.messages import Form, Message, SentMessage
from bot.core.services import CoreServices


@dataclass
class EventContext:
    """An inbound event being handled, with the app to act through."""

    app: CoreServices
    event: InboundEvent

    @property
    def member(self) -> MemberRef:
        return self.event.member

    @property
    def channel(self) -> ChannelRef:
        return self.event.channel

    @property
    def now(self) -> datetime:
        return self.app.clock.now()

    @property
    def zone(self) -> ZoneInfo:
        return self.app.settings.community.zone

    async def reply(self, message: Message | str) -> None:
        """Answer privately: only this member sees it."""
        await self.app.reply_private(self.event, _as_message(message))

    async def post(self, message: Message | str, **record: Any) -> SentMessage:
        """Post publicly where the event came from (in its thread, when it came from one)."""
        record.setdefault("thread_id", self.channel.thread_id)
        return await self.app.send(
            self.event.platform, self.channel.channel_id, _as_message(message), **record
        )

    async def open_form(self, form: Form) -> None:
        await self.app.open_form(self.event, form)


@dataclass
class CommandContext(EventContext):
    """A command invocation with its checked, typed options."""

    spec: CommandSpec | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def usage(self) -> str:
        return self.spec.usage() if self.spec else ""


def _as_message(message: Message | str) -> Message:
    return Message(text=message) if isinstance(message, str) else message
