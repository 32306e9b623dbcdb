"""A span's questions added up the way `/inquiries stats` merges them: by channel, by UTC
quarter hour, and the dismissed and waiting ones. A whole UTC day's tally is kept
(`day_summaries`); the parts of days at a window's edges are tallied from their rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate

import numpy as np

from bot.core.clock import ensure_utc
from bot.features.inquiries.store import DISMISSED, WAITING, micros

QUARTERS = 96  # UTC quarter hours of a day
CHANNEL_COUNTS = 5  # asked, by managers, first asked, first responses, manager responses
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Row = tuple  # home channel, asked at, status, by manager, first µs, manager µs, quarter, SLA due
Times = np.ndarray  # float64 microseconds (exact to 2⁵³ µs), in no order


def joined(runs: list[Times]) -> Times:
    """One array of the times of `runs`."""
    if len(runs) == 1:
        return runs[0]
    return np.concatenate(runs) if runs else np.empty(0)


def since_epoch(at: datetime) -> int:
    """Microseconds since 1970 (a channel's first asked, an SLA: compared across days)."""
    return micros(ensure_utc(at) - EPOCH)


@dataclass(frozen=True)
class SpanTally:
    """Questions of a span. `counts` holds, for each of `channel_ids`: how many were asked
    (none marked "not a question"), how many first answered by a manager, the microseconds
    since 1970 of the earliest asked, how many first responses and manager responses; then
    for each UTC quarter hour 0–95: how many asked, how many first responses. `times` holds
    those responses' microseconds in that order, group after group (each group's in no
    order: the percentiles select, they do not sort). `waiting`: when each question still
    waiting for a first response is past its SLA (µs since 1970, in order)."""

    channel_ids: list[str]
    counts: list[int]
    times: Times
    dismissed: int
    waiting: list[int]

    def channels(self) -> Iterator[tuple[str, int, int, int, Times, Times]]:
        """Each channel's id, asked, by managers, first asked, first and manager times."""
        counts, times, at = self.counts, self.times, 0
        for n, channel_id in enumerate(self.channel_ids):
            asked, managers, first_asked, firsts, later = counts[
                CHANNEL_COUNTS * n : CHANNEL_COUNTS * (n + 1)
            ]
            middle, end = at + firsts, at + firsts + later
            yield channel_id, asked, managers, first_asked, times[at:middle], times[middle:end]
            at = end

    def quarters(self) -> tuple[list[int], list[int]]:
        """For each quarter hour: how many asked; and where its first times begin in
        `times` (97 offsets, the last the end)."""
        base = CHANNEL_COUNTS * len(self.channel_ids)
        asked = self.counts[base : base + 2 * QUARTERS : 2]
        firsts = self.counts[base + 1 : base + 2 * QUARTERS : 2]
        return asked, list(accumulate(firsts, initial=len(self.times) - sum(firsts)))


def tallied(rows: Iterable[Row], instant: Callable[[object], datetime]) -> SpanTally:
    """The tally of `rows` (as `stats_reads.rows` reads them; `instant` makes a stored time
    a datetime)."""
    channels: dict[str, list] = {}  # asked, by managers, first asked, first and manager times
    quarters: list[list] = [[0, []] for _ in range(QUARTERS)]
    dismissed, waiting = 0, []
    for home, asked_at, status, by_manager, first, manager, quarter, sla_due in rows:
        if status == DISMISSED:
            dismissed += 1
            continue
        channel = channels.get(home)
        if channel is None:
            channel = channels[home] = [0, 0, asked_at, [], []]
        channel[0] += 1
        channel[2] = min(channel[2], asked_at)  # stored times sort as the times do
        quarters[quarter][0] += 1
        if first is not None:
            channel[1] += bool(by_manager)
            channel[3].append(float(first))
            quarters[quarter][1].append(float(first))
        elif status == WAITING:
            waiting.append(since_epoch(instant(sla_due)))
        if manager is not None:
            channel[4].append(float(manager))
    for channel in channels.values():
        channel[2:] = since_epoch(instant(channel[2])), _run(channel[3]), _run(channel[4])
    for quarter in quarters:
        quarter[1] = _run(quarter[1])
    return _built(channels, quarters, dismissed, sorted(waiting))


def _run(times: list[float]) -> list[Times]:
    """`times` as the runs `_built` takes."""
    return [np.array(times)] if times else []


def merged(tallies: Iterable[SpanTally]) -> SpanTally:
    """One tally of the spans of `tallies` (which do not overlap)."""
    channels: dict[str, list] = {}  # as in `tallied`
    quarters: list[list] = [[0, []] for _ in range(QUARTERS)]
    dismissed, waiting = 0, []
    for tally in tallies:
        for channel_id, asked, managers, first_asked, first, manager in tally.channels():
            channel = channels.get(channel_id)
            if channel is None:
                channels[channel_id] = [asked, managers, first_asked, [first], [manager]]
                continue
            channel[0] += asked
            channel[1] += managers
            channel[2] = min(channel[2], first_asked)
            channel[3].append(first)
            channel[4].append(manager)
        counts, offsets = tally.quarters()
        for quarter, (asked, low, high) in enumerate(
            zip(counts, offsets[:-1], offsets[1:], strict=True)
        ):
            quarters[quarter][0] += asked
            quarters[quarter][1].append(tally.times[low:high])
        dismissed += tally.dismissed
        waiting += tally.waiting
    return _built(channels, quarters, dismissed, sorted(waiting))


def _built(
    channels: dict[str, list], quarters: list[list], dismissed: int, waiting: list[int]
) -> SpanTally:
    """The tally of groups as `tallied` and `merged` add them up (each group's times as
    runs)."""
    counts: list[int] = []
    runs: list[Times] = []
    for asked, managers, first_asked, first, manager in channels.values():
        counts += (asked, managers, first_asked, _size(first), _size(manager))
        runs += (*first, *manager)
    for asked, first in quarters:
        counts += (asked, _size(first))
        runs += first
    return SpanTally(list(channels), counts, joined(runs), dismissed, waiting)


def _size(runs: list[Times]) -> int:
    return sum(map(len, runs))
