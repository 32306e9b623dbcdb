"""Poll votes through the whole app (log, vote, private reply, coalesced edit) vs plain messages."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bot.text.charts import bar_chart
from tests.bench import BenchRow, best_of
from tests.conftest import make_settings, open_community

VOTES = 1_000
OPTIONS = ("Mon", "Wed", "Fri", "Sun")


async def _burst(url: str, votes: bool) -> tuple[float, int]:
    """Seconds for VOTES members to click (or, as the baseline, post a message); edits made."""
    community = await open_community(make_settings(url))
    await community.run('/poll create question:"Best day?" options:"Mon | Wed | Fri | Sun"')
    lines = []
    for n in range(VOTES):
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


def run() -> list[BenchRow]:
    with tempfile.TemporaryDirectory() as tmp:
        voting, edits = asyncio.run(_burst(f"sqlite:///{Path(tmp) / 'votes.db'}", True))
        posting, _ = asyncio.run(_burst(f"sqlite:///{Path(tmp) / 'posts.db'}", False))
    chart = best_of(5, lambda: bar_chart("Best day?", OPTIONS, [250, 250, 250, 250]))
    return [
        BenchRow(
            f"poll: {VOTES:,}-vote burst, in-process console (SQLite)",
            VOTES / voting,
            "votes/s",
            "plain messages through the same app",
            VOTES / posting,
        ),
        BenchRow(f"poll: message edits for that burst ({edits} made)", edits, "edits", limit="≤ 3"),
        BenchRow("poll: results chart (matplotlib Agg)", chart * 1000, "ms", limit="< 200 ms"),
    ]
