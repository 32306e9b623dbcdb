"""The console adapter: a community in a terminal (or a script), with a clock it can advance."""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from adapters.console.render import first_line, render_body
from bot.core.config import ConsoleConfig
from bot.core.events import (
    Attachment,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    FormSubmitted,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.messages import Form, Message, SentMessage
from bot.text.durations import parse_duration
from bot.text.when import format_local

if TYPE_CHECKING:
    from bot.core.adapter import Core

PLATFORM = "console"
BOT = MemberRef(PLATFORM, "steward", "Steward", is_bot=True)
_FILE_OPTION = re.compile(r'(?:^|\s)file:(?:"([^"]*)"|(\S+))')
DIRECTIVES = """Directives:
  :as NAME [manager|member]   speak as NAME (manager grants the manager role)
  :in CHANNEL                 move to CHANNEL
  :reply MSG TEXT             reply to message #MSG
  :react MSG EMOJI            react to #MSG (:unreact to take it back)
  :click MSG BUTTON           press a button on #MSG, by its label or number
  :join NAME / :leave NAME    a member joins or leaves the community
  :advance DURATION           move the clock (30m, 2h, 1d, 1w) and run what falls due
  :now                        show the community's local time
  :quit                       leave"""


class ChannelNotFound(Exception):
    """A send to a channel the console community does not have."""


@dataclass
class Shown:
    """A message printed in the console, kept so later lines can refer to it."""

    number: int
    channel: str
    author: MemberRef
    message: Message
    private_to: str = ""


@dataclass
class _FormInProgress:
    event: InboundEvent
    form: Form
    answers: dict[str, str] = field(default_factory=dict)


class ConsoleAdapter:
    """Reads lines as members' messages, commands and directives; prints every message."""

    platform = PLATFORM

    def __init__(
        self,
        config: ConsoleConfig,
        out: TextIO | None = None,
        member: str | None = None,
        zone_name: str = "UTC",
    ) -> None:
        self.config = config
        self.admin_channel = config.admin_channel
        self.out = out or sys.stdout
        self.zone_name = zone_name
        self.channels = {
            name: ChannelRef(PLATFORM, name, name, is_admin=name == config.admin_channel)
            for name in config.channels
        }
        self.member = member or config.member
        self.managers: set[str] = set()
        self.channel = "general" if "general" in self.channels else next(iter(self.channels))
        self.run_id = secrets.token_hex(3)
        self.shown: dict[int, Shown] = {}
        self.edits: dict[int, int] = {}
        self._counter = 0
        self._events = 0
        self._form: _FormInProgress | None = None
        self.app: Core | None = None
        self.stopping = False
        self._time_shown: datetime | None = None  # while advancing: the last time printed

    # ---- adapter protocol ---------------------------------------------------------------
    async def start(self, app: Core) -> None:
        self.app = app

    async def stop(self) -> None:
        self.stopping = True

    async def serve(self) -> None:
        """Run the script from stdin, or an interactive session at a terminal."""
        if sys.stdin.isatty():
            await self.serve_interactive()
        else:
            await self.serve_script(sys.stdin)

    async def send(self, channel_id: str, message: Message) -> SentMessage:
        if channel_id not in self.channels:
            raise ChannelNotFound(f"the console has no channel #{channel_id}")
        shown = self._show(channel_id, BOT, message)
        return SentMessage(PLATFORM, channel_id, self.message_id(shown.number))

    async def update(self, sent: SentMessage, message: Message) -> None:
        number = self.number_of(sent.message_id)
        if number is None:
            raise LookupError(f"no console message {sent.message_id}")
        shown = self.shown[number]
        shown.message = message
        self.edits[number] = self.edits.get(number, 0) + 1
        self._print(shown, edited=True)

    async def reply_private(self, event: InboundEvent, message: Message) -> None:
        self._show(event.channel.channel_id, BOT, message, private_to=event.member.name)

    async def open_form(self, event: InboundEvent, form: Form) -> None:
        self._form = _FormInProgress(event, form)
        self.write(
            f"    ── {form.title} (for {event.member.name}; answer each line, :cancel to stop)"
        )
        self._prompt_field()

    async def find_channel(self, name: str) -> ChannelRef | None:
        return self.channels.get(name.strip().lstrip("#"))

    async def channel_names(self) -> list[str]:
        """Every channel's name (an optional adapter method, for telling members what exists)."""
        return list(self.channels)

    # ---- reading lines ------------------------------------------------------------------
    async def serve_script(self, stream: TextIO) -> None:
        """Read one line at a time (as it arrives); at the end, finish pending work."""
        while not self.stopping:
            line = await asyncio.to_thread(stream.readline)
            if not line:
                break
            await self.feed(line.rstrip("\n"))
        await self._require_app().jobs.drain()

    async def serve_interactive(self) -> None:
        """A prompt with readline history; the clock runs in real time (plus any :advance)."""
        history = _enable_history()
        self.write("Steward console — type a message, a /command, or :help for directives.")
        while not self.stopping:
            try:
                line = await asyncio.to_thread(input, self._prompt())
            except (EOFError, KeyboardInterrupt):
                self.write("")
                break
            await self.feed(line)
        history()

    async def feed(self, line: str) -> None:
        """Act on one line: a form answer, a directive, a /command, or a message."""
        app = self._require_app()
        text = line.strip()
        if self._form is not None and not text.startswith(":cancel"):
            await self._answer_form(line)
        elif not text:
            return
        elif text.startswith(":"):
            await self._directive(text)
        elif text.startswith("/"):
            await self._command(text)
        else:
            shown = self._show(self.channel, self._me(), Message(text=line))
            await app.handle(
                MessagePosted(**self._base(), message_id=self.message_id(shown.number), text=line)
            )
        await app.jobs.run_due()

    # ---- directives ---------------------------------------------------------------------
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
            )
        )

    async def _do_react(self, rest: str, added: bool = True) -> None:
        ref, _, emoji = rest.partition(" ")
        target = self._lookup(ref)
        if not emoji.strip():
            raise ValueError("write :react MSG EMOJI")
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
        button = _pick_button(target.message, which.strip())
        self.write(f"  {self.member} pressed [{button.label}] on #{target.number}")
        await self._require_app().handle(
            ButtonPressed(
                **self._base(target.channel),
                message_id=self.message_id(target.number),
                action_id=button.action_id,
            )
        )

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

    async def _do_cancel(self, _: str) -> None:
        if self._form is not None:
            self.write(f"    ── {self._form.form.title}: cancelled, nothing sent")
            self._form = None

    # ---- commands and forms -------------------------------------------------------------
    async def _command(self, text: str) -> None:
        self._show(self.channel, self._me(), Message(text=text))
        try:
            body, attachments = _extract_attachment(text[1:])
        except OSError as exc:
            self.write(f"! cannot read that file: {exc}")
            return
        name, _, rest = body.partition(" ")
        await self._require_app().handle(
            CommandInvoked(**self._base(), name=name, text=rest, attachments=attachments)
        )

    def _prompt_field(self) -> None:
        assert self._form is not None
        index = len(self._form.answers)
        form_field = self._form.form.fields[index]
        optional = "" if form_field.required else " (optional)"
        shown = " ".join(form_field.default.split())
        prefilled = f" [{shown}] (an empty line keeps it)" if shown else ""
        self.write(f"    {index + 1}. {form_field.label}{optional}{prefilled}")

    async def _answer_form(self, line: str) -> None:
        progress = self._form
        assert progress is not None
        form_field = progress.form.fields[len(progress.answers)]
        if not line.strip() and form_field.default:
            line = form_field.default  # a pre-filled field left as it was
        if form_field.required and not line.strip():
            self.write("    (an answer is needed; :cancel to stop)")
            return
        progress.answers[form_field.field_id] = line.strip()
        if len(progress.answers) < len(progress.form.fields):
            self._prompt_field()
            return
        self._form = None
        event = progress.event
        await self._require_app().handle(
            FormSubmitted(
                **self._base(event.channel.channel_id, event.member.name),
                form_id=progress.form.form_id,
                values=dict(progress.answers),
            )
        )

    # ---- bookkeeping --------------------------------------------------------------------
    def message_id(self, number: int) -> str:
        return f"{self.run_id}-{number}"

    def number_of(self, message_id: str) -> int | None:
        run, _, number = message_id.rpartition("-")
        return int(number) if run == self.run_id and number.isdigit() else None

    def _base(self, channel: str | None = None, member: str | None = None) -> dict:
        self._events += 1
        name = member or self.member
        return {
            "event_id": f"{self.run_id}-e{self._events}",
            "member": self._member(name),
            "channel": self.channels[channel or self.channel],
            "at": self._require_app().clock.now(),
        }

    def _member(self, name: str) -> MemberRef:
        is_manager = name in self.managers
        roles = ("manager",) if is_manager else ()
        return MemberRef(PLATFORM, name, name, is_manager=is_manager, roles=roles)

    def _me(self) -> MemberRef:
        return self._member(self.member)

    def _lookup(self, ref: str) -> Shown:
        number = ref.lstrip("#")
        if not number.isdigit() or int(number) not in self.shown:
            raise ValueError(f"no message #{number} (use the number printed before a message)")
        return self.shown[int(number)]

    def _show(
        self,
        channel: str,
        author: MemberRef,
        message: Message,
        private_to: str = "",
        parent: Shown | None = None,
    ) -> Shown:
        self._counter += 1
        shown = Shown(self._counter, channel, author, message, private_to)
        self.shown[shown.number] = shown
        self._print(shown, parent=parent)
        return shown

    def _print(self, shown: Shown, edited: bool = False, parent: Shown | None = None) -> None:
        self._mark_time()
        who = shown.author.name
        if shown.private_to:
            who += f" → {shown.private_to} (private)"
        if parent is not None:
            who += f" ↳#{parent.number}"
        tag = f" [{shown.message.tag}]" if shown.message.tag else ""
        mark = " (edited)" if edited else ""
        header = f"#{shown.number}{mark} [{shown.channel}] {who}{tag}: {first_line(shown.message)}"
        self.write("\n".join([header, *render_body(shown.message)]))

    def _mark_time(self) -> None:
        """During :advance, say when things happen: a time line whenever the clock has moved."""
        if self._time_shown is None or self.app is None:
            return
        now = self.app.clock.now()
        if now != self._time_shown:
            self._time_shown = now
            self.write(f"— {format_local(now, ZoneInfo(self.zone_name))}")

    def write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _prompt(self) -> str:
        role = "*" if self.member in self.managers else ""
        return f"{self.member}{role}@#{self.channel}> "

    def _local_time(self, when: datetime) -> str:
        return f"now {format_local(when, ZoneInfo(self.zone_name))}"

    def _require_app(self) -> Core:
        if self.app is None:
            raise RuntimeError("the console adapter is not started")
        return self.app


def _pick_button(message: Message, which: str):
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


def _extract_attachment(body: str) -> tuple[str, tuple[Attachment, ...]]:
    """Turn a console-only `file:PATH` option into an attachment, as a platform upload would."""
    match = _FILE_OPTION.search(body)
    if not match:
        return body, ()
    path = Path(match.group(1) or match.group(2)).expanduser()
    data = path.read_bytes()
    rest = (body[: match.start()] + body[match.end() :]).strip()
    return rest, (Attachment(path.name, data),)


def _enable_history():
    """Readline history in ~/.steward_history; returns a function that saves it."""
    try:
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return lambda: None
    path = Path.home() / ".steward_history"
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(1000)

    def save() -> None:
        with contextlib.suppress(OSError):
            readline.write_history_file(path)

    return save
