"""The console adapter: a community in a terminal (or a script), with a clock it can advance."""

from __future__ import annotations

import contextlib
import secrets
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from adapters.console.attachments import extract_attachment
from adapters.console.directives import Directives, mentions
from adapters.console.forms import FormInProgress, FormPrompting
from adapters.console.line_reader import in_daemon_thread
from adapters.console.responder import ConsoleResponder
from adapters.console.saved_files import SavedFiles
from adapters.console.transcript import Shown, Transcript
from bot.core.capabilities import CONSOLE
from bot.core.config import ConsoleConfig
from bot.core.envelope import Destination
from bot.core.events import (
    ChannelRef,
    CommandInvoked,
    InboundEvent,
    MemberRef,
    MessagePosted,
    RoleRef,
)
from bot.core.messages import Message, SentMessage

if TYPE_CHECKING:
    from bot.core.adapter import Core

PLATFORM = "console"
BOT = MemberRef(PLATFORM, "steward", "Steward", is_bot=True)


class ChannelNotFound(Exception):
    """A send to a channel the console community does not have."""


class ConsoleAdapter(Directives, FormPrompting, Transcript):
    """Reads lines as members' messages, commands and directives; prints every message."""

    platform = PLATFORM
    capabilities = CONSOLE

    def __init__(
        self,
        config: ConsoleConfig,
        out: TextIO | None = None,
        member: str | None = None,
        zone_name: str = "UTC",
        files_dir: Path | None = None,
    ) -> None:
        """`files_dir` keeps the images and files Steward sends (None: only described)."""
        self.config = config
        self.files = SavedFiles(files_dir)
        self.admin_channel = config.admin_channel
        self.out = out or sys.stdout
        self.zone_name = zone_name
        self.channels = {
            name: ChannelRef(PLATFORM, name, name, is_admin=name == config.admin_channel)
            for name in config.channels
        }
        self.member = member or config.member
        self.managers: set[str] = set()
        self.reactions: set[tuple[int, str, str]] = set()  # (message number, member, emoji)
        self.threads: set[int] = set()
        self.channel = "general" if "general" in self.channels else next(iter(self.channels))
        self.run_id = secrets.token_hex(3)
        self.shown: dict[int, Shown] = {}
        self.edits: dict[int, int] = {}
        self._counter = 0
        self._events = 0
        self._form: FormInProgress | None = None
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

    async def send(self, to: Destination, message: Message) -> SentMessage:
        if to.channel_id not in self.channels:
            raise ChannelNotFound(f"the console has no channel #{to.channel_id}")
        under = self._parent_of(to.thread_id or to.reply_to)
        private_to = to.private_to or ""
        thread = to.thread_id is not None
        shown = self._show(
            to.channel_id, BOT, message, private_to=private_to, parent=under, thread=thread
        )
        return SentMessage(PLATFORM, to.channel_id, self.message_id(shown.number))

    def _parent_of(self, message_id: str | None) -> Shown | None:
        number = self.number_of(message_id) if message_id else None
        return self.shown.get(number) if number is not None else None

    async def update(self, sent: SentMessage, message: Message) -> None:
        number = self.number_of(sent.message_id)
        if number is None:
            raise LookupError(f"no console message {sent.message_id}")
        shown = self.shown[number]
        shown.message = message
        self.edits[number] = self.edits.get(number, 0) + 1
        self._print(shown, edited=True)

    def show_private(self, channel_id: str, member: str, message: Message) -> None:
        """Print `message` as seen by `member` alone."""
        self._show(channel_id, BOT, message, private_to=member)

    def responder(self, event: InboundEvent) -> ConsoleResponder:
        """The handle the core answers the interaction `event` through."""
        return ConsoleResponder(self, event)

    async def find_channel(self, name: str) -> ChannelRef | None:
        return self.channels.get(name.strip().lstrip("#"))

    async def channel_names(self) -> list[str]:
        """Every channel's name (an optional adapter method, for telling members what exists)."""
        return list(self.channels)

    async def find_member(self, name_or_id: str) -> MemberRef | None:
        """Anyone named is a member on the console (`:as NAME` makes them); a name is its id."""
        name = name_or_id.strip().lstrip("@")
        return self._member(name) if name and not any(c.isspace() for c in name) else None

    async def find_role(self, name_or_id: str) -> RoleRef | None:
        """The console's one role, `manager` (given by `:as NAME manager`)."""
        name = name_or_id.strip().lstrip("@")
        return RoleRef(PLATFORM, name, name) if name == "manager" else None

    async def role_names(self) -> list[str]:
        return ["manager"]

    # ---- reading lines ------------------------------------------------------------------
    async def serve_script(self, stream: TextIO) -> None:
        """Read one line at a time (as it arrives); at the end, finish pending work."""
        while not self.stopping:
            line = await in_daemon_thread(stream.readline)
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
                line = await in_daemon_thread(input, self._prompt())
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
            message_id = self.message_id(shown.number)
            await app.handle(
                MessagePosted(
                    **self._base(), message_id=message_id, text=line, mentions=mentions(line)
                )
            )
        await app.jobs.run_due()

    async def _command(self, text: str) -> None:
        self._show(self.channel, self._me(), Message(text=text))
        try:
            body, attachments = extract_attachment(text[1:])
        except OSError as exc:
            self.write(f"! cannot read that file: {exc}")
            return
        name, _, rest = body.partition(" ")
        command = CommandInvoked(**self._base(), name=name, text=rest, attachments=attachments)
        await self._require_app().handle(command, self.responder(command))

    # ---- who and where ------------------------------------------------------------------
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

    def _prompt(self) -> str:
        role = "*" if self.member in self.managers else ""
        return f"{self.member}{role}@#{self.channel}> "

    def _require_app(self) -> Core:
        if self.app is None:
            raise RuntimeError("the console adapter is not started")
        return self.app


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
