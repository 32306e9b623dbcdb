"""`/inquiries stats`: how many questions, how many answered, and how fast, over a window.

Times are from the question to its first response by someone other than the asker (and,
separately, to the first response by a manager). Percentiles interpolate between the two
nearest values (the median of 1, 2, 3, 10 minutes is 2.5 minutes), as a spreadsheet's
PERCENTILE does. Questions marked "not a question" are left out of every figure.

The database reads a window channel by channel and UTC quarter hour by quarter hour from its
indexes (`stats_reads`), a row for each group with the group's times in one text; they are
sorted here. A window of tens of thousands of questions is a few hundred rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import chain
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlmodel import Session

from bot.core.clock import ensure_utc
from bot.core.markup import channel_mention
from bot.core.messages import Message, Section
from bot.features.inquiries import local_hours, stats_reads
from bot.features.inquiries.stats_reads import Window, in_order, parsed
from bot.features.inquiries.store import MICROSECOND
from bot.store.models import Channel
from bot.text.durations import format_seconds as duration


class Durations(Sequence[float]):
    """Seconds from questions to their responses, smallest first, kept as the whole
    microseconds they are stored as (a second each only when one is looked at)."""

    __slots__ = ("micros",)

    def __init__(self, micros: list[int] | None = None) -> None:
        self.micros = micros or []  # in order

    def __len__(self) -> int:
        return len(self.micros)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [m / 1_000_000 for m in self.micros[index]]
        return self.micros[index] / 1_000_000

    def __repr__(self) -> str:
        return f"Durations({len(self)} times)"


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` (0.5: the median), interpolated; None if empty."""
    if not values:
        return None
    ordered = values if isinstance(values, Durations) else sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


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
    totals), hour by hour, and the waiting and dismissed ones, each read from its index."""
    reads = stats_reads.by_channel(session, window)
    reads.sort(key=lambda read: (read.first_asked, read.channel_id))  # as they come in
    channels = {r.channel_id: Group(r.asked, Durations(in_order(r.first))) for r in reads}
    waiting, overdue, dismissed = stats_reads.by_status(session, window, now)
    answered = sum(group.answered for group in channels.values())
    total = Tally(
        asked=sum(group.asked for group in channels.values()),
        first=Durations(_merged(group.first.micros for group in channels.values())),
        by_members=answered - sum(read.by_managers for read in reads),
        waiting=waiting,
        overdue=overdue,
        manager=Durations(in_order(*(read.manager for read in reads))),
    )
    hours = _hours(session, window, zone)
    names = _channel_names(session, list(channels))
    return InquiryStats(days, total, channels, hours, names, dismissed)


def _merged(runs: Iterable[list[int]]) -> list[int]:
    """One list in order of lists each in order (a sort finds the runs and merges them)."""
    return sorted(chain.from_iterable(runs))


def _hours(session: Session, window: Window, zone: ZoneInfo) -> dict[int, Group]:
    """The window's questions by the local hour of the day they were asked in, in `zone`."""
    asked: Counter[int] = Counter()
    first: defaultdict[int, list[int]] = defaultdict(list)
    for piece in local_hours.pieces(zone, window.low, window.high):
        part = replace(window, low=piece.low, high=piece.high)
        if piece.whole_quarters:
            for quarter, n, listed in stats_reads.by_quarter(session, part):
                hour = piece.hour_of(quarter)
                asked[hour] += n
                first[hour].extend(parsed(listed))
        else:
            for at, waited in stats_reads.one_by_one(session, part):
                hour = ensure_utc(at).astimezone(zone).hour
                asked[hour] += 1
                if waited is not None:
                    first[hour].append(waited)
    return {hour: Group(asked[hour], Durations(sorted(first[hour]))) for hour in sorted(asked)}


def _channel_names(session: Session, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Channel.platform_channel_id, Channel.name).where(
            and_(Channel.platform_channel_id.in_(ids))
        )
    )
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
