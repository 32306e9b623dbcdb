"""`/inquiries stats days:30` on a big store: latency through `Steward.handle`, p50 and p99.

The store is the `/stats me` store (`stats_rows` interactions, 1,000,000 in the full run) with
`inquiries` member questions added by raw inserts (50,000 in the full run), built once per
schema and kept in the cache folder; each run works on a copy. The questions are spread over
the 90 days before START (more by day than by night) and over the channels (a few channels
get most), some in threads, asked by members in proportion to their activity. About 85% get a
first response, after a skewed time (median 20 minutes, a long tail of hours and days), a
fifth of them first from a manager; managers also answer later on some that members answered
first, and resolve some. Those not answered by START are still waiting (their alerts sent as
the SLA job would have); a few are marked "not a question". Each row also holds what the
writers keep with it: its UTC quarter hour and its response times in microseconds.

A manager asks in the managers' channel, through the whole app; the first calls after start
are left out (the first one loads the inquiry tracker; its time is in the row's notes). The
baseline is what reading the window row by row costs: a raw sqlite3 SELECT of the eight
columns the figures come from, over the same 30-day window, every row fetched (as SQLite's
text, no datetime parsing), on the same table. (The command reads a row per channel and per
quarter hour instead, each with its group's times in one text; a `SELECT count(*)` would
still not be fair: the percentiles need every question's time.)
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.core.events import ChannelRef, MemberRef
from bot.features.inquiries.store import days_changed, micros, quarter_of
from tests.bench import BenchRow, Sizes, latency_rows
from tests.benchmarks.community import (
    PLATFORM,
    checkpoint,
    close_app,
    connect_raw,
    open_app,
    schema_key,
    sqlite_time,
    timed_command,
)
from tests.benchmarks.member_stats import built_store as interactions_store
from tests.conftest import START

DAYS = 90  # questions asked over the 90 days before START
WINDOW = 30  # /inquiries stats days:30
SLA = timedelta(minutes=60)  # the default [inquiries] sla_minutes; the reminder at twice it
KEEP_TEXT = timedelta(days=90)  # the default [privacy] retention_days
MANAGER_WATCH = timedelta(days=7)  # a manager's later word counts this long after asking
MANAGERS = 5
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 10, 10, 10, 9, 9, 10, 10, 8, 6, 4)
DISMISSED_SHARE, ANSWERED_SHARE = 0.03, 0.85  # the rest is never answered
BY_MANAGER, MANAGER_LATER, RESOLVED_SHARE = 0.2, 0.3, 0.25
FIRST_MEDIAN, FIRST_SPREAD = 20 * 60, 1.9  # seconds to a first response, lognormal
TOPICS = ("the API token", "my contest entry", "the weekly digest", "roles", "the calendar")
ANSWER = "Member questions in the last 30 days"
CALLS_BEFORE = 2  # calls before the measured ones (the first one loads the inquiry tracker)
COLUMNS = (
    "platform, channel_id, home_channel_id, thread_id, message_id, line_ids, member_id, source,"
    " text, status, asked_at, last_line_at, sla_due_at, reminder_at, next_alert_at,"
    " alerts_sent, first_response_at, first_responder_id, first_response_by_manager,"
    " first_manager_response_at, closed_at, closed_by_id, assignee_id, assigned_at,"
    " text_kept_until, asked_quarter, first_response_us, first_manager_response_us"
)
BASELINE = (
    "SELECT asked_at, first_response_at, first_response_by_manager,"
    " first_manager_response_at, status, sla_due_at, home_channel_id, platform"
    " FROM inquiry WHERE asked_at > ? AND asked_at <= ?"
)


@dataclass(frozen=True)
class Crowd:
    """Who asks and answers: member row ids by activity, and the managers' row ids."""

    members: int  # member row ids 1..members, low ids the most active
    managers: list[int]

    def member(self, rng: random.Random) -> int:
        return int(self.members * rng.random() ** 2) + 1

    def manager(self, rng: random.Random) -> int:
        return rng.choice(self.managers)


def _when(at: datetime | None) -> str | None:
    return None if at is None else sqlite_time(at)


def _waited(asked: datetime, at: datetime | None) -> int | None:
    """Microseconds from `asked` to `at`, as the inquiries store them."""
    return None if at is None else micros(at - asked)


def _later(at: datetime, rng: random.Random, median: float, spread: float) -> datetime:
    """`at` plus a skewed delay (lognormal seconds around `median`, at least 20 s)."""
    return at + timedelta(seconds=max(20.0, rng.lognormvariate(math.log(median), spread)))


def _asked_times(count: int, rng: random.Random) -> list[datetime]:
    """`count` times in the DAYS before START, in order, more by day (UTC) than by night."""
    midnight = (START - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0)
    times: list[datetime] = []
    while len(times) < count:
        hour = rng.choices(range(24), HOUR_WEIGHTS)[0]
        at = midnight + timedelta(days=rng.randrange(DAYS + 1), hours=hour)
        at += timedelta(seconds=rng.randrange(3600))
        if START - timedelta(days=DAYS) < at < START:
            times.append(at)
    return sorted(times)


def _alerts(asked: datetime, until: datetime) -> int:
    """SLA alerts posted before `until` (a first response, a close, or START)."""
    return (asked + SLA <= until) + (asked + 2 * SLA <= until)


def _inquiry(n: int, asked: datetime, sizes: Sizes, crowd: Crowd, rng: random.Random) -> tuple:
    channel = f"c{int(sizes.channels * rng.random() ** 3)}"  # a few help channels get most
    thread = f"th{n}" if rng.random() < 0.3 else None
    asker = crowd.member(rng)
    lines, last_line = ("", asked)
    if rng.random() < 0.25:
        lines, last_line = f"q{n}l1", asked + timedelta(seconds=rng.randrange(30, 300))
    draw = rng.random()
    first = by_manager = manager_at = closed = closed_by = None
    status = "waiting"
    if draw < DISMISSED_SHARE:
        status, closed, closed_by = "dismissed", _later(asked, rng, 600, 1.0), crowd.manager(rng)
        if closed > START:
            status, closed, closed_by = "waiting", None, None
    elif draw < DISMISSED_SHARE + ANSWERED_SHARE:
        first = _later(asked, rng, FIRST_MEDIAN, FIRST_SPREAD)
        if first > START:
            first = None  # asked lately: not answered yet
    responder = None
    if first is not None:
        status, by_manager = "answered", rng.random() < BY_MANAGER
        responder = crowd.manager(rng) if by_manager else crowd.member(rng)
        while responder == asker:  # a first response is by someone other than the asker
            responder = crowd.member(rng)
        if by_manager:
            manager_at = first
        elif rng.random() < MANAGER_LATER:
            later = _later(first, rng, 3 * 3600, 1.2)
            manager_at = later if later <= min(START, asked + MANAGER_WATCH) else None
        if rng.random() < RESOLVED_SHARE:
            done = _later(first, rng, 4 * 3600, 1.0)
            if done <= START:
                status, closed, closed_by = "resolved", done, crowd.manager(rng)
    settled = first or closed
    sent = _alerts(asked, settled or START)
    next_alert = None if settled else (asked + SLA, asked + 2 * SLA, None)[sent]
    assignee = crowd.manager(rng) if settled is None and sent and rng.random() < 0.3 else None
    return (
        PLATFORM,
        thread or channel,
        channel,
        thread,
        f"q{n}",
        lines,
        asker,
        "ask" if rng.random() < 0.15 else "channel",
        f"How do I set up {rng.choice(TOPICS)}? I tried the docs but it still fails (#{n})",
        status,
        _when(asked),
        _when(last_line),
        _when(asked + SLA),
        _when(asked + 2 * SLA),
        _when(next_alert),
        sent,
        _when(first),
        responder,
        by_manager,
        _when(manager_at),
        _when(closed),
        closed_by,
        assignee,
        _when(None if assignee is None else asked + SLA + timedelta(minutes=5)),
        _when(None if settled is None else settled + KEEP_TEXT),
        quarter_of(asked),
        _waited(asked, first),
        _waited(asked, manager_at),
    )


def _managers(db: sqlite3.Connection) -> list[int]:
    """Add the managers as members; their row ids."""
    seen = sqlite_time(START - timedelta(days=DAYS))
    db.executemany(
        "INSERT INTO member (platform, platform_user_id, name, is_bot, roles, first_seen_at,"
        " last_seen_at) VALUES (?, ?, ?, 0, '', ?, ?)",
        [(PLATFORM, f"mgr{n}", f"manager{n}", seen, seen) for n in range(MANAGERS)],
    )
    rows = db.execute("SELECT id FROM member WHERE platform_user_id LIKE 'mgr%' ORDER BY id")
    return [row[0] for row in rows]


def built_store(sizes: Sizes) -> Path:
    """The `/stats me` store with the questions added, built on first use (again when this
    file, which says what the questions are, changes)."""
    base = interactions_store(sizes)
    made_by = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    these_sizes = f"{sizes.stats_rows}-{sizes.members}-{sizes.inquiries}.db"
    path = sizes.cache / f"inquiries-{schema_key()}-{made_by}-{these_sizes}"
    if path.exists():
        return path
    for stale in sizes.cache.glob(f"inquiries-*-{these_sizes}"):
        stale.unlink()  # an older schema's or generator's: a quarter of a gigabyte each
    building = path.with_suffix(".building")
    shutil.copy(base, building)
    db = connect_raw(building)
    rng = random.Random(3)
    db.execute("BEGIN")
    crowd = Crowd(sizes.members, _managers(db))
    rows = [
        _inquiry(n, asked, sizes, crowd, rng)
        for n, asked in enumerate(_asked_times(sizes.inquiries, rng))
    ]
    marks = ", ".join("?" * len(rows[0]))
    db.executemany(f"INSERT INTO inquiry ({COLUMNS}) VALUES ({marks})", rows)
    db.execute("COMMIT")
    db.close()
    checkpoint(building)
    building.replace(path)
    return path


async def _stats(path: Path, calls: int, answered: bool = False) -> list[float]:
    """Seconds for each `/inquiries stats days:30` by a manager, through the whole app (the
    first CALLS_BEFORE included); `answered`: before each, as if a question asked yesterday
    were answered meanwhile (its day's kept figures go stale, and are made again)."""
    app, sink = await open_app(path)
    manager = MemberRef(PLATFORM, "mgr0", "manager0", is_manager=True)
    managers = ChannelRef(PLATFORM, "managers", "managers", is_admin=True)
    timings = []
    for n in range(CALLS_BEFORE + calls):
        if answered:
            app.store.call(days_changed, START - timedelta(days=1))
        elapsed, said = await timed_command(
            app,
            sink,
            f"inquiry-stats{n}{'-answered' if answered else ''}",
            manager,
            managers,
            "inquiries stats",
            {"days": WINDOW},
        )
        timings.append(elapsed)
        if said is None or not said.text.startswith(ANSWER):
            raise AssertionError(f"/inquiries stats did not answer: {said}")
    await close_app(app)
    return timings


def _raw_selects(path: Path, calls: int) -> tuple[list[float], int]:
    """Seconds for each raw SELECT of the rows the command reads; and how many rows."""
    db = sqlite3.connect(path)
    window = (sqlite_time(START - timedelta(days=WINDOW)), sqlite_time(START))
    timings, rows = [], 0
    for _ in range(CALLS_BEFORE + calls):
        start = time.perf_counter()
        rows = len(db.execute(BASELINE, window).fetchall())
        timings.append(time.perf_counter() - start)
    db.close()
    return timings[CALLS_BEFORE:], rows


def run(sizes: Sizes) -> list[BenchRow]:
    store = built_store(sizes)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inquiries.db"
        shutil.copy(store, path)
        timings = asyncio.run(_stats(path, sizes.inquiry_calls))
        raw, rows = _raw_selects(path, sizes.inquiry_calls)
        changing = asyncio.run(_stats(path, sizes.inquiry_calls, answered=True))
    ours = timings[CALLS_BEFORE:]
    store_size = f"{sizes.inquiries:,} inquiries, {sizes.stats_rows:,} interactions"
    notes = {
        "rows in the window": rows,
        "calls": len(ours),
        "first call after start ms (not counted: it loads the inquiry tracker)": round(
            timings[0] * 1000, 1
        ),
    }
    baseline = "raw SELECT of the same rows, all fetched"
    return [
        *latency_rows(
            "/inquiries stats days:30",
            store_size,
            f"{len(ours)} calls",
            ours,
            baseline,
            raw,
            10,  # a command answers within 10 ms (#15)
            notes,
        ),
        *latency_rows(
            "/inquiries stats days:30, a question of yesterday answered before each call",
            store_size,
            f"{len(ours)} calls",
            changing[CALLS_BEFORE:],
            baseline,
            raw,
            10,
        ),
    ]
