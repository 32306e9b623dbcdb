"""Ingest on PostgreSQL: the realistic mix through the core, beside psycopg's raw COPY.

Run when STEWARD_TEST_POSTGRES_URL names a server; in a database of its own on it
(`steward_bench`, made when missing), so it never meets the test suite's. Every figure starts
from the same database: its schema dropped and migrated again, with the community's members,
channels and the bot's calendar posts already stored (as `ingest` does on SQLite).
- the app: the events handed to `Steward.deliver`, WAVE at once, wave after wave, each wave
  timed until every event in it is committed and its listeners have run;
- COPY: psycopg's `COPY interaction (...) FROM STDIN` of the same interaction rows, RAW_BATCH
  rows a transaction, into the app's migrated table (its indexes, UNIQUE and foreign keys);
- executemany: psycopg's `executemany` (pipeline mode) of the same rows, RAW_BATCH a transaction.
The app creates the members who join; COPY and executemany find them stored already. The app
takes at most APP_EVENTS of the mix (a million would keep the run past ten minutes), and
the baselines the same rows, so the ratio is fair.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from bot.core.events import InboundEvent
from bot.store.database import Store
from tests.bench import BenchRow, Sizes, Target
from tests.benchmarks.community import (
    People,
    bot_posts_insert,
    close_app,
    open_app,
    people,
    people_inserts,
)
from tests.benchmarks.event_mix import ROW_COLUMNS, Mix
from tests.benchmarks.ingest import BOT_POSTS, RAW_BATCH, timed_waves
from tests.conftest import START, reset_postgres

ENV = "STEWARD_TEST_POSTGRES_URL"
DATABASE = "steward_bench"
APP_EVENTS = 200_000  # at most, through the app (its baselines take the same rows, twice each)
COLUMNS = ", ".join(ROW_COLUMNS)


def bench_url(url: str) -> str:
    """The URL of the `steward_bench` database on `url`'s server, made when missing."""
    own = make_url(url).set(database=DATABASE).render_as_string(hide_password=False)
    with psycopg.connect(_plain(url), autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
        if found.fetchone() is None:
            admin.execute(f"CREATE DATABASE {DATABASE}")
    return own


def _plain(url: str) -> str:
    """`url` as libpq takes it (no SQLAlchemy driver name)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _fresh(url: str, who: People, joined: list) -> None:
    """The schema dropped and migrated; the members (then `joined`), channels and bot posts."""
    reset_postgres(url)
    Store.open(url).close()
    inserts = [*people_inserts(who, joined, START), bot_posts_insert(who, BOT_POSTS, START)]
    with psycopg.connect(_plain(url)) as db, db.cursor() as cur:
        for sql, rows in inserts:
            cur.executemany(sql.replace("?", "%s"), rows)


async def _through_deliver(url: str, mix: Mix) -> float:
    """Seconds for the app to take every event of `mix`, WAVE at once, wave after wave."""
    app, _ = await open_app(Path(), url=url)
    elapsed = await timed_waves(app, mix)
    await close_app(app)
    return elapsed


def _check_rows(url: str, expected: int) -> None:
    with psycopg.connect(_plain(url)) as db:
        (stored,) = db.execute("SELECT count(*) FROM interaction").fetchone()
    if stored != expected:
        raise AssertionError(f"ingest on PostgreSQL stored {stored} interactions of {expected}")


def _rows(wave: list[tuple[InboundEvent, tuple]]) -> list[tuple]:
    """The wave's interaction rows, created_at as UTC text PostgreSQL reads as timestamptz."""
    return [(*row[:-1], f"{row[-1]}+00") for _, row in wave]


def _batches(url: str, mix: Mix, write: Callable[[psycopg.Cursor, list[tuple]], None]) -> float:
    """Seconds of `write` of the mix's rows, RAW_BATCH rows a transaction."""
    elapsed = 0.0
    with psycopg.connect(_plain(url)) as db, db.cursor() as cur:
        for wave in mix.waves(RAW_BATCH):
            rows = _rows(wave)
            start = time.perf_counter()
            write(cur, rows)
            db.commit()
            elapsed += time.perf_counter() - start
    return elapsed


def _copy(cur: psycopg.Cursor, rows: list[tuple]) -> None:
    with cur.copy(f"COPY interaction ({COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(cur: psycopg.Cursor, rows: list[tuple]) -> None:
    marks = ", ".join(["%s"] * len(ROW_COLUMNS))
    cur.executemany(f"INSERT INTO interaction ({COLUMNS}) VALUES ({marks})", rows)


def _best(tries: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    runs = [measure() for _ in range(tries)]
    return min(runs), runs


def run(sizes: Sizes) -> list[BenchRow]:
    server = os.environ.get(ENV)
    if not server:
        print(f"  ingest_postgres: skipped, {ENV} is not set", flush=True)
        return []
    url = bench_url(server)
    who = people(sizes.members, sizes.channels)
    mix = Mix(who, [f"bot{n}" for n in range(BOT_POSTS)], min(sizes.ingest_events, APP_EVENTS))
    n, tries = mix.count, 1 if sizes.quick else 2  # the machine is shared: the better run

    def app() -> float:
        _fresh(url, who, [])
        seconds = asyncio.run(_through_deliver(url, mix))
        _check_rows(url, n)  # a fast wrong answer fails
        return seconds

    def raw(write: Callable[[psycopg.Cursor, list[tuple]], None]) -> Callable[[], float]:
        def measure() -> float:
            _fresh(url, who, mix.joined)
            seconds = _batches(url, mix, write)
            _check_rows(url, n)
            return seconds

        return measure

    delivered, app_runs = _best(1, app)  # minutes each: one run, to end within ~10 minutes
    copied, copy_runs = _best(tries, raw(_copy))
    many, many_runs = _best(tries, raw(_executemany))
    runs = {"app s": app_runs, "COPY s": copy_runs, "executemany s": many_runs}
    notes = {key: [round(s, 2) for s in value] for key, value in runs.items()}
    fewer = f" of the {sizes.ingest_events:,} on SQLite" if n < sizes.ingest_events else ""
    mix_name = f"{n:,} events{fewer}, {sizes.members:,} members, {sizes.channels} channels"
    copy_name = "raw psycopg COPY, same table"
    return [
        BenchRow(
            f"ingest PostgreSQL: Steward.deliver, concurrent ({mix_name})",
            n / delivered,
            "events/s",
            copy_name,
            n / copied,
            Target(">=", 0.7, on="ratio"),
            notes,
        ),
        BenchRow(
            f"ingest PostgreSQL: raw psycopg COPY, same table ({RAW_BATCH:,} rows a transaction)",
            n / copied,
            "rows/s",
        ),
        BenchRow(
            f"ingest PostgreSQL: raw psycopg executemany, same table ({RAW_BATCH:,} rows a"
            " transaction)",
            n / many,
            "rows/s",
            copy_name,
            n / copied,
        ),
    ]
