"""Playing `steward demo`'s acts on the console adapter, one console line at a time.

Every line goes through the console's own `feed`, as `steward console` reads a script: the
lines are also written to a script file, and that file fed to `steward console` (same
configuration and `--now`) builds the same community. A line that refers to a message
(`:reply 12 …`) needs its number, which only the console knows once it has printed it: the
player reads it from what the console has shown (a member's message is numbered as it is fed,
a calendar post when the clock reaches its time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bot.cli.demo_acts import Act
from bot.cli.demo_phrases import MANAGERS

if TYPE_CHECKING:
    from bot.core.app import Steward


class ConsoleLines(Protocol):
    """What the player uses of the console adapter: its lines in, its numbered messages."""

    shown: dict[int, Any]  # number -> what it printed (channel, author, message, private_to)

    async def feed(self, line: str) -> None: ...


@dataclass
class _Awaited:
    """A post a command brings (now, or when the clock reaches it): where, what, its key."""

    key: str
    channel: str
    tag: str
    title: str
    tally: str


@dataclass
class Played:
    """What the player did: acts by tally, lines fed, acts it could not play (and why)."""

    tallies: Counter = field(default_factory=Counter)
    lines: int = 0  # fed to the console
    skipped: Counter = field(default_factory=Counter)
    shown_lines: int = 0  # of the console's transcript
    complaints: int = 0  # lines the console refused (`! no message #12 …`)


class ScriptPlayer:
    """Feeds acts to the console as the lines a person would type."""

    def __init__(self, app: Steward, console: ConsoleLines, script: TextIO | None = None):
        self.app = app
        self.console = console
        self.script = script
        self.numbers: dict[str, int] = {}  # act keys -> console message numbers
        self.awaited: list[_Awaited] = []
        self.member = app.settings.console.member  # who the console starts as
        self.channel = "general"
        self.managers: set[str] = set()
        self.played = Played()
        self._posts: Counter = Counter()  # the posts brought while acts are played

    async def play(self, acts: list[Act]) -> Counter:
        """Play `acts` in order, moving the clock to each. Returns the tallies of those played,
        and of the posts their commands brought (`calendar post`, …; all `polls`)."""
        played, self._posts = Counter(), Counter()
        for act in acts:
            await self.advance_to(act.at)
            if await self._act(act):
                played[act.tally] += 1
        self.played.tallies.update(played)
        return played + self._posts

    async def advance_to(self, at: datetime) -> None:
        """`:advance` the console's clock to `at` (due jobs run on the way)."""
        delta = at - self.app.clock.now()
        if delta > timedelta(0):
            await self.line(f":advance {duration(delta)}")

    async def line(self, text: str) -> list[int]:
        """Feed one line; the numbers of the messages the console showed meanwhile."""
        before = self._last()
        if self.script is not None:
            self.script.write(text + "\n")
        await self.console.feed(text)
        self.played.lines += 1
        new = list(range(before + 1, self._last() + 1))
        self._notice(new)
        return new

    def _last(self) -> int:
        return next(reversed(self.console.shown), 0)

    # ---- acts ---------------------------------------------------------------------------
    async def _act(self, act: Act) -> bool:
        """Play one act; False (and why, in `skipped`) when it cannot be played."""
        if act.kind in ("join", "leave"):
            await self.line(f":{act.kind} {act.member}")
            return True
        if act.target and act.target not in self.numbers:
            self.played.skipped[f"{act.kind}: its message was not shown"] += 1
            return False
        if act.kind == "command" and not self._known(act.text):
            self.played.skipped[f"{act.text.split()[0]}: not in this build"] += 1
            return False
        await self._be(act.member, act.channel)
        await self._perform(act, self.numbers.get(act.target))
        return True

    async def _perform(self, act: Act, number: int | None) -> None:
        """The act's line(s), as `act.member` in `act.channel`; `number`: its target's."""
        if act.kind in ("say", "command"):
            if act.key and act.tag:
                self.awaited.append(_Awaited(act.key, _where(act), act.tag, act.title, act.tally))
            shown = await self.line(act.text)
            if act.key and not act.tag:
                self._name_mine(act, shown)
        elif act.kind == "reply":
            self._name_mine(act, await self.line(f":reply {number} {act.text}"))
        elif act.kind in ("react", "click"):
            await self.line(f":{act.kind} {number} {act.text}")
        elif act.kind == "respond":
            await self.line(f":click {number} {act.text}")
            for answer in act.answers:
                await self.line(answer)

    async def _be(self, member: str, channel: str) -> None:
        """Become `member` (a manager the first time, if they are one) and go to `channel`."""
        promote = member in MANAGERS and member not in self.managers
        if member != self.member or promote:
            role = " manager" if promote else ""
            await self.line(f":as {member}{role}")
            self.member = member
            if role:
                self.managers.add(member)
        if channel and channel != self.channel:
            await self.line(f":in {channel}")
            self.channel = channel

    def _known(self, text: str) -> bool:
        """Whether this build has the command `text` runs (the objectives may not be)."""
        words = text.lstrip("/").split()
        registry = self.app.registry
        return any(registry.get(" ".join(words[:n]).lower()) for n in (2, 1) if len(words) >= n)

    def _name_mine(self, act: Act, shown: list[int]) -> None:
        """Key the member's own message among those just shown."""
        for number in shown:
            message = self.console.shown[number]
            if message.author.name == act.member and not message.author.is_bot:
                self.numbers[act.key] = number
                return

    def _notice(self, shown: list[int]) -> None:
        """Key each public post that a command brought (a calendar post at its time)."""
        if not self.awaited:
            return
        for number in shown:
            message = self.console.shown[number]
            if message.private_to or not message.author.is_bot:
                continue
            for awaited in self.awaited:
                if _brings(awaited, message):
                    self.numbers[awaited.key] = number
                    self._posts[f"{awaited.tally} post"] += 1
                    if awaited.tag == "poll":
                        self._posts["polls"] += 1
                    self.awaited.remove(awaited)
                    break


def _where(act: Act) -> str:
    """The channel a command's post appears in: its `channel:` option, else where it ran."""
    for word in act.text.split():
        if word.startswith("channel:"):
            return word.removeprefix("channel:").lstrip("#")
    return act.channel


def _brings(awaited: _Awaited, shown: Any) -> bool:
    message = shown.message
    return (
        shown.channel == awaited.channel
        and message.tag == awaited.tag
        and awaited.title in message.text
    )


def duration(delta: timedelta) -> str:
    """`delta` as `:advance` takes it: `1d2h5m`, `45m`, `30s`."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s"))
    return "".join(f"{n}{unit}" for n, unit in parts if n) or "0s"


class TranscriptFile:
    """The file the console prints to, counting its lines and the console's complaints."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines = 0
        self.complaints = 0  # `! no message #12 …`: a line the console could not act on
        self._file: TextIO | None = None

    def __enter__(self) -> TranscriptFile:
        self._file = self.path.open("w", encoding="utf-8")
        return self

    def __exit__(self, *_: object) -> None:
        if self._file is not None:
            self._file.close()

    def write(self, text: str) -> int:
        assert self._file is not None, "write inside `with TranscriptFile(…)`"
        self.lines += text.count("\n")
        if "! " in text:
            self.complaints += sum(line.startswith("! ") for line in text.splitlines())
        return self._file.write(text)

    def flush(self) -> None:
        """Nothing: the file is written as it fills, and closed at the end."""
