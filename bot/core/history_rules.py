"""What recording history (an import, a catch-up) does differently from live events.

Live, a join sets the member's join date and a leave their leaving date: it is the newest
thing known. History arrives out of order (channel by channel, day by day) and may be older
than what Steward saw live, so:
- a member's join date only moves back, to their earliest join on record;
- their first-seen time only moves back, to their earliest event on record;
- a leave is logged but never marks the member gone (it says nothing of today: a catch-up
  that one day fetches leaves should hand the latest ones to the live path);
- a join already recorded for the member in that channel within `SAME_JOIN` is the same join
  (an export's join record and the live join event carry different ids and times).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Table

from bot.core.events import EventKind
from bot.store.models import Member
from bot.store.raw_sql import bind_value, execute_many, fetch, marks, result_value

Key = tuple[str, str]
SAME_JOIN = timedelta(minutes=2)
_JOINED = EventKind.MEMBER_JOINED.value
_MEMBERS: Table = Member.__table__  # type: ignore[assignment]
_EARLIER = "UPDATE member SET {column} = ? WHERE id = ? AND ({column} IS NULL OR {column} > ?)"
_PER_QUERY = 5000


def drop_known_joins(conn, rows: dict[Key, dict]) -> None:
    """Remove from `rows` the joins recorded already (same member and channel, under another
    id, within SAME_JOIN), so they count as repeats."""
    joins = {key: row for key, row in rows.items() if row["kind"] == _JOINED}
    if not joins:
        return
    members = sorted({row["member_id"] for row in joins.values()})
    stored: dict[tuple[int, int], list[tuple[str, datetime]]] = {}
    utc = result_value(conn, _MEMBERS.c.joined_at)  # aware UTC, as the log stores
    for start in range(0, len(members), _PER_QUERY):
        chunk = members[start : start + _PER_QUERY]
        sql = (
            "SELECT member_id, channel_id, platform_event_id, created_at FROM interaction "
            f"WHERE kind = ? AND member_id IN ({marks(len(chunk))})"
        )
        for member, channel, event_id, at in fetch(conn, sql, [_JOINED, *chunk]):
            stored.setdefault((member, channel), []).append((event_id, utc(at)))
    for key, row in joins.items():
        known = stored.get((row["member_id"], row["channel_id"]), ())
        if any(
            event_id != row["platform_event_id"] and abs(at - row["created_at"]) <= SAME_JOIN
            for event_id, at in known
        ):
            del rows[key]


class EarliestTimes:
    """Moves members' join dates and first-seen times back to the earliest on record.

    Remembers what it has written (and what it knows is stored), so a member's time is
    written again only when history older still turns up.
    """

    def __init__(self) -> None:
        self._known: dict[str, dict[int, datetime]] = {"joined_at": {}, "first_seen_at": {}}

    def created(self, member: int, first_seen: datetime) -> None:
        """The member's row was just made, first seen at `first_seen`."""
        self._known["first_seen_at"][member] = first_seen

    def write(self, conn, column: str, earliest: dict[int, datetime]) -> None:
        """Set `column` to the time in `earliest` for each member where it is earlier than
        the stored one (or none is stored): one statement for them all."""
        known = self._known[column]
        due = {m: at for m, at in earliest.items() if m not in known or at < known[m]}
        if not due:
            return
        to_driver = bind_value(conn, _MEMBERS.c[column])
        rows = []
        for member, at in due.items():
            value = to_driver(at)
            rows.append((value, member, value))
        execute_many(conn, _EARLIER.format(column=column), rows)
        known.update(due)

    def forget(self) -> None:
        """What was written was rolled back: know nothing."""
        for known in self._known.values():
            known.clear()
