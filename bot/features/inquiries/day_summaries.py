"""What `/inquiries stats` keeps of each whole UTC day: the tally of the day's questions
(`tallies.SpanTally`: by channel, by UTC quarter hour, dismissed and waiting), one row a day. A
window reads its whole days from here and only the parts of days at its edges from the
questions.

A summary is made on first need and kept with the day's count of changes (`InquiryDay`),
which every writer adds to in its own transaction; it is used only while that count is
unchanged. The count is read before the questions a summary is made from, so a change that
lands while one is made leaves it stale (never used), not wrong.
"""

from __future__ import annotations

import json
import sys
from array import array
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

import numpy as np
from sqlalchemy import Insert, bindparam, select
from sqlmodel import Session

from bot.core.clock import ensure_utc
from bot.features.inquiries import stats_reads
from bot.features.inquiries.stats_reads import Window
from bot.features.inquiries.store import InquiryDay, InquiryDaySummary
from bot.features.inquiries.tallies import CHANNEL_COUNTS, QUARTERS, SpanTally, merged, tallied
from bot.store.raw_sql import bind_value, connection_of, execute_many, fetch
from bot.store.upserts import dialect_insert

DAY = timedelta(days=1)
LITTLE_FLOATS = np.dtype("<f8")
FRESH_DAYS = 2  # a window's last whole days, whose questions are still being answered
_KEY = ("day", "scope", "days", "from_hour")
_KEPT = (
    "SELECT s.day, s.changes, d.changes, s.channels, s.figures FROM inquiry_day_summary s"
    " LEFT JOIN inquiry_day d ON d.day = s.day"
    " WHERE s.scope = ? AND s.days = 1 AND s.from_hour = 0 AND s.day >= ? AND s.day < ?"
)
_CHANGES = "SELECT coalesce(sum(changes), 0) FROM inquiry_day WHERE day >= ? AND day < ?"
_KEPT_SPAN = (
    f"SELECT s.changes, ({_CHANGES}), s.channels, s.figures FROM inquiry_day_summary s"
    " WHERE s.day = ? AND s.scope = ? AND s.days = ? AND s.from_hour = ?"
)
_SAME_SHAPE = "DELETE FROM inquiry_day_summary WHERE scope = ? AND days = ? AND from_hour = ?"
_OTHER_DAYS = f"{_SAME_SHAPE} AND day <> ?"  # an evening: only the last one is kept
_OVERLAPPING = f"{_SAME_SHAPE} AND day <> ? AND day > ? AND day < ?"  # a window moved on


@dataclass(frozen=True)
class Split:
    """A window cut at UTC midnights: the whole days in it, and the parts of days at its
    edges (read from the questions)."""

    edges: tuple[tuple[datetime, datetime], ...]
    days: tuple[date, ...]


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def split(low: datetime, high: datetime) -> Split:
    """From `low` until `high` (excluded): the whole UTC days, and the rest."""
    low, high = ensure_utc(low), ensure_utc(high)
    first = midnight(low.date())
    first = first if first == low else first + DAY
    last = midnight(high.date())
    if first >= last:
        return Split(((low, high),) if low < high else (), ())
    edges = tuple((a, b) for a, b in ((low, first), (last, high)) if a < b)
    return Split(edges, tuple(first.date() + n * DAY for n in range((last - first) // DAY)))


def range_tallies(session: Session, days: Sequence[date], platform: str | None) -> list[SpanTally]:
    """The tallies of `days` (consecutive, in order) for `platform` (None: all platforms):
    the last FRESH_DAYS each its own, the ones before them one kept span. An answer to a
    question of the last day or two, the usual case, makes again only its own day's tally,
    not the whole span's."""
    settled, fresh = days[:-FRESH_DAYS], days[-FRESH_DAYS:]
    if len(settled) < 2:
        by_day = day_tallies(session, days, platform)
        return [by_day[one] for one in days]

    def made() -> SpanTally:
        by_day = day_tallies(session, settled, platform)
        return merged(by_day[one] for one in settled)

    kept = _kept_span(session, Kept(settled[0], platform or "", len(settled), 0), made)
    by_day = day_tallies(session, fresh, platform)
    return [kept, *(by_day[one] for one in fresh)]


def evening_tally(session: Session, at: datetime, platform: str | None) -> SpanTally:
    """The tally from `at` (a whole UTC hour, not midnight) to the end of its day."""
    at = ensure_utc(at)
    span = Window(at, midnight(at.date() + DAY), platform)
    instant = stats_reads.instant(session)
    kept = Kept(at.date(), platform or "", 1, at.hour)
    return _kept_span(session, kept, lambda: tallied(stats_reads.rows(session, span), instant))


@dataclass(frozen=True)
class Kept:
    """A kept span: `days` whole UTC days from `day`, but for the first `from_hour` hours."""

    day: date
    scope: str
    days: int
    from_hour: int


def _kept_span(session: Session, kept: Kept, made: Callable[[], SpanTally]) -> SpanTally:
    """The tally kept for `kept` while still good, else `made()` and kept (in place of the
    ones kept for as long a span that it overlaps, or for another day's evening: a window
    moves on)."""
    day = bind_value(session, InquiryDaySummary.__table__.c.day)  # type: ignore[attr-defined]
    first, end = day(kept.day), day(kept.day + kept.days * DAY)
    shape = (kept.scope, kept.days, kept.from_hour)
    found = fetch(session, _KEPT_SPAN, (first, end, first, *shape))
    if found and found[0][0] == found[0][1]:
        return decoded(found[0][2], bytes(found[0][3]))
    changes = fetch(session, _CHANGES, (first, end))[0][0]  # before the questions are read
    tally = made()
    if kept.days == 1:
        execute_many(session, _OTHER_DAYS, [(*shape, first)])
    else:  # ranges that do not overlap (a window's pieces between two clock changes) stay
        after = day(kept.day - kept.days * DAY)
        execute_many(session, _OVERLAPPING, [(*shape, first, after, end)])
    row = {**asdict(kept), "changes": changes, **encoded(tally)}
    session.execute(_keep(connection_of(session).dialect.name), [row])
    return tally


def day_tallies(
    session: Session, days: Sequence[date], platform: str | None
) -> dict[date, SpanTally]:
    """The tally of each of `days` (in order) for `platform` (None: all platforms): kept
    ones where still good, the others made from the questions and kept."""
    if not days:
        return {}
    scope = platform or ""
    day = bind_value(session, InquiryDaySummary.__table__.c.day)  # type: ignore[attr-defined]
    rows = fetch(session, _KEPT, (scope, day(days[0]), day(days[-1] + DAY)))
    found = {
        _date(kept_day): decoded(channels, bytes(stored))
        for kept_day, made_at, changes, channels, stored in rows
        if made_at == (changes or 0)
    }
    missing = [day for day in days if day not in found]
    if missing:
        found.update(_made(session, missing, platform, scope))
    return found


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _made(
    session: Session, days: list[date], platform: str | None, scope: str
) -> dict[date, SpanTally]:
    """Make and keep the summaries of `days`."""
    changes = _changes(session, days[0], days[-1] + DAY)  # before the questions are read
    instant = stats_reads.instant(session)
    made = {
        day: tallied(
            stats_reads.rows(session, Window(midnight(day), midnight(day + DAY), platform)), instant
        )
        for day in days
    }
    rows = [
        {**asdict(Kept(day, scope, 1, 0)), "changes": changes.get(day, 0), **encoded(tally)}
        for day, tally in made.items()
    ]
    session.execute(_keep(connection_of(session).dialect.name), rows)
    return made


def _changes(session: Session, first: date, end: date) -> dict[date, int]:
    table = InquiryDay.__table__  # type: ignore[attr-defined]
    rows = session.execute(
        select(table.c.day, table.c.changes).where(table.c.day >= first, table.c.day < end)
    )
    return {day: changes for day, changes in rows}


# ---- the stored form ----------------------------------------------------------------------
def encoded(tally: SpanTally) -> dict[str, object]:
    """The channel ids (JSON); the dismissed and waiting counts, the counts, the waiting
    questions' SLAs as little-endian int64s, then the times as little-endian float64s."""
    counts = array("q", [tally.dismissed, len(tally.waiting), *tally.counts, *tally.waiting])
    if sys.byteorder == "big":
        counts.byteswap()
    channels = json.dumps(tally.channel_ids, separators=(",", ":"))
    times = tally.times.astype(LITTLE_FLOATS, copy=False).tobytes()
    return {"channels": channels, "figures": counts.tobytes() + times}


def decoded(channels: str, stored: bytes) -> SpanTally:
    ids = json.loads(channels)
    sizes = array("q")
    sizes.frombytes(stored[:16])  # the dismissed and waiting counts
    if sys.byteorder == "big":
        sizes.byteswap()
    end = 8 * (2 + CHANNEL_COUNTS * len(ids) + 2 * QUARTERS + sizes[1])
    counts = array("q")
    counts.frombytes(stored[:end])
    if sys.byteorder == "big":
        counts.byteswap()
    values = counts.tolist()
    middle = 2 + CHANNEL_COUNTS * len(ids) + 2 * QUARTERS
    times = np.frombuffer(stored, LITTLE_FLOATS, offset=end)  # read, never written to
    return SpanTally(ids, values[2:middle], times, values[0], values[middle:])


@cache
def _keep(dialect: str) -> Insert:
    """Insert a summary, or replace the one kept (stale, or made at once by another)."""
    table = InquiryDaySummary.__table__  # type: ignore[attr-defined]
    insert = dialect_insert(table, dialect)
    values = ("changes", "channels", "figures")
    return insert.values(
        {name: bindparam(name) for name in (*_KEY, *values)}
    ).on_conflict_do_update(
        index_elements=[table.c[name] for name in _KEY],
        set_={name: insert.excluded[name] for name in values},
    )
