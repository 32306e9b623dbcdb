"""A real adapter that renders nothing: it records every neutral Message the core sends."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.events import ChannelRef, InboundEvent, MemberRef
from bot.core.messages import Button, Form, Message, Section, SentMessage

if TYPE_CHECKING:
    from bot.core.adapter import Core

PLATFORM = "test"


class UnknownChannel(LookupError):
    """A send to a channel id the recorded community does not have."""


@dataclass
class Posted:
    """One message the bot posted (or said privately), with every version it has had."""

    message_id: str
    channel: ChannelRef
    versions: list[Message]
    private_to: MemberRef | None = None
    answers: InboundEvent | None = None  # the event being handled when it was sent
    at: datetime | None = None  # the (virtual) time it was sent

    @property
    def message(self) -> Message:
        """The message as it reads now (after its last edit)."""
        return self.versions[-1]

    @property
    def text(self) -> str:
        return self.message.text

    @property
    def plain(self) -> str:
        """Text, section titles, texts and fields: everything a reader sees but the buttons."""
        return self.message.plain_text()

    @property
    def fields(self) -> dict[str, str]:
        """Every section's name/value fields, by name."""
        return {name: value for s in self.message.sections for name, value in s.fields}

    def section(self, title: str) -> Section:
        """The section titled `title`."""
        found = [s for s in self.message.sections if s.title == title]
        if len(found) != 1:
            titles = [s.title for s in self.message.sections]
            raise AssertionError(f"no single section {title!r} in {self.message_id}: {titles}")
        return found[0]

    def json(self) -> Any:
        """The attached file, read as JSON (an export, say)."""
        if self.message.file is None:
            raise AssertionError(f"{self.message_id} has no file: {self.text!r}")
        return json.loads(self.message.file.data)

    @property
    def edits(self) -> int:
        return len(self.versions) - 1

    @property
    def private(self) -> bool:
        return self.private_to is not None

    @property
    def labels(self) -> list[str]:
        return [button.label for button in self.message.buttons]

    def button(self, label: str) -> Button:
        """The one button whose label is `label` or starts with it."""
        buttons = self.message.buttons
        exact = [b for b in buttons if b.label.lower() == label.lower()]
        matches = exact or [b for b in buttons if b.label.lower().startswith(label.lower())]
        if len(matches) != 1:
            raise AssertionError(f"no single button {label!r} on {self.message_id}: {self.labels}")
        return matches[0]


@dataclass
class OpenedForm:
    """A form the bot opened for one member, and the event that asked for it."""

    form: Form
    event: InboundEvent


@dataclass
class RecordingAdapter:
    """Channels and members by platform id; every outbound call is kept in order."""

    names: tuple[str, ...] = ("general", "help", "announcements", "managers")
    admin_channel: str = "managers"
    platform: str = PLATFORM
    posts: list[Posted] = field(default_factory=list)
    forms: list[OpenedForm] = field(default_factory=list)
    current: InboundEvent | None = None  # set by the harness while an event is handled
    app: Core | None = None

    def __post_init__(self) -> None:
        self.channels = {
            f"C{n:02d}": ChannelRef(self.platform, f"C{n:02d}", name, name == self.admin_channel)
            for n, name in enumerate(self.names, 1)
        }
        self._ids = 0
        self._run = secrets.token_hex(2)  # ids stay unique across restarts on one database

    # ---- the adapter protocol -----------------------------------------------------------
    async def start(self, app: Core) -> None:
        self.app = app

    async def serve(self) -> None:
        if self.app is not None:
            await self.app.jobs.drain()

    async def stop(self) -> None:
        self.app = None

    async def send(self, channel_id: str, message: Message) -> SentMessage:
        if channel_id not in self.channels:
            raise UnknownChannel(f"no channel with id {channel_id!r}")
        posted = self._record(self.channels[channel_id], message)
        return SentMessage(self.platform, channel_id, posted.message_id)

    async def update(self, sent: SentMessage, message: Message) -> None:
        posted = self.by_id(sent.message_id)
        if posted is None or posted.channel.channel_id != sent.channel_id:
            raise LookupError(f"no message {sent.message_id} in {sent.channel_id}")
        posted.versions.append(message)

    async def reply_private(self, event: InboundEvent, message: Message) -> None:
        self._record(event.channel, message, private_to=event.member, answers=event)

    async def open_form(self, event: InboundEvent, form: Form) -> None:
        self.forms.append(OpenedForm(form, event))

    async def find_channel(self, name: str) -> ChannelRef | None:
        """By name (with or without `#`) or by id, as configuration keys accept either."""
        key = name.strip().lstrip("#")
        by_name = next((c for c in self.channels.values() if c.name == key), None)
        return by_name or self.channels.get(key)

    async def channel_names(self) -> list[str]:
        """Every channel's name (the optional method features use to say what exists)."""
        return list(self.names)

    # ---- bookkeeping --------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}-{self._run}"

    def channel(self, name: str) -> ChannelRef:
        found = next((c for c in self.channels.values() if c.name == name.lstrip("#")), None)
        if found is None:
            raise AssertionError(f"no channel #{name}; channels: {self.names}")
        return found

    def by_id(self, message_id: str) -> Posted | None:
        return next((p for p in self.posts if p.message_id == message_id), None)

    def _record(
        self,
        channel: ChannelRef,
        message: Message,
        private_to: MemberRef | None = None,
        answers: InboundEvent | None = None,
    ) -> Posted:
        at = self.app.clock.now() if self.app is not None else None
        answers = answers or self.current
        posted = Posted(self.new_id("M"), channel, [message], private_to, answers, at)
        self.posts.append(posted)
        return posted
