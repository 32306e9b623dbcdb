"""Calendar: 10,000 scheduled posts load, and the job's next-due query stays under 5 ms.

The next-due figure is the query itself (the job runner caches its answer between changes).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.features.calendar.posts import PostDraft, store_posts
from bot.features.calendar.store import CalendarOccurrence, due_post_ids, next_due_at
from bot.store.database import Store
from tests.bench import BenchRow, Sizes, Target, best_of
from tests.benchmarks.community import migrated_copy
from tests.conftest import START

RULES = ("", "daily", "weekly", "weekdays", "monthly", "30 18 * * 1-5")
ZONE = ZoneInfo("Europe/Berlin")


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


def run(sizes: Sizes) -> list[BenchRow]:
    posts = sizes.calendar_posts
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "calendar.db"
        store = Store.open(f"sqlite:///{migrated_copy(sizes.cache, path)}")
        load = _load(store, posts)
        store.call(_add_retries, posts)
        ours = best_of(200, lambda: store.call(next_due_at))
        due = best_of(50, lambda: store.call(due_post_ids, START + timedelta(hours=1)))
        raw_db = sqlite3.connect(path)
        raw_min = "SELECT min(next_at) FROM calendarpost"
        raw = best_of(200, lambda: raw_db.execute(raw_min).fetchone())
        raw_due = best_of(
            50,
            lambda: raw_db.execute(
                "SELECT id FROM calendarpost WHERE next_at <= ? ORDER BY next_at",
                ((START + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S.%f"),),
            ).fetchall(),
        )
        raw_db.close()
        store.close()
    return [
        BenchRow(f"calendar: store {posts:,} posts (with recurrences)", load * 1000, "ms"),
        BenchRow(
            f"calendar: next-due query over {posts:,} posts",
            ours * 1000,
            "ms",
            "raw sqlite3 SELECT min(next_at)",
            raw * 1000,
            Target("<", 5, unit="ms"),
        ),
        BenchRow(
            "calendar: posts due in the next hour",
            due * 1000,
            "ms",
            "raw sqlite3 same WHERE",
            raw_due * 1000,
        ),
    ]
