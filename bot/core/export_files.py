"""What a history import reads: an export as files, each a stream of neutral events.

An adapter's export reader (a Slack workspace export, DiscordChatExporter JSON) opens the
export, checks its shape, and hands the core one `ExportFile` per file of it. Reading a file
yields its events in time order (with the platform event ids the live adapter gives the
same things), and a `Skipped` for each record it leaves out, saying why. A file that cannot
be read raises `BadExport` naming it; the import then keeps nothing of that file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.events import ChannelRef, InboundEvent


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record of the export not imported, and why (the summary counts them by reason)."""

    reason: str


class BadExport(Exception):
    """An export, or one file of it, that cannot be imported: `where` names the file (or
    folder), `problem` says what is wrong, in a line a manager can act on."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


Item = InboundEvent | Skipped


@dataclass(frozen=True)
class ExportFile:
    """One file of an export: `name` as shown to the manager (its path in the export),
    `size` in bytes (for progress), `read` streams its items (and may raise BadExport)."""

    name: str
    size: int
    read: Callable[[], Iterator[Item]]


@dataclass
class Export:
    """An opened export: its platform, its files in the order to import them, the channels
    it names (stored before any file, so features can find them by name), and what the
    manager should be told about it ("channel folder x is not in channels.json: imported")."""

    platform: str
    source: str  # the path given, as shown
    files: list[ExportFile]
    notes: list[str] = field(default_factory=list)
    channels: list[ChannelRef] = field(default_factory=list)
