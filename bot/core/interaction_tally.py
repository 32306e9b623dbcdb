"""The interaction log counted by quarter hour, channel and kind, kept as it is written.

A report over a week reads these counts (a few thousand rows) instead of the week's rows (a
million in a busy community). Every row of the log that stands (not a reaction taken back)
counts once under its quarter hour in UTC (every zone's offset is a whole number of quarter
hours, so a community's local hours and days are sums of quarters), its channel row (0: none)
and its kind; a click also under its action (`poll:vote:12`: the log keeps no choice).

The log's writers keep the counts in the same transaction: the batch writer adds the rows it
inserted and takes off the reactions taken back, and erasing a member takes off their rows.
Whether a member is a bot is not counted here: a report takes bots' rows off itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.core.events import EventKind
from bot.store.raw_sql import connection_of, execute_many, fetch

QUARTER_SECONDS = 900
CLICK = EventKind.BUTTON.value  # the kind counted by its action too
Key = tuple[int, int, str, str]  # quarter, channel row (0: none), kind, action ("" but a click)

_ADD = (
    "INSERT INTO interactiontally (quarter, channel_id, kind, action, n) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (quarter, channel_id, kind, action) "
    "DO UPDATE SET n = interactiontally.n + excluded.n"
)
_QUARTER_SQL = {  # a row's quarter hour in SQL, as quarter_of gives it
    "sqlite": "CAST(strftime('%s', created_at) AS INTEGER) / 900",
    "postgresql": "CAST(floor(extract(epoch FROM created_at) / 900) AS INTEGER)",
}
_REFILL = (
    "INSERT INTO interactiontally (quarter, channel_id, kind, action, n) "
    "SELECT {quarter}, coalesce(channel_id, 0), kind, "
    "CASE WHEN kind = 'button' THEN coalesce(detail, '') ELSE '' END, count(*) "
    "FROM interaction WHERE removed_at IS NULL GROUP BY 1, 2, 3, 4"
)
_STANDING_OF_MEMBER = (
    "SELECT created_at, channel_id, kind, detail FROM interaction "
    "WHERE member_id = ? AND removed_at IS NULL"
)


def quarter_of(at: datetime | str) -> int:
    """The quarter hour of an instant: whole quarters since 1970 (UTC). SQLite's raw rows
    give `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, PostgreSQL's an aware datetime."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at).replace(tzinfo=UTC)
    return int(at.timestamp()) // QUARTER_SECONDS


def key_of(
    created_at: datetime | str, channel_id: int | None, kind: str, detail: str | None
) -> Key:
    """Where a row of the log is counted."""
    action = (detail or "") if kind == CLICK else ""
    return quarter_of(created_at), channel_id or 0, kind, action


def rows_tally(rows: Iterable[dict]) -> Counter[Key]:
    """The counts of the log's rows (as the batch writer builds them) that stand."""
    return Counter(
        key_of(row["created_at"], row["channel_id"], row["kind"], row["detail"])
        for row in rows
        if row["removed_at"] is None
    )


def add(conn, counts: Counter[Key]) -> None:
    """Add `counts` (negative: take off) to the stored tally, in key order (two processes
    adding to the same keys take their locks in the same order)."""
    changes = [(*key, n) for key, n in sorted(counts.items()) if n]
    if changes:
        execute_many(conn, _ADD, changes)


def take_off_member(conn, member_id: int) -> None:
    """Take a member's standing rows off the tally (before they are erased)."""
    counts: Counter[Key] = Counter()
    counts.subtract(key_of(*row) for row in fetch(conn, _STANDING_OF_MEMBER, [member_id]))
    add(conn, counts)


def refill(conn) -> None:
    """Count the whole log again, for rows written around its writers (a benchmark's raw
    inserts): the tally as the migration that made it filled it."""
    conn = connection_of(conn)
    conn.exec_driver_sql("DELETE FROM interactiontally")
    conn.exec_driver_sql(_REFILL.format(quarter=_QUARTER_SQL[conn.dialect.name]))
