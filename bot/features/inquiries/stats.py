"""`/inquiries stats`: how many questions, how many answered, and how fast, over a window.

Times are from the question to its first response by someone other than the asker (and,
separately, to the first response by a manager). Percentiles interpolate between the two
nearest values (the median of 1, 2, 3, 10 minutes is 2.5 minutes), as a spreadsheet's
PERCENTILE does. Questions marked "not a question" are left out of every figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, DateTime, and_, select, type_coerce
from sqlmodel import Session

from bot.core.clock import ensure_utc
from bot.core.markup import channel_mention
from bot.core.messages import Message, Section
from bot.features.inquiries.store import DISMISSED, WAITING, Inquiry
from bot.store.models import Channel
from bot.text.durations import format_seconds as duration


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` (0.5: the median), interpolated; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Tally:
    """Questions in one group (all, a channel, an hour of the day)."""

    asked: int = 0
    answered: int = 0
    by_members: int = 0
    waiting: int = 0
    overdue: int = 0
    first: list[float] = field(default_factory=list)  # seconds to the first response
    manager: list[float] = field(default_factory=list)  # seconds to a manager's first response

    def add(self, row: tuple) -> None:
        """One question: seconds to its first response and to a manager's (or None), whether
        a manager answered first, its status, and whether it is past its SLA."""
        first, by_manager, manager, status, overdue = row
        self.asked += 1
        if first is not None:
            self.answered += 1
            self.first.append(first)
            self.by_members += not by_manager
        elif status == WAITING:
            self.waiting += 1
            self.overdue += overdue
        if manager is not None:
            self.manager.append(manager)

    def share(self) -> str:
        return f"{100 * self.answered / self.asked:.0f}%" if self.asked else "–"


@dataclass
class InquiryStats:
    days: int
    total: Tally
    channels: dict[str, Tally]  # by home channel id
    hours: dict[int, Tally]  # by local hour of the day the question was asked
    names: dict[str, str]
    dismissed: int


def inquiry_stats(
    session: Session, now: datetime, days: int, zone: ZoneInfo, platform: str | None = None
) -> InquiryStats:
    """The figures for questions asked in the last `days` days (after now − days, up to and
    including now): `/inquiries stats`."""
    since = now - timedelta(days=days)
    window = (Inquiry.asked_at > since, Inquiry.asked_at <= now)
    return _stats(session, window, now, days, zone, platform)


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
    window = (Inquiry.asked_at >= since, Inquiry.asked_at < until)
    return _stats(session, window, now, days, zone, platform)


def _stats(
    session: Session,
    window: tuple[ColumnElement[bool], ...],
    now: datetime,
    days: int,
    zone: ZoneInfo,
    platform: str | None,
) -> InquiryStats:
    """The figures for the questions asked in `window` (conditions on the asking time).

    Read for tens of thousands of rows: times come as the database's plain datetimes (naive
    UTC on SQLite, aware on PostgreSQL; their differences are the same), not each made aware
    UTC; "past the SLA" is compared by the database, as the window is; each row's durations
    are computed once; and the rows are iterated, not listed, so none lives long enough to
    bring on a full garbage collection.
    """
    where = list(window)
    if platform is not None:
        where.append(Inquiry.platform == platform)
    rows = session.execute(
        select(
            type_coerce(Inquiry.asked_at, DateTime()),
            type_coerce(Inquiry.first_response_at, DateTime()),
            Inquiry.first_response_by_manager,
            type_coerce(Inquiry.first_manager_response_at, DateTime()),
            Inquiry.status,
            Inquiry.sla_due_at <= now,
            Inquiry.home_channel_id,
        ).where(*where)
    )
    total, channels, hours = Tally(), defaultdict(Tally), defaultdict(Tally)
    dismissed = 0
    for asked, first, by_manager, manager, status, overdue, home in rows:
        if status == DISMISSED:
            dismissed += 1
            continue
        figures = (
            None if first is None else (first - asked).total_seconds(),
            by_manager,
            None if manager is None else (manager - asked).total_seconds(),
            status,
            overdue,
        )
        total.add(figures)
        channels[home].add(figures)
        hours[ensure_utc(asked).astimezone(zone).hour].add(figures)
    names = _channel_names(session, list(channels))
    return InquiryStats(days, total, dict(channels), dict(hours), names, dismissed)


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
def _times(values: list[float]) -> str:
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
