"""Calendar: 10,000 scheduled posts load; the job's next-due query stays within 1 ms, and
Steward starts with that schedule within 1 s.

The next-due figure is the query itself (the job runner caches its answer between changes).
Start-up is measured in-process, as `steward run` starts with no chat platform enabled: open
the store, build every feature, start with the console adapter, and ask the next due time;
its baseline is the same start-up on an empty store, so the ratio shows what the schedule costs.
"""

from __future__ import annotations

import asyncio
import io
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.bootstrap import build_app, console_adapter
from bot.cli.options import open_store
from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.features.calendar.jobs import CalendarJob
from bot.features.calendar.posts import PostDraft, store_posts
from bot.features.calendar.store import CalendarOccurrence, due_post_ids, next_due_at
from bot.store.database import Store
from tests.bench import BenchRow, Sizes, Target, best_of
from tests.benchmarks.community import close_app, migrated_copy, sqlite_time
from tests.conftest import START, make_settings

RULES = ("", "daily", "weekly", "weekdays", "monthly", "30 18 * * 1-5")
ZONE = ZoneInfo("Europe/Berlin")
STARTS = 5  # start-ups of each store; the fastest counts
RAW_NEXT_DUE = (  # the calendar's earliest work, as the job defines it, in plain SQL
    "SELECT min(at) FROM (SELECT min(next_at) AS at FROM calendarpost"
    " UNION ALL SELECT min(heads_up_at) FROM calendarpost"
    " UNION ALL SELECT min(check_at) FROM calendaroccurrence)"
)


def drafts(posts: int) -> list[PostDraft]:
    """Posts spread over the next 30 days, one in six of each repeat rule."""
    return [
        PostDraft(
            platform="discord",
            channel_id=f"C{n % 20:04d}",
            content_type=("article", "video", "event", "announcement", "discussion")[n % 5],
            title=f"Post {n}",
            text="Some text for the post.",
            link="",
            repeat=RULES[n % len(RULES)],
            timezone=ZONE.key,
            starts_at=START + timedelta(minutes=7 * n + 1),
        )
        for n in range(posts)
    ]


def _load(store: Store, posts: int) -> float:
    start = time.perf_counter()
    store.call(store_posts, drafts(posts), None, START, timedelta(minutes=15))
    return time.perf_counter() - start


def _add_retries(session: Session, posts: int) -> None:
    """Some handled occurrences, a few awaiting a retry, as a running calendar has."""
    session.add_all(
        CalendarOccurrence(
            post_id=n + 1,
            occurs_at=START - timedelta(hours=n),
            status="retry" if n % 100 == 0 else "sent",
            check_at=START + timedelta(minutes=n) if n % 100 == 0 else None,
            updated_at=START,
        )
        for n in range(min(2_000, posts // 5))
    )


# ---- start-up -----------------------------------------------------------------------------
async def _start(path: Path) -> tuple[float, Steward]:
    """Seconds until Steward, started on `path` as `steward run` starts the console, is ready
    for events and knows its next due time; and the started app."""
    began = time.perf_counter()
    settings = make_settings(f"sqlite:///{path}")
    app = build_app(settings, VirtualClock(START), open_store(settings))
    app.add_adapter(console_adapter(settings, out=io.StringIO()))
    await app.start()
    await app.jobs.next_due()
    return time.perf_counter() - began, app


async def _calendar_due(app: Steward) -> datetime | None:
    """The calendar's next due time as the started app knows it (its cached answer)."""
    others = {job.name for job in app.jobs.jobs if job.name != CalendarJob.name}
    return await app.jobs.next_due(excluding=others)


async def _timed_start(path: Path, expected: str | None) -> float:
    """One start-up on `path`, checked: the calendar's next due time is `expected` (raw SQL)."""
    took, app = await _start(path)
    try:
        due = await _calendar_due(app)
    finally:
        await close_app(app)
    if (None if due is None else sqlite_time(due)) != expected:
        raise AssertionError(
            f"started with the calendar due at {due}, the database says {expected}"
        )
    return took


async def _start_ups(full: Path, empty: Path, expected: str) -> tuple[float, float]:
    """The fastest start-up with the schedule and on the empty store, taken in turns after
    one unmeasured start (the process's first pays for lazy imports)."""
    await _timed_start(empty, None)
    with_schedule, without = [], []
    for _ in range(STARTS):
        with_schedule.append(await _timed_start(full, expected))
        without.append(await _timed_start(empty, None))
    return min(with_schedule), min(without)


# ---- queries ------------------------------------------------------------------------------
def _raw_queries(path: Path) -> tuple[float, float, str]:
    """Raw sqlite3 timings of the next-due and due-in-an-hour queries, and the next due time."""
    raw_db = sqlite3.connect(path)
    try:
        raw = best_of(
            200, lambda: raw_db.execute("SELECT min(next_at) FROM calendarpost").fetchone()
        )
        hour = (sqlite_time(START + timedelta(hours=1)),)
        due_sql = "SELECT id FROM calendarpost WHERE next_at <= ? ORDER BY next_at"
        raw_due = best_of(50, lambda: raw_db.execute(due_sql, hour).fetchall())
        (expected,) = raw_db.execute(RAW_NEXT_DUE).fetchone()
    finally:
        raw_db.close()
    return raw, raw_due, expected


def run(sizes: Sizes) -> list[BenchRow]:
    posts = sizes.calendar_posts
    with tempfile.TemporaryDirectory() as tmp:
        path = migrated_copy(sizes.cache, Path(tmp) / "calendar.db")
        empty = migrated_copy(sizes.cache, Path(tmp) / "empty.db")
        store = Store.open(f"sqlite:///{path}")
        load = _load(store, posts)
        store.call(_add_retries, posts)
        ours = best_of(200, lambda: store.call(next_due_at))
        due = best_of(50, lambda: store.call(due_post_ids, START + timedelta(hours=1)))
        store.close()
        raw, raw_due, expected = _raw_queries(path)
        started, started_empty = asyncio.run(_start_ups(path, empty, expected))
    return [
        BenchRow(f"calendar: store {posts:,} posts (with recurrences)", load * 1000, "ms"),
        BenchRow(
            f"calendar: next-due query over {posts:,} posts",
            ours * 1000,
            "ms",
            "raw sqlite3 SELECT min(next_at)",
            raw * 1000,
            Target("<=", 1, unit="ms"),
        ),
        BenchRow(
            "calendar: posts due in the next hour",
            due * 1000,
            "ms",
            "raw sqlite3 same WHERE",
            raw_due * 1000,
        ),
        BenchRow(
            f"calendar: start-up with {posts:,} scheduled posts (console, until next due known)",
            started * 1000,
            "ms",
            "same start-up on an empty store",
            started_empty * 1000,
            Target("<=", 1000, unit="ms"),
            {"starts": STARTS},
        ),
    ]
