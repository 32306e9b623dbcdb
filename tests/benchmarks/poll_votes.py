"""Poll votes through the whole app (log, vote, private reply, coalesced edit) vs plain messages."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bot.text.charts import bar_chart
from tests.bench import BenchRow, Sizes, Target, best_of
from tests.benchmarks.community import migrated_copy
from tests.conftest import make_settings, open_community

OPTIONS = ("Mon", "Wed", "Fri", "Sun")


async def _burst(url: str, count: int, votes: bool) -> tuple[float, int]:
    """Seconds for `count` members to click (or, as the baseline, post a message); edits made."""
    community = await open_community(make_settings(url))
    await community.run('/poll create question:"Best day?" options:"Mon | Wed | Fri | Sun"')
    lines = []
    for n in range(count):
        lines.append(f":as voter{n}")
        lines.append(f":click 2 {OPTIONS[n % len(OPTIONS)]}" if votes else "hello")
    start = time.perf_counter()
    for line in lines:
        await community.adapter.feed(line)
    elapsed = time.perf_counter() - start
    await community.run(":advance 2s")
    edits = community.app.updates.edits_made
    await community.app.stop()
    community.app.store.close()
    return elapsed, edits


def _db(sizes: Sizes, folder: str, name: str) -> str:
    return f"sqlite:///{migrated_copy(sizes.cache, Path(folder) / name)}"


def run(sizes: Sizes) -> list[BenchRow]:
    count = sizes.votes
    with tempfile.TemporaryDirectory() as tmp:
        voting, edits = asyncio.run(_burst(_db(sizes, tmp, "votes.db"), count, True))
        posting, _ = asyncio.run(_burst(_db(sizes, tmp, "posts.db"), count, False))
    chart = best_of(
        2 if sizes.quick else 5, lambda: bar_chart("Best day?", OPTIONS, [250, 250, 250, 250])
    )
    return [
        BenchRow(
            f"poll: vote burst, in-process console ({count:,} votes, SQLite)",
            count / voting,
            "votes/s",
            "plain messages instead of clicks",
            count / posting,
        ),
        BenchRow("poll: message edits for that burst", edits, "edits", target=Target("<=", 3)),
        BenchRow(
            "poll: results chart (matplotlib Agg)",
            chart * 1000,
            "ms",
            target=Target("<", 200, unit="ms"),
        ),
    ]
