"""What an import did, counted as it goes and told to the manager at the end."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.events import EventKind, InboundEvent

# the order and words of the summary's counts, by event kind
LABELS = {
    EventKind.MESSAGE: ("message", "messages"),
    EventKind.REPLY: ("reply", "replies"),
    EventKind.MESSAGE_SHARED: ("share", "shares"),
    EventKind.REACTION_ADDED: ("reaction", "reactions"),
    EventKind.MEMBER_JOINED: ("join", "joins"),
    EventKind.MEMBER_LEFT: ("leave", "leaves"),
    EventKind.MESSAGE_EDITED: ("edit", "edits"),
    EventKind.MESSAGE_DELETED: ("deletion", "deletions"),
    EventKind.THREAD_CREATED: ("thread", "threads"),
}
Key = tuple[str, str]


@dataclass
class ImportSummary:
    """Counts of one import: what was new, what was there already, what was left out."""

    platform: str
    source: str
    dry_run: bool = False
    files: int = 0  # in the export
    imported: list[str] = field(default_factory=list)  # files committed (or checked, dry)
    new: Counter[EventKind] = field(default_factory=Counter)
    by_bots: Counter[EventKind] = field(default_factory=Counter)  # of `new`, by bots
    repeats: int = 0  # recorded already (an earlier import, or live)
    skipped: Counter[str] = field(default_factory=Counter)  # by reason
    members: set[Key] = field(default_factory=set)
    channels: set[Key] = field(default_factory=set)
    members_before: int = 0
    members_after: int = 0
    channels_before: int = 0
    channels_after: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    failed: str = ""  # what stopped it: the file and why, Ctrl-C, the database
    bad_file: bool = False  # it stopped at a file that cannot be read

    def count(self, events: list[InboundEvent], fresh: list[bool]) -> None:
        """Events read, each new or a repeat."""
        if not events:
            return
        members, channels, new, by_bots = self.members, self.channels, self.new, self.by_bots
        for event, is_new in zip(events, fresh, strict=True):
            member, channel = event.member, event.channel
            members.add((member.platform, member.user_id))
            channels.add((channel.platform, channel.home_id))
            if is_new:
                new[event.kind] += 1
                if member.is_bot:
                    by_bots[event.kind] += 1
        self.repeats += len(fresh) - sum(fresh)
        times = [event.at for event in events]
        first, last = min(times), max(times)
        self.first_at = first if self.first_at is None else min(self.first_at, first)
        self.last_at = last if self.last_at is None else max(self.last_at, last)

    def merge(self, other: ImportSummary) -> None:
        """Add what `other` (one file's tally) counted."""
        self.new.update(other.new)
        self.by_bots.update(other.by_bots)
        self.skipped.update(other.skipped)
        self.repeats += other.repeats
        self.members |= other.members
        self.channels |= other.channels
        for at in (other.first_at, other.last_at):
            if at is not None:
                self.first_at = at if self.first_at is None else min(self.first_at, at)
                self.last_at = at if self.last_at is None else max(self.last_at, at)

    @property
    def events(self) -> int:
        """The new events recorded."""
        return sum(self.new.values())

    def lines(self, zone: ZoneInfo) -> list[str]:
        """The summary as lines of text, times in the community's `zone`."""
        verb = "checked (dry run: nothing written)" if self.dry_run else "imported"
        rate = f", {self.events / self.seconds:,.0f} new events/s" if self.events else ""
        out = [
            f"{self.platform.capitalize()} export {self.source}: {len(self.imported):,} of "
            f"{self.files:,} files {verb} in {self.seconds:.{1 if self.seconds >= 10 else 2}f}s"
            f"{rate}",
            f"  new: {_counts(self.new) or 'nothing'}",
            f"  already recorded: {self.repeats:,} (skipped as repeats)",
        ]
        if self.by_bots:
            out.append(f"  of them by bots (kept apart from members): {_counts(self.by_bots)}")
        out.append(
            f"  members: {len(self.members):,} in the export, "
            f"{self.members_after - self.members_before:,} new to Steward · channels: "
            f"{len(self.channels):,}, {self.channels_after - self.channels_before:,} new"
        )
        if self.first_at is not None and self.last_at is not None:
            out.append(f"  time range: {_when(self.first_at, zone)} – {_when(self.last_at, zone)}")
        if self.new[EventKind.REACTION_ADDED]:
            out.append(
                "  reactions carry no time in the export: each is recorded at its message's time"
            )
        if self.skipped:
            out.append(f"  skipped {sum(self.skipped.values()):,} records:")
            out.extend(f"    {reason}: {n:,}" for reason, n in self.skipped.most_common())
        out.extend(f"  note: {note}" for note in self.notes)
        if self.failed:
            out.append(f"  stopped at {self.failed}")
            left = self.files - len(self.imported)
            mended = " once it is mended" if self.bad_file else ""
            out.append(
                f"  {left:,} of the {self.files:,} files were not imported: run the same command"
                f" again{mended} (what is imported already is skipped)"
            )
        return out


def _counts(counts: Counter[EventKind]) -> str:
    return " · ".join(
        f"{counts[kind]:,} {words[counts[kind] != 1]}"
        for kind, words in LABELS.items()
        if counts[kind]
    )


def _when(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
