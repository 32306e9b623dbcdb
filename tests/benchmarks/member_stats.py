"""`/stats me` on a big store: latency through `Steward.handle`, p50 and p99.

The store holds `stats_rows` interactions over the 90 days before START (1,000,000 in the full
run): messages, replies and reactions by members whose activity is skewed as in a real
community (a few members do much of the talking). It is built once per schema by raw inserts
into a migrated database (indexes dropped, rows inserted in time order, indexes re-created)
and kept in the cache folder; each run works on a copy. Members ask in proportion to their
activity. The baseline is a raw sqlite3 `SELECT count(*)` of the same member's own rows in the
30-day window, on the same table. The interaction tally is counted after the inserts, as the
log's writers would have kept it.

On the same store: a poll vote click and `/calendar list` (tests/benchmarks/command_latency.py).
"""

from __future__ import annotations

import asyncio
import random
import shutil
import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from tests.bench import BenchRow, Sizes, latency_rows
from tests.benchmarks.command_latency import calendar_list_rows, poll_click_rows
from tests.benchmarks.community import (
    bulk_insert_interactions,
    checkpoint,
    close_app,
    connect_raw,
    count_into_tally,
    migrated_copy,
    open_app,
    people,
    schema_key,
    sqlite_time,
    store_people,
    timed_command,
)
from tests.conftest import START

DAYS = 90
KINDS = (("message", 0.6), ("reply", 0.8), ("reaction_added", 1.0))


def _active_member(rng: random.Random, members: int) -> int:
    """A member index, skewed: low indexes are the community's most active members."""
    return int(members * rng.random() ** 2)


def _rows(sizes: Sizes, rng: random.Random):
    """Interactions in time order: platform, event id, kind, member, channel, target, time."""
    span = DAYS * 86_400_000_000 // sizes.stats_rows  # microseconds between interactions
    first = START - timedelta(days=DAYS)
    for n in range(sizes.stats_rows):
        draw = rng.random()
        kind = next(name for name, upto in KINDS if draw < upto)
        target = None if kind == "message" else _active_member(rng, sizes.members) + 1
        yield (
            "discord",
            f"h{n}",
            kind,
            _active_member(rng, sizes.members) + 1,
            rng.randrange(sizes.channels) + 1,
            target,
            sqlite_time(first + timedelta(microseconds=span * n)),
        )


def built_store(sizes: Sizes) -> Path:
    """The big store for these sizes and this schema, built on first use."""
    these_sizes = f"{sizes.stats_rows}-{sizes.members}.db"
    path = sizes.cache / f"stats-{schema_key()}-tallied-{these_sizes}"
    if path.exists():
        return path
    for stale in sizes.cache.glob(f"stats-*-{these_sizes}"):
        stale.unlink()  # an older schema's or an untallied one: a quarter of a gigabyte each
    building = migrated_copy(sizes.cache, path.with_suffix(".building"))
    db = connect_raw(building)
    store_people(db, people(sizes.members, sizes.channels))
    columns = (
        "platform, platform_event_id, kind, member_id, channel_id, target_member_id, created_at"
    )
    bulk_insert_interactions(db, columns, _rows(sizes, random.Random(1)))
    db.close()
    count_into_tally(building)
    checkpoint(building)
    building.replace(path)
    return path


async def _stats_me(path: Path, askers: list[int], run: str) -> list[float]:
    """Seconds for each `/stats me`, answered through the whole app."""
    app, sink = await open_app(path)
    who = people(max(askers) + 1, 1)
    timings = []
    for n, member in enumerate(askers):
        elapsed, said = await timed_command(
            app, sink, f"{run}-stats{n}", who.members[member], who.channels[0], "stats me"
        )
        timings.append(elapsed)
        if said is None or not said.text.startswith("Your engagement"):
            raise AssertionError(f"/stats me did not answer: {said}")
    await close_app(app)
    return timings


def _raw_counts(path: Path, askers: list[int]) -> list[float]:
    db = sqlite3.connect(path)
    since = sqlite_time(START - timedelta(days=30))
    query = "SELECT count(*) FROM interaction WHERE member_id = ? AND created_at > ?"
    timings = []
    for member in askers:
        start = time.perf_counter()
        db.execute(query, (member + 1, since)).fetchone()
        timings.append(time.perf_counter() - start)
    db.close()
    return timings


def run(sizes: Sizes) -> list[BenchRow]:
    store = built_store(sizes)
    rng = random.Random(2)
    askers = [_active_member(rng, sizes.members) for _ in range(sizes.stats_calls)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stats.db"
        shutil.copy(store, path)
        asyncio.run(_stats_me(path, askers[:5], "warm-up"))  # warm the page cache and the app
        ours = asyncio.run(_stats_me(path, askers, "measured"))
        raw = _raw_counts(path, askers)
        where = f"{sizes.stats_rows:,}-interaction store"
        calls = f"{len(askers)} members ask"
        rows = latency_rows("/stats me", where, calls, ours, "raw SELECT count(*)", raw, 10)
        rows += poll_click_rows(path, sizes, where)
        rows += calendar_list_rows(path, sizes, where)
    return rows
