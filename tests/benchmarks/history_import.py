"""History import: generated Slack and DiscordChatExporter exports through `steward import`,
beside raw `executemany` of the same rows into the same schema.

Each import runs as the real command (`steward import slack|discord … --db`), a process of its
own that reports its own peak RSS (tests/benchmarks/import_child.py); its rate is the
command's own count of new events over the time it reports (the process start is not
counted). The same import of a tenth of the events gives the RSS it is compared with: flat
memory means the same peak at both sizes. The raw baseline reads back the very rows the
import stored and inserts them with sqlite3 `executemany`, 5,000 rows a call, in one
transaction, into a fresh copy of the migrated schema holding the same members and channels
(only the executemany calls are timed). The import's rows are checked: as many as the export
has events, and nothing added by a second import. QUICK runs both platforms at once (their
figures then share the machine).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from tests.bench import ROOT, BenchRow, Sizes, Target
from tests.benchmarks.community import connect_raw, migrated_copy, template
from tests.benchmarks.export_writing import write_discord_export, write_slack_export

BATCH = 5_000
PLATFORMS = ("slack", "discord")
COLUMNS = (
    "platform, platform_event_id, kind, member_id, channel_id, message_id, parent_message_id, "
    "target_member_id, detail, text, content_type, created_at, removed_at"
)
_SUMMARY = re.compile(r"files imported in ([\d.]+)s")
_NEW = re.compile(r"^\s+new: (.*)$", re.MULTILINE)
_PEAK = re.compile(r"peak RSS kB: (\d+)")


def _import(platform: str, export: Path, db: Path) -> tuple[float, float, str]:
    """Run `steward import`; its seconds, peak RSS (MB) and printed summary."""
    command = [sys.executable, "-m", "tests.benchmarks.import_child", "import", platform]
    command += [str(export), "--db", f"sqlite:///{db}"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    printed = done.stdout + done.stderr
    if done.returncode != 0:
        raise AssertionError(f"steward import {platform} failed:\n{printed}")
    found, peak = _SUMMARY.search(printed), _PEAK.search(done.stderr)
    if found is None or peak is None:
        raise AssertionError(f"no summary from steward import:\n{printed}")
    return float(found.group(1)), int(peak.group(1)) / 1024, printed


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM interaction").fetchone()
    conn.close()
    return rows


def _raw(cache: Path, source: Path, target: Path) -> float:
    """Seconds of `executemany` of `source`'s interaction rows into a fresh schema."""
    migrated_copy(cache, target)
    db = connect_raw(target)
    db.execute("ATTACH DATABASE ? AS source", (str(source),))
    db.execute("BEGIN")
    db.execute("INSERT INTO member SELECT * FROM source.member")
    db.execute("INSERT INTO channel SELECT * FROM source.channel")
    db.execute("COMMIT")
    reading = db.execute(f"SELECT {COLUMNS} FROM source.interaction ORDER BY id")
    marks = ", ".join("?" * len(COLUMNS.split(", ")))
    insert = f"INSERT INTO interaction ({COLUMNS}) VALUES ({marks})"
    writer = connect_raw(target)
    spent = 0.0
    writer.execute("BEGIN")
    while rows := reading.fetchmany(BATCH):
        start = time.perf_counter()
        writer.executemany(insert, rows)
        spent += time.perf_counter() - start
    start = time.perf_counter()
    writer.execute("COMMIT")
    spent += time.perf_counter() - start
    writer.close()
    db.close()
    return spent


def _one_format(sizes: Sizes, folder: Path, platform: str) -> list[BenchRow]:
    write = write_slack_export if platform == "slack" else write_discord_export
    events = sizes.import_events
    export, small = folder / f"{platform}-export", folder / f"{platform}-small"
    written = write(export, events, sizes.members, sizes.channels)
    small_written = write(small, events // 10, sizes.members, sizes.channels)
    db, small_db = folder / f"{platform}.db", folder / f"{platform}-small.db"
    for path in (db, small_db):
        migrated_copy(sizes.cache, path)
    seconds, rss, printed = _import(platform, export, db)
    _, small_rss, _ = _import(platform, small, small_db)
    stored = _stored(db)
    if stored != written:
        raise AssertionError(f"{platform}: {stored} rows stored of {written} events\n{printed}")
    _, _, again = _import(platform, export, db)
    if _stored(db) != stored or "new: nothing" not in again:
        raise AssertionError(f"{platform}: a second import added rows:\n{again}")
    raw = min(_raw(sizes.cache, db, folder / f"{platform}-raw{n}.db") for n in range(2))
    shutil.rmtree(export)
    what = "Slack export" if platform == "slack" else "DiscordChatExporter JSON"
    new = _NEW.search(printed)
    notes = {"new": new.group(1) if new else "", "import seconds": round(seconds, 2)}
    return [
        BenchRow(
            f"import: {what}, {written:,} events ({sizes.members:,} members, "
            f"{sizes.channels} channels)",
            stored / seconds,
            "events/s",
            "raw executemany of the same rows, same schema",
            stored / raw,
            Target(">=", 0.7, on="ratio"),
            notes,
        ),
        BenchRow(
            f"import memory: {what}, peak RSS at {written:,} events",
            rss,
            "MB",
            f"peak RSS at {small_written:,} events",
            small_rss,
            Target(">=", 0.8, on="ratio"),
        ),
    ]


def run(sizes: Sizes) -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        measure = partial(_one_format, sizes, Path(tmp))
        if sizes.quick:  # both at once: the quick run is about working, not about figures
            template(sizes.cache)  # built before the two threads copy it
            with ThreadPoolExecutor(len(PLATFORMS)) as pool:
                tables = list(pool.map(measure, PLATFORMS))
        else:
            tables = [measure(platform) for platform in PLATFORMS]
    return [row for table in tables for row in table]
