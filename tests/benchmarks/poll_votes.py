"""A vote burst through the whole app (log, vote, private reply, coalesced edit), as an
adapter hands clicks to `Steward.deliver`, against the same number of plain messages.

`votes` members click one poll's buttons, their clicks stamped within one second of virtual
time, arriving in two ways: spread evenly over one second of real time (a burst as the
platform delivers it: the acknowledgement target's figure), and all at the same instant (the
stress case: the last click waits for every one before it). Each click comes with a
responder that notes how long after the click's arrival it was first acknowledged (answered,
deferred or silently acknowledged). The stored votes must equal the clicks, and the poll's
message show them, so a fast wrong burst fails.
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
    """A responder that notes how long after the click's arrival it was first acknowledged."""

    def __init__(self, started: float = 0.0) -> None:
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


async def _burst(
    url: str, count: int, votes: bool, spread: float = 0.0
) -> tuple[float, list[float], int]:
    """Seconds for `count` clicks (or plain messages) arriving evenly over `spread` seconds
    (0: at once); click-to-acknowledge times; edits of the poll's message."""
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
    responders = [Timed() if votes else None for _ in events]
    start = time.perf_counter()
    await _arrive(recorded.app, events, responders, spread)
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


async def _arrive(app, events: list, responders: list, spread: float) -> None:
    """Hand each event over at its arrival time, `spread` seconds spread evenly (a click's
    responder timed from then), as an adapter's task per request; wait for them all."""
    start, handling = time.perf_counter(), []
    for n, (event, responder) in enumerate(zip(events, responders, strict=True)):
        due = start + spread * n / len(events)
        if (wait := due - time.perf_counter()) > 0.001:
            await asyncio.sleep(wait)  # the clicks due meanwhile arrive together, a little late
        if responder is not None:
            responder.started = due  # lateness in arriving counts against the app
        handling.append(asyncio.ensure_future(app.deliver(event, responder)))
    await asyncio.gather(*handling)
    if responders[0] is None:
        await app.deliveries.settled()  # plain messages: until committed and acted on


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
        _, spread, _ = asyncio.run(_burst(_db(sizes, tmp, "spread.db"), count, True, 1.0))
    chart = best_of(
        2 if sizes.quick else 5, lambda: bar_chart("Best day?", OPTIONS, [250, 250, 250, 250])
    )
    burst = f"{count:,} clicks at once within 1 s of virtual time, SQLite"
    return [
        BenchRow(
            f"poll: vote burst through Steward.deliver ({burst})",
            count / voting,
            "votes/s",
            "plain messages instead of clicks",
            count / posting,
        ),
        BenchRow(
            f"poll: click-to-acknowledge p99 when all {count:,} arrive at once (the last waits"
            " for all before it)",
            percentile(acked, 0.99) * 1000,
            "ms",
            notes={"p50 ms": round(percentile(acked, 0.5) * 1000, 2)},
        ),
        BenchRow("poll: message edits for that burst", edits, "edits", target=Target("<=", 3)),
        BenchRow(
            f"poll: click-to-acknowledge p99, {count:,} clicks arriving evenly within one second",
            percentile(spread, 0.99) * 1000,
            "ms",
            target=Target("<=", 10, unit="ms"),
            notes={"p50 ms": round(percentile(spread, 0.5) * 1000, 2)},
        ),
        BenchRow(
            "poll: results chart (matplotlib Agg)",
            chart * 1000,
            "ms",
            target=Target("<", 200, unit="ms"),
        ),
    ]
