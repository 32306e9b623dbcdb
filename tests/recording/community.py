"""A recorded community: feed neutral events as members would, read the neutral messages back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.core.events import (
    Attachment,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    EventKind,
    FormSubmitted,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    ThreadCreated,
)
from bot.text.durations import parse_duration
from tests.recording.adapter import MANAGER_ROLE, OpenedForm, Posted, RecordingAdapter

Who = str | MemberRef
INTERACTIONS = {EventKind.COMMAND, EventKind.BUTTON, EventKind.FORM}  # come with a responder
Target = Posted | str  # a bot post, or the id of a member's message


class Said(list[Posted]):
    """The messages the bot posted while one thing happened, in order."""

    def told(self, name: str) -> list[str]:
        """The texts `name` was told privately."""
        return [p.plain for p in self if p.private_to is not None and p.private_to.name == name]

    def public(self, tag: str | None = None, channel: str | None = None) -> list[Posted]:
        """The public posts (of one tag, in one channel)."""
        return [
            p
            for p in self
            if not p.private
            and (tag is None or p.message.tag == tag)
            and (channel is None or p.channel.name == channel)
        ]

    def posted_in(self, channel: str) -> list[str]:
        """The texts posted publicly in `channel` (a reply to managers in their channel, say)."""
        return [p.plain for p in self.public(channel=channel)]


class Recorded:
    """The app with a RecordingAdapter under a virtual clock; members are named, ids are not."""

    def __init__(self, app: Steward, adapter: RecordingAdapter) -> None:
        self.app = app
        self.adapter = adapter
        self.managers: set[str] = set()
        self.roles: dict[str, set[str]] = {}  # role ids given to members by name, beyond managers'
        self._member_ids: dict[str, str] = {}
        self._authors: dict[str, tuple[MemberRef, ChannelRef]] = {}  # members' messages by id
        self.bot = MemberRef(adapter.platform, "B0", "Steward", is_bot=True)
        self._threads: set[str] = set()  # the messages a thread was started under

    @property
    def clock(self) -> VirtualClock:
        return self.app.clock  # type: ignore[return-value]

    @property
    def posts(self) -> list[Posted]:
        return self.adapter.posts

    # ---- who and where ------------------------------------------------------------------
    def member(self, who: Who) -> MemberRef:
        """The member called `who` (a stable platform id of its own; managers have the role)."""
        if isinstance(who, MemberRef):
            return who
        user_id = self._member_ids.setdefault(who, f"U{len(self._member_ids) + 1:03d}")
        manager = who in self.managers
        roles = ((MANAGER_ROLE,) if manager else ()) + tuple(sorted(self.roles.get(who, ())))
        return MemberRef(self.adapter.platform, user_id, who, is_manager=manager, roles=roles)

    def manager(self, name: str) -> MemberRef:
        """Give `name` the manager role from now on."""
        self.managers.add(name)
        return self.member(name)

    def give_role(self, name: str, role_id: str) -> MemberRef:
        """Give `name` the role with platform id `role_id` (one of adapter.ROLES) from now on."""
        self.roles.setdefault(name, set()).add(role_id)
        return self.member(name)

    def channel(self, name: str) -> ChannelRef:
        return self.adapter.channel(name)

    # ---- feeding events -----------------------------------------------------------------
    async def feed(self, event: InboundEvent) -> Said:
        """Hand `event` to the core, then run what fell due; return what the bot posted."""
        before = len(self.posts)
        self.adapter.current = event
        self.adapter.members[event.member.user_id] = event.member
        responder = self.adapter.responder(event) if event.kind in INTERACTIONS else None
        try:
            await self.app.handle(event, responder)
        finally:
            self.adapter.current = None
        await self.app.jobs.run_due()
        return Said(self.posts[before:])

    def _base(self, who: Who, where: str | ChannelRef) -> dict:
        channel = where if isinstance(where, ChannelRef) else self.channel(where)
        return {
            "event_id": self.adapter.new_id("E"),
            "member": self.member(who),
            "channel": channel,
            "at": self.clock.now(),
        }

    async def post(
        self,
        text: str,
        by: Who = "you",
        in_: str | ChannelRef = "general",
        mentions: tuple[Who, ...] = (),
    ) -> str:
        """A member posts `text` (naming `mentions`); returns the new message's id."""
        message_id = self.adapter.new_id("M")
        named = tuple(self.member(who).user_id for who in mentions)
        event = MessagePosted(
            **self._base(by, in_), message_id=message_id, text=text, mentions=named
        )
        self._authors[message_id] = (event.member, event.channel)
        await self.feed(event)
        return message_id

    async def reply(self, to: Target, text: str, by: Who = "you") -> str:
        """A member replies to a message; returns the reply's id."""
        parent_id, author, channel = self._target(to)
        message_id = self.adapter.new_id("M")
        event = ReplyPosted(
            **self._base(by, channel),
            message_id=message_id,
            parent_id=parent_id,
            parent_author=author,
            text=text,
        )
        self._authors[message_id] = (event.member, event.channel)
        await self.feed(event)
        return message_id

    async def thread(self, under: Target, text: str, by: Who = "you") -> str:
        """A member writes in the thread under a message (started first if it is new)."""
        parent_id, _, channel = self._target(under)
        thread = replace(channel, parent_id=channel.channel_id, thread_id=parent_id)
        if parent_id not in self._threads:
            self._threads.add(parent_id)
            await self.feed(ThreadCreated(**self._base(by, thread), parent_message_id=parent_id))
        return await self.post(text, by, thread)

    async def react(self, to: Target, emoji: str, by: Who = "you", added: bool = True) -> Said:
        message_id, author, channel = self._target(to)
        kind = ReactionAdded if added else ReactionRemoved
        return await self.feed(
            kind(
                **self._base(by, channel), message_id=message_id, emoji=emoji, message_author=author
            )
        )

    async def unreact(self, to: Target, emoji: str, by: Who = "you") -> Said:
        return await self.react(to, emoji, by, added=False)

    async def command(
        self,
        line: str,
        by: Who = "you",
        in_: str = "general",
        attachments: tuple[Attachment, ...] = (),
    ) -> Said:
        """A command as text platforms deliver it: `/poll create question:"…" options:"a | b"`."""
        name, _, rest = line.strip().removeprefix("/").partition(" ")
        return await self.feed(
            CommandInvoked(**self._base(by, in_), name=name, text=rest, attachments=attachments)
        )

    async def invoke(
        self,
        name: str,
        by: Who = "you",
        in_: str = "general",
        attachments: tuple[Attachment, ...] = (),
        **options: object,
    ) -> Said:
        """A command with typed options, as Discord delivers it (`invoke("poll results", id=1)`)."""
        return await self.feed(
            CommandInvoked(
                **self._base(by, in_), name=name, options=options, attachments=attachments
            )
        )

    async def click(self, on: Posted, label: str, by: Who = "you") -> Said:
        """Press the button labelled `label` (or starting with it) on a bot post."""
        return await self.press(on, on.button(label).action_id, by)

    async def press(self, on: Posted, action_id: str, by: Who = "you") -> Said:
        """Press a button by its action id (one the message may no longer show)."""
        return await self.feed(
            ButtonPressed(
                **self._base(by, on.channel), message_id=on.message_id, action_id=action_id
            )
        )

    def form_for(self, who: Who) -> OpenedForm:
        """The last form the bot opened for `who`."""
        name = self.member(who).name
        opened = [f for f in self.adapter.forms if f.event.member.name == name]
        if not opened:
            raise AssertionError(f"no form was opened for {name}")
        return opened[-1]

    async def submit(self, *answers: str, by: Who = "you", **values: str) -> Said:
        """Submit the last form opened for `by`: answers in field order, or values by field id."""
        opened = self.form_for(by)
        fields = opened.form.fields
        filled = {f.field_id: answer for f, answer in zip(fields, answers, strict=False)}
        return await self.feed(
            FormSubmitted(
                **self._base(by, opened.event.channel),
                form_id=opened.form.form_id,
                values={**filled, **values},
            )
        )

    async def join(self, name: str) -> Said:
        return await self.feed(MemberJoined(**self._base(name, "general")))

    async def leave(self, name: str) -> Said:
        return await self.feed(MemberLeft(**self._base(name, "general")))

    async def run_due(self) -> Said:
        """Run what is due now (as a process does when it starts); return what was posted."""
        before = len(self.posts)
        await self.app.jobs.run_due()
        return Said(self.posts[before:])

    async def advance(self, duration: str | timedelta) -> Said:
        """Move the virtual clock and run every job that falls due; return what was posted."""
        delta = parse_duration(duration) if isinstance(duration, str) else duration
        before = len(self.posts)
        await self.app.jobs.advance(delta)
        return Said(self.posts[before:])

    def _target(self, to: Target) -> tuple[str, MemberRef | None, ChannelRef]:
        if isinstance(to, Posted):
            return to.message_id, self.bot, to.channel
        if to not in self._authors:
            raise AssertionError(f"no member message {to}")
        author, channel = self._authors[to]
        return to, author, channel

    # ---- reading ------------------------------------------------------------------------
    def told(self, name: str) -> list[str]:
        """Everything `name` was told privately, in order."""
        return Said(self.posts).told(name)

    def public(self, channel: str | None = None, tag: str | None = None) -> list[Posted]:
        """The bot's public posts (in one channel, of one tag), oldest first."""
        return Said(self.posts).public(tag, channel)

    def last(self, channel: str | None = None, tag: str | None = None) -> Posted:
        found = self.public(channel, tag)
        if not found:
            raise AssertionError(f"nothing was posted (channel={channel}, tag={tag})")
        return found[-1]
