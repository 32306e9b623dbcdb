"""Console directives (`:as`, `:in`, `:reply`, `:react`, `:click`, `:join`, `:advance`, …)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from adapters.console.render import first_line
from adapters.console.transcript import Shown
from bot.core.events import (
    ButtonPressed,
    ChannelRef,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    ThreadCreated,
)
from bot.core.messages import Button, Message
from bot.text.durations import parse_duration

if TYPE_CHECKING:
    from bot.core.adapter import Core

DIRECTIVES = """Directives:
  :as NAME [manager|member]   speak as NAME (manager grants the manager role)
  :in CHANNEL                 move to CHANNEL
  :reply MSG TEXT             reply to message #MSG
  :thread MSG TEXT            write TEXT in the thread under #MSG (started if needed)
  :react MSG EMOJI            react to #MSG (:unreact to take it back)
  :click MSG BUTTON           press a button on #MSG, by its label or number
  :join NAME / :leave NAME    a member joins or leaves the community
  :advance DURATION           move the clock (30m, 2h, 1d, 1w) and run what falls due
  :now                        show the community's local time
  :quit                       leave"""


# `@bob`, `@ana.k`: a member's name (their console id); not an address (`x@y.org`)
_MENTION = re.compile(r"(?<![\w@])@(\w(?:[\w.-]*\w)?)")
_NOT_MEMBERS = {"here", "everyone", "channel"}


def mentions(text: str) -> tuple[str, ...]:
    """The members `text` mentions as `@name`, in order, once each."""
    names = (name for name in _MENTION.findall(text) if name.lower() not in _NOT_MEMBERS)
    return tuple(dict.fromkeys(names))


class Directives:
    """The `:name …` lines of the console (a part of the console adapter)."""

    member: str
    managers: set[str]
    reactions: set[tuple[int, str, str]]
    threads: set[int]  # the messages a thread was started under
    channel: str
    channels: dict[str, ChannelRef]
    stopping: bool
    _time_shown: datetime | None
    # provided by the adapter
    write: Callable[[str], None]
    message_id: Callable[[int], str]
    _lookup: Callable[[str], Shown]
    _show: Callable[..., Shown]
    _local_time: Callable[[datetime], str]
    _me: Callable[[], MemberRef]
    _base: Callable[..., dict]
    _require_app: Callable[[], Core]

    async def _directive(self, text: str) -> None:
        name, _, rest = text[1:].partition(" ")
        handler = getattr(self, f"_do_{name.lower()}", None)
        if handler is None:
            self.write(f"! unknown directive :{name}; type :help for the list")
            return
        try:
            await handler(rest.strip())
        except ValueError as exc:
            self.write(f"! {exc}")

    async def _do_help(self, _: str) -> None:
        self.write(DIRECTIVES)

    async def _do_quit(self, _: str) -> None:
        self.stopping = True

    async def _do_as(self, rest: str) -> None:
        words = rest.split()
        if (
            not words
            or len(words) > 2
            or (len(words) == 2 and words[1] not in ("manager", "member"))
        ):
            raise ValueError("write :as NAME, :as NAME manager or :as NAME member")
        self.member = words[0]
        if len(words) == 2:
            (self.managers.add if words[1] == "manager" else self.managers.discard)(words[0])
        role = " (manager)" if self.member in self.managers else ""
        self.write(f"— you are {self.member}{role} in #{self.channel}")

    async def _do_in(self, rest: str) -> None:
        name = rest.lstrip("#")
        if name not in self.channels:
            raise ValueError(f"no channel #{name}; channels: {', '.join(self.channels)}")
        self.channel = name
        self.write(f"— {self.member} is in #{name}")

    async def _do_reply(self, rest: str) -> None:
        ref, _, body = rest.partition(" ")
        parent = self._lookup(ref)
        if not body.strip():
            raise ValueError("write :reply MSG TEXT")
        shown = self._show(parent.channel, self._me(), Message(text=body.strip()), parent=parent)
        await self._require_app().handle(
            ReplyPosted(
                **self._base(parent.channel),
                message_id=self.message_id(shown.number),
                parent_id=self.message_id(parent.number),
                parent_author=parent.author,
                text=body.strip(),
                mentions=mentions(body),
            )
        )

    async def _do_thread(self, rest: str) -> None:
        ref, _, body = rest.partition(" ")
        parent = self._lookup(ref)
        if not body.strip():
            raise ValueError("write :thread MSG TEXT")
        app = self._require_app()
        parent_id = self.message_id(parent.number)
        thread = replace(
            self.channels[parent.channel], parent_id=parent.channel, thread_id=parent_id
        )
        if parent.number not in self.threads:
            self.threads.add(parent.number)
            self.write(f"  {self.member} started a thread on #{parent.number}")
            name = first_line(parent.message)
            started = {**self._base(parent.channel), "channel": thread}
            await app.handle(ThreadCreated(**started, parent_message_id=parent_id, name=name))
        shown = self._show(
            parent.channel, self._me(), Message(text=body.strip()), parent=parent, thread=True
        )
        posted = {**self._base(parent.channel), "channel": thread}
        message_id = self.message_id(shown.number)
        await app.handle(
            MessagePosted(
                **posted, message_id=message_id, text=body.strip(), mentions=mentions(body)
            )
        )

    async def _do_react(self, rest: str, added: bool = True) -> None:
        ref, _, emoji = rest.partition(" ")
        target = self._lookup(ref)
        if not emoji.strip():
            raise ValueError("write :react MSG EMOJI")
        key = (target.number, self.member, emoji.strip())
        if (key in self.reactions) == added:  # as on Discord and Slack: nothing happens
            had = "already reacted" if added else "has not reacted"
            self.write(f"  {self.member} {had} {emoji.strip()} on #{target.number}")
            return
        (self.reactions.add if added else self.reactions.discard)(key)
        kind = ReactionAdded if added else ReactionRemoved
        verb = "reacted" if added else "took back"
        self.write(f"  {self.member} {verb} {emoji.strip()} on #{target.number}")
        await self._require_app().handle(
            kind(
                **self._base(target.channel),
                message_id=self.message_id(target.number),
                emoji=emoji.strip(),
                message_author=target.author,
            )
        )

    async def _do_unreact(self, rest: str) -> None:
        await self._do_react(rest, added=False)

    async def _do_click(self, rest: str) -> None:
        ref, _, which = rest.partition(" ")
        target = self._lookup(ref)
        button = pick_button(target.message, which.strip())
        self.write(f"  {self.member} pressed [{button.label}] on #{target.number}")
        pressed = ButtonPressed(
            **self._base(target.channel),
            message_id=self.message_id(target.number),
            action_id=button.action_id,
        )
        await self._require_app().handle(pressed, self.responder(pressed))

    async def _do_join(self, rest: str) -> None:
        name = _one_name(rest, ":join NAME")
        self.write(f"  {name} joined the community")
        await self._require_app().handle(MemberJoined(**self._base(member=name)))

    async def _do_leave(self, rest: str) -> None:
        name = _one_name(rest, ":leave NAME")
        self.write(f"  {name} left the community")
        await self._require_app().handle(MemberLeft(**self._base(member=name)))

    async def _do_advance(self, rest: str) -> None:
        delta = parse_duration(rest)
        app = self._require_app()
        self._time_shown = app.clock.now()
        try:
            await app.jobs.advance(delta)
        finally:
            self._time_shown = None
        self.write(f"— {self._local_time(app.clock.now())}")

    async def _do_now(self, _: str) -> None:
        self.write(f"— {self._local_time(self._require_app().clock.now())}")


def pick_button(message: Message, which: str) -> Button:
    """The button `which` names on `message`: its number, its label or a unique prefix."""
    if not message.buttons:
        raise ValueError("that message has no buttons")
    if which.isdigit() and 1 <= int(which) <= len(message.buttons):
        return message.buttons[int(which) - 1]
    matches = (
        [b for b in message.buttons if b.label.lower().startswith(which.lower())] if which else []
    )
    exact = [b for b in matches if b.label.lower() == which.lower()]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0]
    labels = ", ".join(b.label for b in message.buttons)
    raise ValueError(f"no single button {which!r} on that message; buttons: {labels}")


def _one_name(rest: str, usage: str) -> str:
    words = rest.split()
    if len(words) != 1:
        raise ValueError(f"write {usage}")
    return words[0]
