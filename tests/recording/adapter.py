"""A real adapter that renders nothing: it records every neutral Message the core sends."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.capabilities import Capabilities
from bot.core.envelope import Destination
from bot.core.events import ChannelRef, InboundEvent, MemberRef, RoleRef
from bot.core.markup import plain
from bot.core.messages import Button, Form, Message, Section, SentMessage

if TYPE_CHECKING:
    from bot.core.adapter import Core

PLATFORM = "test"
# the harness's roles by platform id: managers hold R01 (`recorded.manager(name)`), any member
# may be given another (`recorded.give_role(name, role_id)`)
ROLES = {"R01": "manager", "R02": "Verified"}
MANAGER_ROLE = "R01"


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
    reply_to: str | None = None  # the message it answers, when sent as a reply

    @property
    def message(self) -> Message:
        """The message as it reads now (after its last edit)."""
        return self.versions[-1]

    @property
    def text(self) -> str:
        """The text as a member reads it (markup rendered as plain text)."""
        return plain(self.message.text)

    @property
    def raw(self) -> str:
        """The text as the core wrote it, in neutral markup (bot.core.markup)."""
        return self.message.text

    @property
    def plain(self) -> str:
        """Text, section titles, texts and fields: everything a reader sees but the buttons."""
        return plain(self.message.plain_text())

    @property
    def fields(self) -> dict[str, str]:
        """Every section's name/value fields, by name, as a member reads them."""
        sections = self.message.sections
        return {plain(name): plain(value) for s in sections for name, value in s.fields}

    def section(self, title: str) -> Section:
        """The section titled `title`."""
        found = [s for s in self.message.sections if plain(s.title) == title]
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
class Answered:
    """One interaction as the platform saw it: deferred or not, answers, forms, silent ack."""

    event: InboundEvent
    deferred: bool = False
    responses: list[Message] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    finished: bool = False


class RecordingResponder:
    """The recording adapter's interaction handle: keeps every call, in order."""

    def __init__(self, adapter: RecordingAdapter, event: InboundEvent) -> None:
        self.adapter = adapter
        self.answered = Answered(event)
        adapter.interactions.append(self.answered)

    async def defer(self) -> None:
        self.answered.deferred = True
        self.adapter.deferrals.set()

    async def respond(self, message: Message) -> None:
        self.answered.responses.append(message)
        event = self.answered.event
        self.adapter.record(event.channel, message, private_to=event.member, answers=event)

    async def open_form(self, form: Form) -> None:
        if self.adapter.before_form is not None:
            self.adapter.before_form(form)
        self.answered.forms.append(form)
        self.adapter.forms.append(OpenedForm(form, self.answered.event))

    async def finish(self) -> None:
        self.answered.finished = True


@dataclass
class RecordingAdapter:
    """Channels and members by platform id; every outbound call is kept in order."""

    names: tuple[str, ...] = ("general", "help", "announcements", "managers")
    admin_channel: str = "managers"
    platform: str = PLATFORM
    posts: list[Posted] = field(default_factory=list)
    forms: list[OpenedForm] = field(default_factory=list)
    members: dict[str, MemberRef] = field(default_factory=dict)  # by id, as events showed them
    current: InboundEvent | None = None  # set by the harness while an event is handled
    app: Core | None = None
    capabilities: Capabilities = field(default_factory=Capabilities)
    interactions: list[Answered] = field(default_factory=list)
    before_form: Callable[[Form], None] | None = None  # called as a form opens (tests peek)

    def __post_init__(self) -> None:
        self.channels = {
            f"C{n:02d}": ChannelRef(self.platform, f"C{n:02d}", name, name == self.admin_channel)
            for n, name in enumerate(self.names, 1)
        }
        self._ids = 0
        self._run = secrets.token_hex(2)  # ids stay unique across restarts on one database
        self.deferrals = asyncio.Event()  # set when an interaction is deferred

    # ---- the adapter protocol -----------------------------------------------------------
    async def start(self, app: Core) -> None:
        self.app = app

    async def serve(self) -> None:
        if self.app is not None:
            await self.app.jobs.drain()

    async def stop(self) -> None:
        self.app = None

    async def send(self, to: Destination, message: Message) -> SentMessage:
        if to.channel_id not in self.channels:
            raise UnknownChannel(f"no channel with id {to.channel_id!r}")
        channel = self.channels[to.channel_id]
        if to.thread_id is not None:
            channel = replace(channel, parent_id=channel.channel_id, thread_id=to.thread_id)
        private_to = self._member_by_id(to.private_to) if to.private_to else None
        posted = self.record(channel, message, private_to=private_to, reply_to=to.reply_to)
        return SentMessage(self.platform, to.channel_id, posted.message_id)

    async def update(self, sent: SentMessage, message: Message) -> None:
        posted = self.by_id(sent.message_id)
        if posted is None or posted.channel.channel_id != sent.channel_id:
            raise LookupError(f"no message {sent.message_id} in {sent.channel_id}")
        posted.versions.append(message)

    def responder(self, event: InboundEvent) -> RecordingResponder:
        """The interaction handle the harness hands the core with `event`."""
        return RecordingResponder(self, event)

    async def find_channel(self, name: str) -> ChannelRef | None:
        """By name (with or without `#`) or by id, as configuration keys accept either."""
        key = name.strip().lstrip("#")
        by_name = next((c for c in self.channels.values() if c.name == key), None)
        return by_name or self.channels.get(key)

    async def channel_names(self) -> list[str]:
        """Every channel's name (the optional method features use to say what exists)."""
        return list(self.names)

    async def find_member(self, name_or_id: str) -> MemberRef | None:
        """A member who has acted here, by id or by name (with or without `@`)."""
        key = name_or_id.strip().lstrip("@")
        by_name = next((m for m in self.members.values() if m.name == key), None)
        return self.members.get(key) or by_name

    async def find_role(self, name_or_id: str) -> RoleRef | None:
        """A role by id or by name (with or without `@`)."""
        key = name_or_id.strip().lstrip("@")
        role_id = key if key in ROLES else next((i for i, n in ROLES.items() if n == key), None)
        return RoleRef(self.platform, role_id, ROLES[role_id]) if role_id else None

    async def role_names(self) -> list[str]:
        """Every role's name (optional, like `channel_names`)."""
        return list(ROLES.values())

    # ---- bookkeeping --------------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}{self._ids}-{self._run}"

    def channel(self, name: str) -> ChannelRef:
        found = next((c for c in self.channels.values() if c.name == name.lstrip("#")), None)
        if found is None:
            raise AssertionError(f"no channel #{name}; channels: {self.names}")
        return found

    def rename(self, old: str, new: str) -> ChannelRef:
        """Rename channel #`old` to #`new`, as a member with the right would: same id."""
        renamed = replace(self.channel(old), name=new)
        self.channels[renamed.channel_id] = renamed
        self.names = tuple(c.name for c in self.channels.values())
        return renamed

    def by_id(self, message_id: str) -> Posted | None:
        return next((p for p in self.posts if p.message_id == message_id), None)

    def _member_by_id(self, user_id: str) -> MemberRef:
        """The member with `user_id` (the one behind the current event, or seen earlier)."""
        current = self.current.member if self.current is not None else None
        if current is not None and current.user_id == user_id:
            return current
        return self.members.get(user_id) or MemberRef(self.platform, user_id, user_id)

    def record(
        self,
        channel: ChannelRef,
        message: Message,
        private_to: MemberRef | None = None,
        answers: InboundEvent | None = None,
        reply_to: str | None = None,
    ) -> Posted:
        """Keep one outbound message as it was sent."""
        at = self.app.clock.now() if self.app is not None else None
        answers = answers or self.current
        posted = Posted(self.new_id("M"), channel, [message], private_to, answers, at, reply_to)
        self.posts.append(posted)
        return posted
