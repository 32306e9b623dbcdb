"""A vote burst through the whole app (log, vote, private reply, coalesced edit), as an
adapter hands clicks to `Steward.handle`, against the same number of plain messages.

`votes` members click one poll's buttons at once, their clicks stamped within one second of
virtual time; each click comes with a responder that notes when it was first acknowledged
(answered, deferred or silently acknowledged). The stored votes must equal the clicks, and
the poll's message show them, so a fast wrong burst fails.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bot.core.events import ButtonPressed, MessagePosted
from bot.text.charts import bar_chart
from tests.bench import BenchRow, Sizes, Target, best_of, percentile
from tests.benchmarks.community import migrated_copy
from tests.conftest import START, make_settings, open_recorded

OPTIONS = ("Mon", "Wed", "Fri", "Sun")
CREATE = '/poll create question:"Best day?" options:"Mon | Wed | Fri | Sun"'


class Timed:
    """A responder that notes how long after the click it was first acknowledged."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.acknowledged: float | None = None

    def _ack(self) -> None:
        if self.acknowledged is None:
            self.acknowledged = time.perf_counter() - self.started

    async def defer(self) -> None:
        self._ack()

    async def respond(self, message) -> None:
        self._ack()

    async def open_form(self, form) -> None:
        self._ack()

    async def finish(self) -> None:
        self._ack()


async def _burst(url: str, count: int, votes: bool) -> tuple[float, list[float], int]:
    """Seconds for `count` clicks (or plain messages) at once; click-to-acknowledge times;
    edits of the poll's message."""
    recorded = await open_recorded(make_settings(url))
    [poll] = (await recorded.command(CREATE)).public("poll")
    events = []
    for n in range(count):
        base = recorded._base(f"voter{n}", poll.channel)
        base["at"] = START + timedelta(seconds=n / count)  # within one second
        if votes:
            action = poll.button(OPTIONS[n % len(OPTIONS)]).action_id
            events.append(ButtonPressed(**base, message_id=poll.message_id, action_id=action))
        else:
            events.append(MessagePosted(**base, message_id=f"m{n}", text="hello"))
    edits = recorded.app.updates.edits_made
    start = time.perf_counter()
    responders = [Timed(start) if votes else None for _ in events]
    await asyncio.gather(
        *(recorded.app.handle(e, r) for e, r in zip(events, responders, strict=True))
    )
    elapsed = time.perf_counter() - start
    await recorded.advance("2s")
    edits = recorded.app.updates.edits_made - edits
    if votes:
        _check(poll.labels, count)
    await recorded.app.stop()
    recorded.app.store.close()
    acked = [r.acknowledged for r in responders if r is not None and r.acknowledged is not None]
    if votes and len(acked) != count:
        raise AssertionError(f"{count - len(acked)} clicks were never acknowledged")
    return elapsed, acked, edits


def _check(labels: list[str], count: int) -> None:
    """The poll's message shows every click, as many on each option as were cast."""
    cast = Counter(OPTIONS[n % len(OPTIONS)] for n in range(count))
    want = [f"{option} · {cast[option]:,}" for option in OPTIONS]
    if [label.replace(",", "") for label in labels] != [w.replace(",", "") for w in want]:
        raise AssertionError(f"the poll shows {labels}, not the {count} clicks {want}")


def _db(sizes: Sizes, folder: str, name: str) -> str:
    return f"sqlite:///{migrated_copy(sizes.cache, Path(folder) / name)}"


def run(sizes: Sizes) -> list[BenchRow]:
    count = sizes.votes
    with tempfile.TemporaryDirectory() as tmp:
        voting, acked, edits = asyncio.run(_burst(_db(sizes, tmp, "votes.db"), count, True))
        posting, _, _ = asyncio.run(_burst(_db(sizes, tmp, "posts.db"), count, False))
    chart = best_of(
        2 if sizes.quick else 5, lambda: bar_chart("Best day?", OPTIONS, [250, 250, 250, 250])
    )
    burst = f"{count:,} clicks at once within 1 s of virtual time, SQLite"
    return [
        BenchRow(
            f"poll: vote burst through Steward.handle ({burst})",
            count / voting,
            "votes/s",
            "plain messages instead of clicks",
            count / posting,
        ),
        BenchRow(
            "poll: click-to-acknowledge p99 in that burst",
            percentile(acked, 0.99) * 1000,
            "ms",
            target=Target("<=", 10, unit="ms"),
            notes={"p50 ms": round(percentile(acked, 0.5) * 1000, 2)},
        ),
        BenchRow("poll: message edits for that burst", edits, "edits", target=Target("<=", 3)),
        BenchRow(
            "poll: results chart (matplotlib Agg)",
            chart * 1000,
            "ms",
            target=Target("<", 200, unit="ms"),
        ),
    ]
