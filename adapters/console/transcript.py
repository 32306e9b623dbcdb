"""What the console has printed: numbered messages that later lines can refer to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TextIO
from zoneinfo import ZoneInfo

from adapters.console.render import first_line, render_body
from adapters.console.saved_files import SavedFiles
from bot.core.events import MemberRef
from bot.core.messages import Message
from bot.text.when import format_local

if TYPE_CHECKING:
    from bot.core.adapter import Core


@dataclass
class Shown:
    """A message printed in the console, kept so later lines can refer to it."""

    number: int
    channel: str
    author: MemberRef
    message: Message
    private_to: str = ""


class Transcript:
    """Numbers and prints every message, a member's or the bot's (a part of the adapter)."""

    out: TextIO
    run_id: str
    zone_name: str
    app: Core | None
    shown: dict[int, Shown]
    _counter: int
    _time_shown: datetime | None
    files: SavedFiles

    def message_id(self, number: int) -> str:
        return f"{self.run_id}-{number}"

    def number_of(self, message_id: str) -> int | None:
        run, _, number = message_id.rpartition("-")
        return int(number) if run == self.run_id and number.isdigit() else None

    def message_link(
        self, channel_id: str, message_id: str, thread_id: str | None = None
    ) -> str | None:
        """The message's printed id (`#12`, what `:reply` and `:react` take); None for one
        this run did not print."""
        number = self.number_of(message_id)
        return f"#{number}" if number in self.shown else None

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
        thread: bool = False,
    ) -> Shown:
        """Number and print a message; `parent` is what it answers (in its thread: `thread`)."""
        self._counter += 1
        shown = Shown(self._counter, channel, author, message, private_to)
        self.shown[shown.number] = shown
        self._print(shown, parent=parent, thread=thread)
        return shown

    def _print(
        self, shown: Shown, edited: bool = False, parent: Shown | None = None, thread: bool = False
    ) -> None:
        self._mark_time()
        who = shown.author.name
        if shown.private_to:
            who += f" → {shown.private_to} (private)"
        if parent is not None:
            who += f" 🧵#{parent.number}" if thread else f" ↳#{parent.number}"
        tag = f" [{shown.message.tag}]" if shown.message.tag else ""
        mark = " (edited)" if edited else ""
        header = f"#{shown.number}{mark} [{shown.channel}] {who}{tag}: {first_line(shown.message)}"
        self.write("\n".join([header, *render_body(shown.message, self.files.note)]))

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

    def _local_time(self, when: datetime) -> str:
        return f"now {format_local(when, ZoneInfo(self.zone_name))}"
