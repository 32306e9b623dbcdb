"""`/inquiries stats`: how many questions, how many answered, and how fast, over a window.

Times are from the question to its first response by someone other than the asker (and,
separately, to the first response by a manager). Percentiles interpolate between the two
nearest values (the median of 1, 2, 3, 10 minutes is 2.5 minutes), as a spreadsheet's
PERCENTILE does. Questions marked "not a question" are left out of every figure.

A window's whole UTC days come from their summaries (`day_summaries`, a row a day), the parts
of days at its edges from their questions' rows (`stats_reads`), each tallied alike by channel
and by UTC quarter hour (`tallies`); the tallies are joined here, and each percentile
selects its values (numpy) rather than sorting them all. A window of tens of thousands of
questions is one kept span, its last two days' summaries and a day's worth of rows.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
from sqlmodel import Session

from bot.core.clock import ensure_utc
from bot.core.markup import channel_mention
from bot.core.messages import Message, Section
from bot.features.inquiries import day_summaries, local_hours, stats_reads, tallies
from bot.features.inquiries.day_summaries import Split
from bot.features.inquiries.stats_reads import Window
from bot.features.inquiries.store import MICROSECOND
from bot.features.inquiries.tallies import Times, joined, since_epoch
from bot.store.models import Channel
from bot.store.raw_sql import fetch, marks
from bot.text.durations import format_seconds as duration


class Durations:
    """Seconds from questions to their responses, kept as the whole microseconds they are
    stored as (a float64 array, exact, in no order: a percentile selects its two values, in
    time linear in their number, and makes seconds of just those)."""

    __slots__ = ("micros",)

    def __init__(self, micros: Times | None = None) -> None:
        self.micros = np.empty(0) if micros is None else micros

    def __len__(self) -> int:
        return len(self.micros)

    def __repr__(self) -> str:
        return f"Durations({len(self)} times)"


def percentile(values: Durations | Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` (0.5: the median), interpolated; None if empty."""
    if not len(values):
        return None
    rank = fraction * (len(values) - 1)
    low = int(rank)
    high = min(low + 1, len(values) - 1)
    if not isinstance(values, Durations):
        ordered = sorted(values)
        below, above = ordered[low], ordered[high]
    else:
        chosen = values.micros.copy()
        chosen.partition((low, high) if high > low else low)
        below, above = chosen[low].item() / 1_000_000, chosen[high].item() / 1_000_000
    return below + (above - below) * (rank - low)


@dataclass(frozen=True)
class Group:
    """Questions of one channel or one hour of the day: how many, and the seconds to each
    first response (one for each answered question)."""

    asked: int = 0
    first: Durations = field(default_factory=Durations)

    @property
    def answered(self) -> int:
        return len(self.first)

    def share(self) -> str:
        return f"{100 * self.answered / self.asked:.0f}%" if self.asked else "–"


@dataclass(frozen=True)
class Tally(Group):
    """All the window's questions: also who answered first, what still waits, and the seconds
    to each manager's first response."""

    by_members: int = 0
    waiting: int = 0
    overdue: int = 0
    manager: Durations = field(default_factory=Durations)


@dataclass
class InquiryStats:
    days: int
    total: Tally
    channels: dict[str, Group]  # by home channel id, the first asked in the window first
    hours: dict[int, Group]  # by local hour of the day the question was asked
    names: dict[str, str]
    dismissed: int


def inquiry_stats(
    session: Session, now: datetime, days: int, zone: ZoneInfo, platform: str | None = None
) -> InquiryStats:
    """The figures for questions asked in the last `days` days (after now − days, up to and
    including now): `/inquiries stats`."""
    after = now - timedelta(days=days)
    window = Window(after + MICROSECOND, now + MICROSECOND, platform)  # times are to the µs
    return _stats(session, window, now, days, zone)


def stats_between(
    session: Session,
    since: datetime,
    until: datetime,
    now: datetime,
    zone: ZoneInfo,
    platform: str | None = None,
) -> InquiryStats:
    """The figures for questions asked at or after `since` and before `until` (a digest's
    week), as they stand at `now`: answered by then, waiting past the SLA then."""
    days = round((until - since) / timedelta(days=1))
    return _stats(session, Window(since, until, platform), now, days, zone)


def _stats(
    session: Session, window: Window, now: datetime, days: int, zone: ZoneInfo
) -> InquiryStats:
    """The figures for the questions asked in `window`: channel by channel (which make the
    totals), hour by hour, and the waiting and dismissed ones."""
    cut = day_summaries.split(window.low, window.high)
    spans = _Spans(session, window, cut.edges, cut.days)
    counted = spans.of(cut)
    parts = sorted(_channel_parts(counted).items(), key=_first_asked)
    channels = {cid: Group(part.asked, Durations(joined(part.first))) for cid, part in parts}
    answered = sum(group.answered for group in channels.values())
    at = since_epoch(now)
    total = Tally(
        asked=sum(group.asked for group in channels.values()),
        first=Durations(joined([group.first.micros for group in channels.values()])),
        by_members=answered - sum(part.by_managers for _, part in parts),
        waiting=sum(len(tally.waiting) for tally in counted),
        overdue=sum(bisect_right(tally.waiting, at) for tally in counted),  # due at or before
        manager=Durations(joined([run for _, part in parts for run in part.manager])),
    )
    hours = _hours(spans, zone)
    names = _channel_names(session, list(channels))
    dismissed = sum(tally.dismissed for tally in counted)
    return InquiryStats(days, total, channels, hours, names, dismissed)


@dataclass
class _Spans:
    """The tallies a window is made of: its whole days' (kept), and its `edges`, parts of
    days (read once each)."""

    session: Session
    window: Window
    edges: tuple[tuple[datetime, datetime], ...]
    whole_days: tuple[date, ...]
    parts: dict[tuple[datetime, datetime], list[tallies.SpanTally]] = field(default_factory=dict)

    def of(self, cut: Split) -> list[tallies.SpanTally]:
        """The tallies of a piece of the window."""
        edges = [
            tally
            for edge in cut.edges  # else at a clock change: from the rows
            for tally in (self.part(*edge) if edge in self.edges else [self._rows(*edge)])
        ]
        if not cut.days:
            return edges
        if cut.days == self.whole_days:
            return [*edges, *self._whole]
        platform = self.window.platform  # a piece between two clock changes
        return [*edges, *day_summaries.range_tallies(self.session, cut.days, platform)]

    def part(self, low: datetime, high: datetime) -> list[tallies.SpanTally]:
        """The tallies of a part of a day: from the questions' rows, but for its whole
        hours up to midnight (kept: the end of a past day no longer changes much)."""
        if (low, high) in self.parts:
            return self.parts[low, high]
        found, hour = [], _hour_from(low)
        if hour < high == day_summaries.midnight(high.date()):
            found.append(day_summaries.evening_tally(self.session, hour, self.window.platform))
        else:
            hour = high
        if low < hour:
            found.append(self._rows(low, hour))
        self.parts[low, high] = found
        return found

    def _rows(self, low: datetime, high: datetime) -> tallies.SpanTally:
        rows = stats_reads.rows(self.session, replace(self.window, low=low, high=high))
        return tallies.tallied(rows, stats_reads.instant(self.session))

    @cached_property
    def _whole(self) -> list[tallies.SpanTally]:
        return day_summaries.range_tallies(self.session, self.whole_days, self.window.platform)


def _hour_from(at: datetime) -> datetime:
    """The first whole hour at or after `at`."""
    hour = ensure_utc(at).replace(minute=0, second=0, microsecond=0)
    return hour if hour == at else hour + timedelta(hours=1)


@dataclass(slots=True)
class _Part:
    """A channel's questions of the window so far (its response times as runs)."""

    asked: int
    by_managers: int
    first_asked: int  # microseconds since 1970
    first: list[Times]
    manager: list[Times]


def _first_asked(item: tuple[str, _Part]) -> tuple[int, str]:
    return item[1].first_asked, item[0]  # as they come in


def _channel_parts(spans: Iterable[tallies.SpanTally]) -> dict[str, _Part]:
    """Each channel's questions of the window, its spans' added up."""
    found: dict[str, _Part] = {}
    for tally in spans:
        for channel_id, asked, by_managers, first_asked, first, manager in tally.channels():
            part = found.get(channel_id)
            if part is None:
                found[channel_id] = _Part(asked, by_managers, first_asked, [first], [manager])
                continue
            part.asked += asked
            part.by_managers += by_managers
            part.first_asked = min(part.first_asked, first_asked)
            part.first.append(first)
            part.manager.append(manager)
    return found


def _hours(spans: _Spans, zone: ZoneInfo) -> dict[int, Group]:
    """The window's questions by the local hour of the day they were asked in, in `zone`:
    in each piece of one offset, by UTC quarter hour (each in one local hour there)."""
    asked: Counter[int] = Counter()
    first: defaultdict[int, list[Times]] = defaultdict(list)
    window = spans.window
    for piece in local_hours.pieces(zone, window.low, window.high):
        if not piece.whole_quarters:
            part = replace(window, low=piece.low, high=piece.high)
            waits: defaultdict[int, list[float]] = defaultdict(list)
            for at, waited in stats_reads.one_by_one(spans.session, part):
                hour = ensure_utc(at).astimezone(zone).hour
                asked[hour] += 1
                if waited is not None:
                    waits[hour].append(float(waited))
            for hour, times in waits.items():
                first[hour].append(np.array(times))
            continue
        runs = _hour_runs(piece)
        for tally in spans.of(day_summaries.split(piece.low, piece.high)):
            counts, offsets = tally.quarters()
            times = tally.times
            for hour, low, high in runs:
                asked[hour] += sum(counts[low:high])
                first[hour].append(times[offsets[low] : offsets[high]])
    return {
        hour: Group(asked[hour], Durations(joined(first[hour])))
        for hour in sorted(asked)
        if asked[hour]
    }


def _hour_runs(piece: local_hours.Piece) -> list[tuple[int, int, int]]:
    """The UTC quarter hours of a day as runs of one local hour each: (hour, first, end)."""
    runs: list[tuple[int, int, int]] = []
    for quarter in range(tallies.QUARTERS):
        hour = piece.hour_of(quarter)
        if runs and runs[-1][0] == hour:
            runs[-1] = (hour, runs[-1][1], quarter + 1)
        else:
            runs.append((hour, quarter, quarter + 1))
    return runs


def _channel_names(session: Session, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    sql = f"SELECT platform_channel_id, name FROM {Channel.__tablename__}"
    rows = fetch(session, f"{sql} WHERE platform_channel_id IN ({marks(len(ids))})", ids)
    return {channel_id: name for channel_id, name in rows}


# ---- rendering ----------------------------------------------------------------------------
def _times(values: Sequence[float]) -> str:
    return f"median {duration(percentile(values, 0.5))} · p90 {duration(percentile(values, 0.9))}"


def render_stats(stats: InquiryStats) -> Message:
    """The figures as managers read them."""
    total = stats.total
    window = f"the last {stats.days} days" if stats.days != 1 else "the last day"
    if not total.asked:
        note = f" ({stats.dismissed} marked “not a question”)" if stats.dismissed else ""
        return Message(text=f"No member questions in {window}{note}.")
    members = f"{100 * total.by_members / total.answered:.0f}%" if total.answered else "–"
    summary = (
        ("Questions", str(total.asked)),
        ("Answered", f"{total.answered} ({total.share()})"),
        ("Waiting", f"{total.waiting} ({total.overdue} past the SLA)"),
        ("First response", _times(total.first)),
        ("First manager response", _times(total.manager)),
        ("Answered by members", f"{members} of answered (a healthy community answers itself)"),
    )
    by_channel = "\n".join(
        f"{channel_mention(cid, stats.names.get(cid, cid))}: {t.asked} asked, "
        f"{t.share()} answered, median {duration(percentile(t.first, 0.5))}"
        for cid, t in sorted(stats.channels.items(), key=lambda item: -item[1].asked)
    )
    by_hour = "\n".join(
        f"{hour:02d}:00 {t.asked} asked, median {duration(percentile(t.first, 0.5))}"
        for hour, t in sorted(stats.hours.items())
    )
    dismissed = f" · {stats.dismissed} marked “not a question” left out" if stats.dismissed else ""
    return Message(
        text=f"Member questions in {window}{dismissed}",
        sections=(
            Section(fields=summary),
            Section(title="By channel", text=by_channel),
            Section(title="By hour asked (community time)", text=by_hour),
        ),
    )
