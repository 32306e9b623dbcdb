"""Last-seen times after a rolled-back write: only what that write touched is written again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.core import last_seen
from bot.core.last_seen import LastSeen
from bot.store.database import Store

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MEMBER = (
    "INSERT INTO member (id, platform, platform_user_id, name, is_bot, roles) "
    "VALUES (:id, 'test', :user, :user, false, '')"
)


def test_a_rolled_back_write_leaves_only_its_members_to_write_again(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_url)
    engine = store.engine
    with engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(text(MEMBER), {"id": n, "user": f"U{n}"})
    times = LastSeen()
    with engine.begin() as conn:
        times.begin()
        for n in (1, 2, 3):
            times.seen(n, T)
        times.flush(conn)  # all three are stored at T

    with engine.connect() as conn:  # a later write that the database rolls back (busy, say)
        failed = conn.begin()
        times.begin()
        times.seen(3, T + timedelta(minutes=2))
        times.write_due(conn, [3])
        failed.rollback()
    times.rolled_back()

    updated: list[int] = []
    write = last_seen.execute_many

    def counting(conn, sql: str, rows: list) -> None:
        updated.extend(row[-1] for row in rows)
        write(conn, sql, rows)

    monkeypatch.setattr(last_seen, "execute_many", counting)
    with engine.begin() as conn:
        times.begin()
        times.flush(conn)
    assert updated == [3]  # not every member this process has seen
    with engine.connect() as conn:
        seen = conn.execute(text("SELECT id, last_seen_at FROM member ORDER BY id")).all()
    assert [str(at)[:16] for _, at in seen] == [
        "2026-03-02 09:00",
        "2026-03-02 09:00",
        "2026-03-02 09:02",
    ]
    store.close()
