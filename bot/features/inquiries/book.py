"""The tracker's memory: the inquiries that may still get a response, by what can answer them.

An ordinary message is checked against these maps alone, so a message outside the help
channels that answers nothing costs no database round trip. The book is loaded from the
database at the first event, then again at most a minute after the last load and at every
alert check (so what another process opened or answered is seen within a minute), and kept
up to date as this process opens and answers inquiries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.features.inquiries.ledger import Tracked

FOLLOW_UP = timedelta(minutes=2)  # a line by the asker this soon after their last joins it
Where = tuple[str, str, str, str]  # platform, channel id, thread id ("" for none), user id


@dataclass
class _Recent:
    inquiry_id: int
    at: datetime


def spot(platform: str, channel_id: str, thread_id: str | None, user_id: str) -> Where:
    """Where a member's lines are: a follow-up must come from the same spot."""
    return (platform, channel_id, thread_id or "", user_id)


class InquiryBook:
    """Tracked inquiries by line message id, by thread, and by asker within a channel."""

    def __init__(self) -> None:
        self._tracked: dict[int, Tracked] = {}
        self._by_line: dict[tuple[str, str, str], int] = {}  # platform, home channel, line
        self._by_thread: dict[tuple[str, str], int] = {}
        self._by_asker: dict[tuple[str, str, str], set[int]] = {}
        self._recent: dict[Where, _Recent] = {}
        self._touched: set[int] | None = None  # changed during a reload

    def begin_reload(self) -> None:
        """A reload's query starts: inquiries changed here meanwhile keep their state."""
        self._touched = set()

    def load(self, rows: Iterable[Tracked]) -> None:
        """Replace what is tracked with `rows` (the database's view), but for the inquiries
        this process changed since `begin_reload` (the query may have missed those)."""
        touched, self._touched = self._touched or set(), None
        for inquiry_id in [i for i in self._tracked if i not in touched]:
            self.drop(inquiry_id)
        for row in rows:
            if row.id not in touched:
                self.add(row)

    def add(self, row: Tracked) -> None:
        self.drop(row.id)
        self._touch(row.id)
        self._tracked[row.id] = row
        for line in row.lines:
            self._by_line[(row.platform, row.home_channel_id, line)] = row.id
        if row.thread_id is not None and row.thread_id == row.channel_id:  # asked in a thread
            self._by_thread.setdefault((row.platform, row.channel_id), row.id)
        if row.asker:
            self._by_asker.setdefault((row.platform, row.home_channel_id, row.asker), set()).add(
                row.id
            )
            where = spot(row.platform, row.channel_id, row.thread_id, row.asker)
            recent = self._recent.get(where)
            if recent is None or recent.at <= row.last_line_at:
                self._recent[where] = _Recent(row.id, row.last_line_at)

    def drop(self, inquiry_id: int, closed: bool = False) -> None:
        """Stop tracking an inquiry: it has had every response it can get, or it is `closed`
        (resolved or dismissed: the asker's next lines no longer join it)."""
        self._touch(inquiry_id)
        if closed:
            self._recent = {k: v for k, v in self._recent.items() if v.inquiry_id != inquiry_id}
        row = self._tracked.pop(inquiry_id, None)
        if row is None:
            return
        for line in row.lines:
            key = (row.platform, row.home_channel_id, line)
            if self._by_line.get(key) == inquiry_id:
                del self._by_line[key]
        if self._by_thread.get((row.platform, row.channel_id)) == inquiry_id:
            del self._by_thread[(row.platform, row.channel_id)]
        askers = self._by_asker.get((row.platform, row.home_channel_id, row.asker))
        if askers is not None:
            askers.discard(inquiry_id)
            if not askers:
                del self._by_asker[(row.platform, row.home_channel_id, row.asker)]

    def answered(self, inquiry_id: int) -> None:
        """It has its first response: from now on only a manager's response matters."""
        row = self._tracked.get(inquiry_id)
        if row is not None:
            self._touch(inquiry_id)
            self._tracked[inquiry_id] = replace(row, waiting=False)

    def add_line(self, inquiry_id: int, message_id: str, at: datetime) -> None:
        row = self._tracked.get(inquiry_id)
        if row is not None:
            self._touch(inquiry_id)
            self._tracked[inquiry_id] = replace(row, lines=(*row.lines, message_id))
            self._by_line[(row.platform, row.home_channel_id, message_id)] = inquiry_id

    def _touch(self, inquiry_id: int) -> None:
        if self._touched is not None:
            self._touched.add(inquiry_id)

    def get(self, inquiry_id: int) -> Tracked | None:
        return self._tracked.get(inquiry_id)

    # ---- what a message may answer ------------------------------------------------------
    def candidates(
        self,
        platform: str,
        home_id: str,
        channel_id: str,
        thread_id: str | None,
        parent_id: str | None,
        mentions: Iterable[str],
    ) -> set[int]:
        """The inquiries a message may respond to: it replies to one of their lines, is in a
        thread under one or in the thread it was asked in, or mentions its asker there."""
        found = set()
        for line in (parent_id, thread_id):
            if line is not None and (hit := self._by_line.get((platform, home_id, line))):
                found.add(hit)
        if thread_id is not None and (hit := self._by_thread.get((platform, channel_id))):
            found.add(hit)
        for user_id in mentions:
            found.update(self._by_asker.get((platform, home_id, user_id), ()))
        return found

    def first_line(self, platform: str, home_id: str, message_id: str) -> int | None:
        """The tracked inquiry whose first line is `message_id` (in channel `home_id`)."""
        hit = self._by_line.get((platform, home_id, message_id))
        row = self._tracked.get(hit) if hit is not None else None
        return hit if row is not None and row.lines[0] == message_id else None

    # ---- follow-up lines ----------------------------------------------------------------
    def follow_up(self, where: Where, at: datetime) -> int | None:
        """The asker's inquiry a new line at `where` joins (their last line was this soon)."""
        recent = self._recent.get(where)
        if recent is None or not (timedelta(0) <= at - recent.at <= FOLLOW_UP):
            return None
        return recent.inquiry_id

    def note_line(self, where: Where, inquiry_id: int, at: datetime) -> None:
        """The asker's latest line of `inquiry_id` at `where` (forgotten after FOLLOW_UP)."""
        self._recent[where] = _Recent(inquiry_id, at)
        if len(self._recent) > 4096:
            self._recent = {k: v for k, v in self._recent.items() if at - v.at <= FOLLOW_UP}
