"""Interaction log throughput: events through the batching writer vs raw sqlite3 inserts."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from bot.core.directory import Directory
from bot.core.events import ChannelRef, MemberRef, MessagePosted
from bot.core.interaction_log import InteractionLog
from bot.store.database import Store
from tests.bench import BenchRow
from tests.conftest import START

EVENTS = 5_000
MEMBERS = [MemberRef("discord", f"u{n}", f"member{n}") for n in range(200)]
CHANNEL = ChannelRef("discord", "c1", "general")


def _events() -> list[MessagePosted]:
    return [
        MessagePosted(
            event_id=f"e{n}",
            member=MEMBERS[n % len(MEMBERS)],
            channel=CHANNEL,
            at=START + timedelta(milliseconds=n),
            message_id=f"m{n}",
            text="hello",
        )
        for n in range(EVENTS)
    ]


async def _through_the_log(url: str) -> float:
    store = Store.open(url)
    log = InteractionLog(store, Directory())
    log.start()
    events = _events()
    start = time.perf_counter()
    await asyncio.gather(*(log.record(e) for e in events))
    elapsed = time.perf_counter() - start
    await log.stop()
    store.close()
    return elapsed


def _raw_one_commit_per_event(path: Path) -> float:
    """The naive way without batching: one INSERT and one commit per event, same pragmas."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, event TEXT UNIQUE, member TEXT, at TEXT)")
    start = time.perf_counter()
    for e in _events():
        db.execute(
            "INSERT INTO t (event, member, at) VALUES (?, ?, ?)",
            (e.event_id, e.member.user_id, e.at.isoformat()),
        )
        db.commit()
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        ours = asyncio.run(_through_the_log(f"sqlite:///{Path(tmp) / 'log.db'}"))
        raw = _raw_one_commit_per_event(Path(tmp) / "raw.db")
    return [
        BenchRow(
            f"interaction log: {EVENTS:,} concurrent events (SQLite)",
            EVENTS / ours,
            "events/s",
            "raw sqlite3 commit-per-event",
            EVENTS / raw,
        )
    ]
