"""`/calendar list`: the coming calendar posts as a readable agenda, grouped by local day.

The agenda is read first (`read_agenda`), then the channels of the posts it can show are looked
up by id (`Listing.channels`) so each is shown by its current name, and then it is put in words
(`agenda`). It cuts itself to one message of the platform (its length, sections per message and
section length), with a hint to ask for less.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table
from sqlmodel import Session

from bot.core.capabilities import Capabilities
from bot.core.events import ChannelRef
from bot.core.messages import Message, Section
from bot.features.calendar.channels import Key, shown_name
from bot.features.calendar.recurrence import Schedule
from bot.features.calendar.store import PAUSED, SKIPPED, CalendarOccurrence, CalendarPost
from bot.store.raw_sql import bind_value, connection_of, fetch, marks, result_value

MAX_ENTRIES = 60
MAX_PAUSED = 10
MAX_HEADLINE = 60
MAX_RULE = 30
NOTHING = "Nothing scheduled. Add a post with /calendar add."


class AgendaPost(NamedTuple):
    """What the agenda shows of a post, read as a plain row (not an ORM object)."""

    id: int
    platform: str
    channel_id: str
    channel_name: str
    content_type: str
    title: str
    text: str
    repeat: str
    timezone: str
    starts_at: datetime
    next_at: datetime | None

    def schedule(self) -> Schedule:
        return Schedule(self.repeat, self.starts_at, ZoneInfo(self.timezone))


_POSTS: Table = CalendarPost.__table__  # type: ignore[assignment]
_OCCURRENCES: Table = CalendarOccurrence.__table__  # type: ignore[assignment]
# the two times last: each read as its column's own type reads it
_SELECT_POSTS = "SELECT {} FROM {}".format(
    ", ".join(f'"{name}"' for name in AgendaPost._fields), _POSTS.name
)


@dataclass(frozen=True)
class View:
    """What to show: the days ahead, one channel or all, current channel names, and what one
    message holds on the platform asking."""

    days: int
    limits: Capabilities
    channel: ChannelRef | None = None
    names: Mapping[Key, str] = field(default_factory=dict)

    def where(self) -> tuple[str, tuple[str, ...]]:
        """The SQL that keeps to `channel` (after a condition) and its values; none for all."""
        if self.channel is None:
            return "", ()
        return " AND platform = ? AND channel_id = ?", (
            self.channel.platform,
            self.channel.channel_id,
        )

    def name(self, post: AgendaPost) -> str:
        return self.names.get((post.platform, post.channel_id)) or shown_name(post)


@dataclass(frozen=True)
class Listing:
    """The agenda as read: its occurrences (time, post) in order, the skipped ones, and the
    paused posts."""

    entries: list[tuple[datetime, AgendaPost]]
    skipped: set[tuple[int, datetime]]
    paused: list[AgendaPost]

    def channels(self) -> set[Key]:
        """The (platform, channel id) of every post the agenda can show."""
        shown = [post for _, post in self.entries[:MAX_ENTRIES]] + self.paused[:MAX_PAUSED]
        return {(post.platform, post.channel_id) for post in shown}


def read_agenda(session: Session, now: datetime, view: View) -> Listing:
    """Every occurrence from `now` for `view.days` days (and which were skipped), and the
    paused posts."""
    conn, end = connection_of(session), now + timedelta(days=view.days)
    only, channel = view.where()
    # the first MAX_ENTRIES occurrences all belong to the posts whose next_at comes first
    coming = f"next_at < ?{only} ORDER BY next_at, id LIMIT ?"
    until = bind_value(conn, _POSTS.c.next_at)(end)
    entries: list[tuple[datetime, AgendaPost]] = []
    for post in _read_posts(conn, coming, (until, *channel, MAX_ENTRIES + 1)):
        for count, at in enumerate(post.schedule().iterate(post.next_at)):
            if at >= end or count > MAX_ENTRIES:
                break
            entries.append((at, post))
    entries.sort(key=lambda entry: (entry[0], entry[1].id))
    skipped = skipped_occurrences(conn, [post.id for _, post in entries], now, end)
    paused = _read_posts(conn, f"status = ?{only} ORDER BY id", (PAUSED, *channel))
    return Listing(entries, skipped, paused)


def _read_posts(conn, where: str, values: tuple) -> list[AgendaPost]:
    """The posts `where` picks, as plain rows straight from the driver (a command's few
    rows: SQLAlchemy's statement and ORM work cost several times SQLite's own)."""
    utc = result_value(conn, _POSTS.c.next_at)
    return [
        AgendaPost(*row[:-2], utc(row[-2]), utc(row[-1]))
        for row in fetch(conn, f"{_SELECT_POSTS} WHERE {where}", values)
    ]


def agenda(listing: Listing, zone: ZoneInfo, view: View) -> Message:
    """The occurrences read, skipped ones marked, then the paused posts, as many as fit in
    one message."""
    days, entries = view.days, listing.entries
    where = f" in #{view.channel.name}" if view.channel else ""
    span = "the next day" if days == 1 else f"the next {days} days"
    title = f"Calendar{where}: {span} ({zone.key})"
    hint = Section(
        text=f"… and more; ask for fewer days (days:{max(1, days // 2)}) or one channel."
    )
    after = [Section(text=NOTHING)] if not entries else []
    after += _paused(listing.paused, view)
    lines = _lines(listing, zone, view)  # each entry's local day and line, worked out once

    def showing(shown: int) -> Message:
        cut = [hint] if shown < len(entries) else []
        return Message(text=title, sections=(*_day_sections(lines[:shown]), *cut, *after))

    def fits_at(shown: int) -> bool:
        return fits(showing(shown), view.limits)

    return showing(_most_that_fit(min(len(entries), MAX_ENTRIES), fits_at))


def _lines(listing: Listing, zone: ZoneInfo, view: View) -> list[tuple[date, str]]:
    """The local day and line of each entry that can be shown."""
    return [
        (
            at.astimezone(zone).date(),
            entry_line(post, at, zone, view.name(post), (post.id, at) in listing.skipped),
        )
        for at, post in listing.entries[:MAX_ENTRIES]
    ]


def _most_that_fit(most: int, fits_at: Callable[[int], bool]) -> int:
    """The most entries (up to `most`, at least 0) whose message fits: all of them, else the
    most found by halving (with the "and more" hint, each entry only adds to the message)."""
    if fits_at(most):
        return most
    low, high = 0, most - 1  # low: what is left when nothing fits
    while low < high:
        middle = (low + high + 1) // 2
        if fits_at(middle):
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
    post: AgendaPost, at: datetime, zone: ZoneInfo, channel: str, skipped: bool = False
) -> str:
    """`09:00 #12 [article] #announcements — Weekly update (daily)`."""
    headline = _headline(post)
    repeat = f" ({_cut(post.repeat, MAX_RULE)})" if post.repeat else ""
    mark = " — skipped" if skipped else ""
    return (
        f"{_clock(at.astimezone(zone))} #{post.id} [{post.content_type}] #{channel} — "
        f"{headline}{repeat}{mark}"
    )


def _day_sections(lines: list[tuple[date, str]]) -> list[Section]:
    """The entries' lines under a title for each local day."""
    return [
        Section(title=f"{day:%a %Y-%m-%d}", text="\n".join(line for _, line in group))
        for day, group in groupby(lines, key=lambda entry: entry[0])
    ]


def _clock(local: datetime) -> str:
    """`09:05`: as `%H:%M`, without strftime's cost (60 lines a list)."""
    return f"{local.hour:02d}:{local.minute:02d}"


def skipped_occurrences(
    session: Session | Connection, post_ids: list[int], start: datetime, end: datetime
) -> set[tuple[int, datetime]]:
    """(post id, time) of each occurrence of `post_ids` skipped between `start` and `end`."""
    if not post_ids:
        return set()
    conn, ids = connection_of(session), sorted(set(post_ids))
    at = bind_value(conn, _OCCURRENCES.c.occurs_at)
    sql = (
        f"SELECT post_id, occurs_at FROM {_OCCURRENCES.name} WHERE "
        f"post_id IN ({marks(len(ids))}) AND status = ? AND occurs_at >= ? AND occurs_at < ?"
    )
    utc = result_value(conn, _OCCURRENCES.c.occurs_at)
    rows = fetch(conn, sql, (*ids, SKIPPED, at(start), at(end)))
    return {(post_id, utc(occurs_at)) for post_id, occurs_at in rows}


def _paused(posts: list[AgendaPost], view: View) -> list[Section]:
    if not posts:
        return []
    lines = [
        f"#{p.id} [{p.content_type}] #{view.name(p)} — {_headline(p)}" for p in posts[:MAX_PAUSED]
    ]
    if len(posts) > MAX_PAUSED:
        lines.append(f"… and {len(posts) - MAX_PAUSED} more paused")
    return [Section(title="Paused", text="\n".join(lines))]


def _headline(post: AgendaPost) -> str:
    lines = (post.title or post.text).splitlines()
    return _cut(lines[0] if lines else "", MAX_HEADLINE)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
