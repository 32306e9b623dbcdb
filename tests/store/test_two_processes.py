"""Two processes on one database: each an app (or a log) with its own engine and caches.

The "processes" here are two apps in one test process, each on an engine of its own, so
neither sees the other's memory; on PostgreSQL too when STEWARD_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

from tests.store.test_ingest import members, open_log, said


async def test_an_older_event_written_later_never_moves_last_seen_back(any_db_url: str) -> None:
    store, first = await open_log(any_db_url)
    await first.record(said(1, by=1, seconds=600))
    await first.stop()
    _, second = await open_log(any_db_url)  # another process, a step behind
    await second.record(said(2, by=1, seconds=120))
    await second.stop()
    assert members(store)["member1"].last_seen_at == said(1, by=1, seconds=600).at
    store.close()
