"""Calendar storage on SQLite and PostgreSQL: what is due, claims that hold, the index it uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.features.calendar.posts import PostDraft, store_posts
from bot.features.calendar.store import (
    CalendarOccurrence,
    CalendarPost,
    claim_next,
    due_post_ids,
    next_due_at,
    next_due_query,
    skip_occurrence,
)
from bot.store.database import Store
from tests.conftest import START

HOUR = timedelta(hours=1)
GRACE = timedelta(hours=1)
HEADS_UP = timedelta(minutes=15)


def _draft(offset: timedelta, repeat: str = "") -> PostDraft:
    return PostDraft("console", "general", "article", "", "text", "", repeat, "UTC", START + offset)


@pytest.fixture
def store(any_db_url: str):
    store = Store.open(any_db_url)
    yield store
    store.close()


def test_next_due_is_the_earliest_post_heads_up_or_check(store: Store) -> None:
    assert store.call(next_due_at) is None
    store.call(store_posts, [_draft(3 * HOUR), _draft(2 * HOUR, "daily")], None, START, HEADS_UP)
    assert store.call(next_due_at) == START + 2 * HOUR - HEADS_UP
    store.call(
        lambda s: s.add(
            CalendarOccurrence(
                post_id=1,
                occurs_at=START - HOUR,
                status="retry",
                check_at=START + timedelta(minutes=5),
                updated_at=START,
            )
        )
    )
    assert store.call(next_due_at) == START + timedelta(minutes=5)
    assert store.call(due_post_ids, START + 2 * HOUR) == [2]


def test_an_occurrence_is_claimed_once(store: Store) -> None:
    store.call(store_posts, [_draft(HOUR, "daily")], None, START, HEADS_UP)
    due = START + HOUR
    first = store.call(claim_next, 1, due, GRACE, HEADS_UP)
    assert first is not None and first.outcome == "claimed"
    assert store.call(claim_next, 1, due, GRACE, HEADS_UP) is None  # the post moved on

    def stale_view(session: Session) -> None:  # another process read next_at before the claim
        post = session.get(CalendarPost, 1)
        post.next_at = due

    store.call(stale_view)
    again = store.call(claim_next, 1, due, GRACE, HEADS_UP)
    assert again is not None and again.outcome == "handled"

    def insert_twice(session: Session) -> None:
        session.add(CalendarOccurrence(post_id=1, occurs_at=due, status="claimed", updated_at=due))

    with pytest.raises(IntegrityError):
        store.call(insert_twice)
    rows = store.call(lambda s: s.exec(select(CalendarOccurrence)).all())
    assert [(r.occurs_at, r.status) for r in rows] == [(due, "claimed")]


def test_a_skipped_occurrence_is_passed_over_and_the_next_one_claimed(store: Store) -> None:
    store.call(store_posts, [_draft(HOUR, "daily")], None, START, HEADS_UP)
    assert store.call(skip_occurrence, 1, START + HOUR, None, START) is None
    skipped = store.call(claim_next, 1, START + HOUR, GRACE, HEADS_UP)
    assert skipped is not None and skipped.outcome == "handled"
    tomorrow = store.call(claim_next, 1, START + 25 * HOUR, GRACE, HEADS_UP)
    assert tomorrow is not None and tomorrow.outcome == "claimed"


def test_late_beyond_grace_is_missed(store: Store) -> None:
    store.call(store_posts, [_draft(HOUR)], None, START, HEADS_UP)
    claim = store.call(claim_next, 1, START + 3 * HOUR, GRACE, HEADS_UP)
    assert claim is not None and claim.outcome == "missed"
    post = store.call(lambda s: s.get(CalendarPost, 1))
    assert (post.status, post.next_at) == ("done", None)


def test_the_next_due_query_uses_the_indexes(db_url: str) -> None:
    store = Store.open(db_url)
    drafts = [_draft(n * HOUR, "daily") for n in range(1, 200)]
    store.call(store_posts, drafts, None, START, HEADS_UP)
    with store.session() as session:
        sql = next_due_query().compile(dialect=sqlite.dialect())
        plan = " | ".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    store.close()
    for table, column in [("calendarpost", "next_at"), ("calendarpost", "heads_up_at"),
                          ("calendaroccurrence", "check_at")]:  # fmt: skip
        assert f"SEARCH {table} USING COVERING INDEX ix_{table}_{column}" in plan, plan
    assert "SCAN calendar" not in plan
