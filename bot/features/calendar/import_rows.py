"""What a calendar import reads from a file (rows) and what it finds (the result)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.features.calendar.posts import PostDraft
from bot.text.excerpts import excerpt

MAX_NAME = 40  # characters of a post's name in a reply


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (empty, binary, too big, not CSV or ICS)."""


@dataclass(frozen=True)
class Defaults:
    """The channel and content type for every post of a file that does not name its own."""

    channel: str = ""
    content_type: str = ""


@dataclass(frozen=True)
class Row:
    """One post as read from the file, with the line it starts on."""

    line: int
    fields: dict[str, object]
    error: str = ""  # a problem found while reading it
    note: str = ""  # something the reply should mention, though the row is good

    @property
    def name(self) -> str:
        """How the reply names the post: its title, else its UID, else its text."""
        for key in ("title", "uid", "text"):
            value = str(self.fields.get(key) or "").strip()
            if value:
                return excerpt(value, MAX_NAME)
        return "(untitled)"


@dataclass
class ImportResult:
    """What an import found and did."""

    filename: str
    drafts: list[tuple[int, PostDraft]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)  # listed when a row names an unknown one
    stored: list[tuple[int, int, str]] = field(default_factory=list)  # (line, post id, status)
    repeated: list[tuple[int, int]] = field(default_factory=list)  # (line, earlier line)
    defaulted: dict[int, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # line → (the post's name, which defaults it took: "channel", "type")
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, note) on good rows
    skip_bad: bool = False
    defaults: Defaults = field(default_factory=Defaults)

    @property
    def rows(self) -> int:
        return len(self.drafts) + len(self.errors) + len(self.stored) + len(self.repeated)

    @property
    def nothing_new(self) -> bool:
        """No new post, but some rows are already in the calendar: a quiet success when the
        rest are bad rows to skip (or there are none)."""
        return not self.drafts and bool(self.stored) and (self.skip_bad or not self.errors)
