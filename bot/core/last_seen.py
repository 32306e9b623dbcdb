"""Members' last-seen times, coalesced: written when they moved by more than a minute."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Table

from bot.store.models import Member
from bot.store.raw_sql import bind_value, execute_many

SLACK = timedelta(minutes=1)
_MEMBERS: Table = Member.__table__  # type: ignore[assignment]
# another process (or an older event written later) never moves a stored time back
_NEVER_BACKWARDS = (
    "UPDATE member SET last_seen_at = CASE WHEN last_seen_at IS NULL OR last_seen_at < ? "
    "THEN ? ELSE last_seen_at END WHERE id = ?"
)


class LastSeen:
    """What each member's stored `last_seen_at` is and what it should be.

    A time is written once it is more than a minute past the one stored (or, for a member
    this process has not written yet, past the first it saw); `flush` writes the rest, at
    least once a minute and on a clean stop. Used under the writer's lock only.

    What a transaction changes of that knowledge is kept until the next one `begin`s, so that
    `rolled_back` undoes exactly those members (the rest stays known as stored).
    """

    def __init__(self, slack: timedelta = SLACK) -> None:
        self.slack = slack
        self._stored: dict[int, datetime] = {}
        self._latest: dict[int, datetime] = {}
        self._since: dict[int, datetime] = {}  # the first time seen, for those not written yet
        self._dirty: set[int] = set()  # latest is past what is stored
        self._undo: list[tuple[int, datetime | None, datetime | None, datetime | None, bool]] = []

    def begin(self) -> None:
        """A transaction starts: the one before it was committed or rolled back."""
        self._undo.clear()

    def rolled_back(self) -> None:
        """The current transaction was rolled back: what it wrote is not stored after all."""
        for member, stored, latest, since, dirty in reversed(self._undo):
            _put(self._stored, member, stored)
            _put(self._latest, member, latest)
            _put(self._since, member, since)
            (self._dirty.add if dirty else self._dirty.discard)(member)
        self._undo.clear()

    def stored(self, member_id: int, at: datetime) -> None:
        """The member's row was just written with `last_seen_at = at` (a new member)."""
        self._keep(member_id)
        self._stored[member_id] = self._latest[member_id] = at
        self._since.pop(member_id, None)
        self._dirty.discard(member_id)

    def seen(self, member_id: int, at: datetime) -> None:
        """The member did something at `at`."""
        latest = self._latest.get(member_id)
        if latest is None or at > latest:
            self._latest[member_id] = at
            stored = self._stored.get(member_id)
            if stored is None:
                self._since.setdefault(member_id, at)
            if stored is None or at > stored:
                self._dirty.add(member_id)

    def write_due(self, conn, members: Iterable[int]) -> None:
        """Write the times of these members that moved more than the slack past what is stored."""
        due = []
        for member in members:
            if member in self._dirty:
                written = self._stored.get(member) or self._since[member]
                if self._latest[member] - written > self.slack:
                    due.append(member)
        self._write(conn, due)

    def flush(self, conn) -> None:
        """Write every time that moved at all."""
        self._write(conn, list(self._dirty))

    def _keep(self, member: int) -> None:
        """Remember what is known of `member` before the current transaction changes it."""
        known = (self._stored.get(member), self._latest.get(member), self._since.get(member))
        self._undo.append((member, *known, member in self._dirty))

    def _write(self, conn, members: list[int]) -> None:
        if not members:
            return
        stored = bind_value(conn, _MEMBERS.c.last_seen_at)
        rows = []
        for member in members:
            at = stored(self._latest[member])
            rows.append((at, at, member))
        execute_many(conn, _NEVER_BACKWARDS, rows)
        for member in members:
            self._keep(member)
            self._stored[member] = self._latest[member]
            self._since.pop(member, None)
            self._dirty.discard(member)


def _put(values: dict[int, datetime], member: int, value: datetime | None) -> None:
    if value is None:
        values.pop(member, None)
    else:
        values[member] = value
