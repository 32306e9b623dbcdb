"""Ingest: the realistic mix through the core (`Steward.deliver`), beside raw and hobby ways.

Every figure starts from the same database: migrated, with the community's members, channels
and a few hundred calendar posts of the bot already stored (a server Steward has been on).
- concurrent: the events handed over as the adapters hand a gateway's events to the core
  (`Steward.deliver`, a task each, as discord.py makes), 10,000 at once, wave after wave, each
  wave timed until every event in it is committed and its listeners have run (a million
  events never sit in memory at once);
- one at a time: each event awaited before the next (the console's way);
- raw: sqlite3 `executemany` of the same interaction rows, 5,000 rows a transaction, into the
  app's own migrated `interaction` table (same columns, indexes, foreign keys and pragmas as
  the log's writer: the limit of the schema, which must take 50,000 rows/s); beside it the
  same rows into a copy of that table without its indexes and UNIQUE constraint, and into a
  minimal 4-column table, so what the indexes cost is visible;
- hobby: one SQLModel session per event, `add` + `commit`, member and channel ids known.
The app creates the members who join as their join events arrive; the raw and hobby ways find
them stored already (they write interaction rows only).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from bot.core.app import Steward
from bot.core.events import InboundEvent
from bot.core.interaction_log import WRITER_CACHE_KIB
from bot.store.database import make_engine
from bot.store.models import Interaction
from tests.bench import BenchRow, Sizes, Target
from tests.benchmarks.community import (
    close_app,
    connect_raw,
    migrated_copy,
    open_app,
    people,
    store_bot_posts,
    store_people,
)
from tests.benchmarks.event_mix import ROW_COLUMNS, Mix

BOT_POSTS = 300
LIMIT = 600  # seconds for one run through the app
RAW_BATCH = 5_000  # rows a transaction in the raw baselines
WAVE = 10_000  # events handed to the core at once, as a busy gateway delivers them
SCHEMA_RATE = 50_000  # rows/s the schema itself must take (raw, same table)


def _community(cache: Path, path: Path, sizes: Sizes, mix: Mix | None = None) -> Path:
    migrated_copy(cache, path)
    db = connect_raw(path)
    store_people(db, people(sizes.members, sizes.channels), mix.joined if mix else [])
    store_bot_posts(db, people(sizes.members, sizes.channels), BOT_POSTS)
    db.close()
    return path


async def _through_handle(path: Path, mix: Mix, concurrent: bool) -> float:
    """Seconds for the app to take every event of `mix`: WAVE at once, wave after wave (the
    waves made between the timed parts), or one at a time."""
    app, _ = await open_app(path)
    elapsed = await timed_waves(app, mix, concurrent)
    await close_app(app)
    _check_rows(path, mix.count)
    return elapsed


async def timed_waves(app: Steward, mix: Mix, concurrent: bool = True) -> float:
    """Seconds for `app` to take the waves of `mix`, each delivered WAVE at once (timed until
    committed and acted on), or each event awaited through `handle`; the waves are made
    between the timed parts."""

    async def deliver(events: list[InboundEvent]) -> None:
        if concurrent:
            await asyncio.gather(*(app.deliver(event) for event in events))
            await app.deliveries.settled()  # committed, and acted on
        else:
            for event in events:
                await app.handle(event)

    elapsed = 0.0
    for wave in mix.waves(WAVE):
        events = [event for event, _ in wave]
        start = time.perf_counter()
        await asyncio.wait_for(deliver(events), LIMIT)  # a stuck writer fails, not hangs
        elapsed += time.perf_counter() - start
    return elapsed


async def _asyncio_floor(events: int) -> float:
    """Seconds for `events` tasks that each await a future resolved in batches, doing nothing.

    What delivering events concurrently costs before any of Steward's work: a task, a future
    and a wake-up each, resolved in batches of 2,000 as the interaction log resolves them.
    """
    loop = asyncio.get_running_loop()
    waiting: list[asyncio.Future] = []
    started = [0]

    async def one() -> None:
        done = loop.create_future()
        waiting.append(done)
        started[0] += 1
        if len(waiting) >= 2_000 or started[0] == events:
            batch = waiting[:]
            waiting.clear()
            loop.call_soon(lambda: [f.set_result(True) for f in batch])
        await done

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(events)))
    return time.perf_counter() - start


def _check_rows(path: Path, expected: int) -> None:
    with sqlite3.connect(path) as db:
        (stored,) = db.execute("SELECT count(*) FROM interaction").fetchone()
    db.close()
    if stored != expected:
        raise AssertionError(f"ingest stored {stored} interactions of {expected}")


def _raw(path: Path, mix: Mix, table: str = "interaction") -> float:
    """Seconds of sqlite3 `executemany` of the mix's rows, RAW_BATCH rows a transaction, on
    a connection set as the log's writer sets its own."""
    db = _writer_like(path)
    columns = ", ".join(ROW_COLUMNS)
    marks = ", ".join("?" * len(ROW_COLUMNS))
    insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    elapsed = 0.0
    for wave in mix.waves(RAW_BATCH):
        rows = [row for _, row in wave]
        start = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(insert, rows)
        db.execute("COMMIT")
        elapsed += time.perf_counter() - start
    db.close()
    return elapsed


def _raw_unindexed(path: Path, mix: Mix) -> float:
    """The interaction table's own definition, foreign keys kept, without an index or UNIQUE."""
    db = connect_raw(path)
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'interaction'").fetchone()
    bare = re.sub(r",\s*UNIQUE\s*\([^)]*\)", "", sql).replace("interaction", "bare", 1)
    db.execute(bare)
    db.close()
    return _raw(path, mix, "bare")


def _writer_like(path: Path) -> sqlite3.Connection:
    db = connect_raw(path)
    db.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
    return db


def _raw_minimal(path: Path, mix: Mix) -> float:
    db = _writer_like(path)
    db.execute(
        "CREATE TABLE minimal (id INTEGER PRIMARY KEY, platform_event_id TEXT, member_id INTEGER,"
        " created_at TEXT)"
    )
    insert = "INSERT INTO minimal (platform_event_id, member_id, created_at) VALUES (?, ?, ?)"
    elapsed = 0.0
    for wave in mix.waves(RAW_BATCH):
        rows = [(row[1], row[3], row[-1]) for _, row in wave]
        start = time.perf_counter()
        db.execute("BEGIN")
        db.executemany(insert, rows)
        db.execute("COMMIT")
        elapsed += time.perf_counter() - start
    db.close()
    return elapsed


def _hobby(path: Path, mix: Mix, events: int) -> float:
    """One session per event for the first `events` (ids from a dict, as a small bot keeps
    them): add the row, commit; the seconds this rate would take for all of `mix`."""
    engine = make_engine(f"sqlite:///{path}")
    first = next(mix.waves(events))
    rows = [dict(zip(ROW_COLUMNS, row, strict=True)) for _, row in first]
    for row, (event, _) in zip(rows, first, strict=True):
        row["created_at"] = event.at
    start = time.perf_counter()
    for row in rows:
        with Session(engine) as session:
            session.add(Interaction(**row))
            session.commit()
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed / len(rows) * mix.count


class _Copies:
    """Fresh copies of the starting community, one per measured run."""

    def __init__(self, folder: Path, sizes: Sizes) -> None:
        self.folder, self.sizes, self.made = folder, sizes, 0

    def best(self, tries: int, measure: Callable[[Path], float], joiners: Mix | None = None):
        """The fastest of `tries` runs of `measure`, each on a fresh copy."""
        runs = []
        for _ in range(tries):
            self.made += 1
            path = self.folder / f"run{self.made}.db"
            runs.append(measure(_community(self.sizes.cache, path, self.sizes, joiners)))
        return min(runs)


def run(sizes: Sizes) -> list[BenchRow]:
    who = people(sizes.members, sizes.channels)
    bot_posts = [f"bot{n}" for n in range(BOT_POSTS)]
    mix = Mix(who, bot_posts, sizes.ingest_events)
    single = Mix(who, bot_posts, sizes.one_at_a_time_events, seed=9)
    n, one = mix.count, single.count
    app_tries = 1 if sizes.quick else 2  # the machine is shared: take the better run
    with tempfile.TemporaryDirectory() as tmp:
        copies = _Copies(Path(tmp), sizes)
        concurrent = copies.best(app_tries, lambda p: asyncio.run(_through_handle(p, mix, True)))
        awaited = copies.best(app_tries, lambda p: asyncio.run(_through_handle(p, single, False)))
        raw = copies.best(3, lambda p: _raw(p, mix), mix)
        bare = copies.best(3, lambda p: _raw_unindexed(p, mix), mix)
        minimal = copies.best(3, lambda p: _raw_minimal(p, mix))
        hobby = copies.best(1, lambda p: _hobby(p, mix, sizes.hobby_events), mix)
    floor = min(asyncio.run(_asyncio_floor(min(n, WAVE))) for _ in range(3)) * n / min(n, WAVE)
    mix_name = f"{n:,} events, {sizes.members:,} members, {sizes.channels} channels"
    hobby_rate = n / hobby
    return [
        BenchRow(
            f"ingest: Steward.deliver, concurrent ({mix_name})",
            n / concurrent,
            "events/s",
            "raw executemany, same table",
            n / raw,
            Target(">=", 0.7, on="ratio"),
        ),
        BenchRow(
            f"ingest: raw executemany, same table ({RAW_BATCH:,} rows a transaction)",
            n / raw,
            "rows/s",
            "raw executemany, minimal 4-column table",
            n / minimal,
            Target(">=", SCHEMA_RATE, unit="rows/s"),
        ),
        BenchRow(
            f"ingest: asyncio alone, {n:,} tasks awaiting futures, {min(n, WAVE):,} at once (the"
            " ceiling of concurrent)",
            n / floor,
            "events/s",
            "raw executemany, same table",
            n / raw,
        ),
        BenchRow(
            "ingest: raw executemany, same columns, no index or UNIQUE",
            n / bare,
            "rows/s",
            "raw executemany, same table",
            n / raw,
        ),
        BenchRow(
            "ingest: raw executemany, minimal 4-column table",
            n / minimal,
            "rows/s",
            "raw executemany, same table",
            n / raw,
        ),
        BenchRow(
            "ingest: hobby way, one SQLModel session + commit per event",
            hobby_rate,
            "events/s",
            "raw executemany, same table",
            n / raw,
        ),
        BenchRow(
            f"ingest: concurrent Steward.deliver vs the hobby way ({n:,} events)",
            n / concurrent,
            "events/s",
            "hobby way",
            hobby_rate,
            Target(">=", 20, on="ratio"),
        ),
        BenchRow(
            f"ingest: Steward.handle, one event awaited at a time ({one:,} events)",
            one / awaited,
            "events/s",
            "hobby way",
            hobby_rate,
            Target(">=", 3, on="ratio"),
        ),
    ]
