"""`/calendar list`: the coming calendar posts as a readable agenda, grouped by local day.

The agenda is read first (`read_agenda`), then the channels of the posts it can show are looked
up by id (`Listing.channels`) so each is shown by its current name, and then it is put in words
(`agenda`). It cuts itself to one message of the platform (its length, sections per message and
section length), with a hint to ask for less.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.core.capabilities import Capabilities
from bot.core.events import ChannelRef
from bot.core.messages import Message, Section
from bot.features.calendar.channels import Key, shown_name
from bot.features.calendar.store import PAUSED, SKIPPED, CalendarOccurrence, CalendarPost

MAX_ENTRIES = 60
MAX_PAUSED = 10
MAX_HEADLINE = 60
MAX_RULE = 30


@dataclass(frozen=True)
class View:
    """What to show: the days ahead, one channel or all, current channel names, and what one
    message holds on the platform asking."""

    days: int
    limits: Capabilities
    channel: ChannelRef | None = None
    names: Mapping[Key, str] = field(default_factory=dict)

    def filter(self, query):
        if self.channel is None:
            return query
        return query.where(
            CalendarPost.platform == self.channel.platform,
            CalendarPost.channel_id == self.channel.channel_id,
        )

    def name(self, post: CalendarPost) -> str:
        return self.names.get((post.platform, post.channel_id)) or shown_name(post)


@dataclass(frozen=True)
class Listing:
    """The agenda as read: its occurrences (time, post) in order, the skipped ones, and the
    paused posts."""

    entries: list[tuple[datetime, CalendarPost]]
    skipped: set[tuple[int, datetime]]
    paused: list[CalendarPost]

    def channels(self) -> set[Key]:
        """The (platform, channel id) of every post the agenda can show."""
        shown = [post for _, post in self.entries[:MAX_ENTRIES]] + self.paused[:MAX_PAUSED]
        return {(post.platform, post.channel_id) for post in shown}


def read_agenda(session: Session, now: datetime, view: View) -> Listing:
    """Every occurrence from `now` for `view.days` days (and which were skipped), and the
    paused posts."""
    end = now + timedelta(days=view.days)
    query = view.filter(select(CalendarPost).where(CalendarPost.next_at < end))
    # the first MAX_ENTRIES occurrences all belong to the posts whose next_at comes first
    query = query.order_by(CalendarPost.next_at, CalendarPost.id).limit(MAX_ENTRIES + 1)
    entries: list[tuple[datetime, CalendarPost]] = []
    for post in session.exec(query).all():
        for count, at in enumerate(post.schedule().iterate(post.next_at)):
            if at >= end or count > MAX_ENTRIES:
                break
            entries.append((at, post))
    entries.sort(key=lambda entry: (entry[0], entry[1].id))
    skipped = skipped_occurrences(session, [post.id for _, post in entries], now, end)
    paused = view.filter(select(CalendarPost).where(CalendarPost.status == PAUSED))
    return Listing(entries, skipped, list(session.exec(paused.order_by(CalendarPost.id)).all()))


def agenda(listing: Listing, zone: ZoneInfo, view: View) -> Message:
    """The occurrences read, skipped ones marked, then the paused posts, as many as fit in
    one message."""
    days, entries = view.days, listing.entries
    where = f" in #{view.channel.name}" if view.channel else ""
    span = "the next day" if days == 1 else f"the next {days} days"
    title = f"Calendar{where}: {span} ({zone.key})"
    paused = _paused(listing.paused, view)

    skipped = listing.skipped
    lines = [  # each entry's local day and line, worked out once
        (
            at.astimezone(zone).date(),
            entry_line(post, at, zone, view.name(post), (post.id, at) in skipped),
        )
        for at, post in entries[:MAX_ENTRIES]
    ]

    def showing(shown: int) -> Message:
        sections = _day_sections(lines[:shown])
        if shown < len(entries):
            hint = f"… and more; ask for fewer days (days:{max(1, days // 2)}) or one channel."
            sections.append(Section(text=hint))
        if not entries:
            sections.append(Section(text="Nothing scheduled. Add a post with /calendar add."))
        return Message(text=title, sections=(*sections, *paused))

    return showing(_most_that_fit(min(len(entries), MAX_ENTRIES), showing, view.limits))


def _most_that_fit(most: int, showing, limits: Capabilities) -> int:
    """The most entries (up to `most`, at least 0) whose message fits: all of them, else the
    most found by halving (with the "and more" hint, each entry only adds to the message)."""
    if fits(showing(most), limits):
        return most
    low, high = 0, most - 1  # showing(low) is what is left when nothing fits
    while low < high:
        middle = (low + high + 1) // 2
        if fits(showing(middle), limits):
            low = middle
        else:
            high = middle - 1
    return low


def fits(message: Message, limits: Capabilities) -> bool:
    """Whether `message` is within one message of the platform: length and sections."""
    return (
        len(message.plain_text()) <= limits.message_length
        and len(message.sections) <= limits.sections_per_message
        and all(len(s.text) <= limits.section_text_length for s in message.sections)
    )


def entry_line(
    post: CalendarPost, at: datetime, zone: ZoneInfo, channel: str, skipped: bool = False
) -> str:
    """`09:00 #12 [article] #announcements — Weekly update (daily)`."""
    headline = _headline(post)
    repeat = f" ({_cut(post.repeat, MAX_RULE)})" if post.repeat else ""
    mark = " — skipped" if skipped else ""
    return (
        f"{at.astimezone(zone):%H:%M} #{post.id} [{post.content_type}] #{channel} — "
        f"{headline}{repeat}{mark}"
    )


def _day_sections(lines: list[tuple[date, str]]) -> list[Section]:
    """The entries' lines under a title for each local day."""
    return [
        Section(title=f"{day:%a %Y-%m-%d}", text="\n".join(line for _, line in group))
        for day, group in groupby(lines, key=lambda entry: entry[0])
    ]


def skipped_occurrences(
    session: Session, post_ids: list[int], start: datetime, end: datetime
) -> set[tuple[int, datetime]]:
    """(post id, time) of each occurrence of `post_ids` skipped between `start` and `end`."""
    if not post_ids:
        return set()
    rows = session.exec(
        select(CalendarOccurrence.post_id, CalendarOccurrence.occurs_at).where(
            CalendarOccurrence.post_id.in_(set(post_ids)),
            CalendarOccurrence.status == SKIPPED,
            CalendarOccurrence.occurs_at >= start,
            CalendarOccurrence.occurs_at < end,
        )
    ).all()
    return {(post_id, at) for post_id, at in rows}


def _paused(posts: list[CalendarPost], view: View) -> list[Section]:
    if not posts:
        return []
    lines = [
        f"#{p.id} [{p.content_type}] #{view.name(p)} — {_headline(p)}" for p in posts[:MAX_PAUSED]
    ]
    if len(posts) > MAX_PAUSED:
        lines.append(f"… and {len(posts) - MAX_PAUSED} more paused")
    return [Section(title="Paused", text="\n".join(lines))]


def _headline(post: CalendarPost) -> str:
    lines = (post.title or post.text).splitlines()
    return _cut(lines[0] if lines else "", MAX_HEADLINE)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
