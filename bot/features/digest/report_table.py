"""What a report shows, format aside: the weekly columns (stable CSV names, human headings),
objectives week by week, the time-zone note, and the latest week's lists. Plain text only:
each renderer escapes it for its format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from bot.features.digest.figures import ObjectiveResult, WeekDigest
from bot.features.digest.week_dates import date_range, week_dates
from bot.features.objectives import METRICS, Kind
from bot.text.durations import format_duration

Value = int | float | None
NO_DATA = "—"
NORMAL_WEEK_HOURS = 168
MOST_LISTED = 5  # channels and contributors of the latest week


@dataclass(frozen=True)
class Column:
    """One weekly figure: `key` is its CSV header (stable), `kind` how it is shown."""

    key: str
    heading: str
    value: Callable[[WeekDigest], Value]
    kind: str = "count"  # count | pct | minutes | ratio | sentiment | hours


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def _judged(digest: WeekDigest, met: bool) -> int:
    return sum(1 for result in digest.objectives if result.met is met)


COLUMNS = (
    Column("members_total", "Members", lambda d: d.members.total),
    Column("new_members", "New", lambda d: d.members.new),
    Column("weekly_active_members", "Active", lambda d: d.members.active),
    Column("communicators", "Posted", lambda d: d.members.communicators),
    Column("returning_members", "Returning", lambda d: d.members.returning),
    Column("lurking_members", "Lurking", lambda d: d.members.lurking),
    Column(
        "new_member_retention_pct",
        "New-member retention",
        lambda d: d.members.new_member_retention_pct,
        "pct",
    ),
    Column("retention_4w_pct", "4-week retention", lambda d: d.members.retention_4w_pct, "pct"),
    Column("messages", "Messages", lambda d: d.activity.messages),
    Column("replies", "Replies", lambda d: d.activity.replies),
    Column("reactions", "Reactions", lambda d: d.activity.reactions),
    Column("shares", "Shares", lambda d: d.activity.shares),
    Column("votes", "Votes", lambda d: d.activity.votes),
    Column("entries", "Contest entries", lambda d: d.activity.entries),
    Column("interactions", "All interactions", lambda d: d.activity.interactions),
    Column("inquiries", "Questions", lambda d: d.inquiries.asked),
    Column("inquiries_answered", "Answered", lambda d: d.inquiries.answered),
    Column("answered_inquiry_pct", "Answered %", lambda d: d.inquiries.answered_pct, "pct"),
    Column(
        "median_first_response_minutes",
        "Median first response",
        lambda d: _minutes(d.inquiries.median_seconds),
        "minutes",
    ),
    Column(
        "p90_first_response_minutes",
        "90% answered within",
        lambda d: _minutes(d.inquiries.p90_seconds),
        "minutes",
    ),
    Column("inquiries_overdue", "Overdue", lambda d: d.inquiries.overdue),
    Column("feedback", "Feedback", lambda d: d.feedback.count),
    Column("feedback_sentiment", "Sentiment", lambda d: d.feedback.average, "sentiment"),
    Column("calendar_posts", "Calendar posts", lambda d: d.content.posts),
    Column("posts_engagement", "Engagement per post", lambda d: d.content.average, "ratio"),
    Column("objectives_met", "Objectives met", lambda d: _judged(d, True)),
    Column("objectives_missed", "Objectives missed", lambda d: _judged(d, False)),
    Column("week_hours", "Hours", lambda d: (d.end - d.start).total_seconds() / 3600, "hours"),
)
BY_KEY = {column.key: column for column in COLUMNS}
GROUPS = (  # the human tables: (title, column keys)
    (
        "Members",
        (
            "members_total",
            "new_members",
            "weekly_active_members",
            "communicators",
            "new_member_retention_pct",
            "retention_4w_pct",
        ),
    ),
    ("Activity", ("messages", "replies", "reactions", "interactions")),
    (
        "Questions, feedback and calendar posts",
        (
            "inquiries",
            "answered_inquiry_pct",
            "median_first_response_minutes",
            "feedback",
            "feedback_sentiment",
            "calendar_posts",
            "posts_engagement",
        ),
    ),
)
SHOWN_AS = {  # how an objective's metric is shown, by its kind
    Kind.COUNT: "count",
    Kind.PERCENT: "pct",
    Kind.MINUTES: "minutes",
    Kind.SENTIMENT: "sentiment",
    Kind.PER_POST: "ratio",
}


def group_columns(keys: Sequence[str]) -> list[Column]:
    return [BY_KEY[key] for key in keys]


def shown(value: Value, kind: str = "count") -> str:
    """A figure for people: `1,234`, `84.2%`, `1h 30m`, `+0.25`, `12.3`; None is `—`."""
    if value is None:
        return NO_DATA
    if kind == "pct":
        return f"{value:.1f}%"
    if kind == "minutes":
        return format_duration(timedelta(minutes=value))
    if kind == "sentiment":
        return f"{value:+.2f}"
    if kind == "ratio" or not float(value).is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def raw(value: Value) -> str:
    """A figure for machines: the number as Python writes it, empty for None."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def metric_kind(metric: str) -> str:
    """How an objective's metric is shown."""
    known = METRICS.get(metric)
    return SHOWN_AS[known.kind] if known is not None else "count"


def week_cell(digest: WeekDigest) -> str:
    """`2026-W13 · 23–29 Mar 2026`, with `*` when clocks changed that week."""
    marker = "" if clocks_kept(digest) else " *"
    return f"{digest.week} · {date_range(week_dates(digest))}{marker}"


def clocks_kept(digest: WeekDigest) -> bool:
    """False for a week with a daylight-saving change (167 or 169 hours long)."""
    return (digest.end - digest.start).total_seconds() == NORMAL_WEEK_HOURS * 3600


def notes(digests: Sequence[WeekDigest]) -> list[str]:
    """The report's reading notes: the time zone(s), the weeks where clocks changed."""
    out = [zone_note(digests)]
    changed = [d for d in digests if not clocks_kept(d)]
    for digest in changed:
        hours = (digest.end - digest.start).total_seconds() / 3600
        out.append(f"* {digest.week}: clocks changed, a week of {hours:g} hours.")
    return out


def zone_note(digests: Sequence[WeekDigest]) -> str:
    """Which time zone the weeks (Monday 00:00 to Sunday 24:00, local time) were counted in."""
    spans: list[tuple[str, str, str]] = []  # zone, first week, last week
    for digest in digests:
        if spans and spans[-1][0] == digest.zone:
            spans[-1] = (digest.zone, spans[-1][1], digest.week)
        else:
            spans.append((digest.zone, digest.week, digest.week))
    if not spans:
        return "No weeks in this range."
    lead = "Weeks run Monday 00:00 to Sunday 24:00 in the community time zone"
    if len(spans) == 1:
        return f"{lead}, {spans[0][0]}."
    parts = ", ".join(f"{zone} ({first} to {last})" for zone, first, last in spans)
    return f"{lead}: {parts}."


@dataclass(frozen=True)
class ObjectiveLine:
    """One objective across the report's weeks; `results[i]` is None where it was not set."""

    objective_id: int
    name: str
    metric: str
    target: float
    direction: str
    results: tuple[ObjectiveResult | None, ...]

    @property
    def goal(self) -> str:
        """`≥ 120`, `≤ 30m`."""
        sign = "≥" if self.direction == "at_least" else "≤"
        return f"{sign} {shown(self.target, metric_kind(self.metric))}"

    @property
    def summary(self) -> str:
        """`met 3 of 4 weeks`."""
        judged = [r for r in self.results if r is not None and r.met is not None]
        met = sum(1 for r in judged if r.met)
        return f"met {met} of {len(judged)} week{'' if len(judged) == 1 else 's'}"


def objective_lines(digests: Sequence[WeekDigest]) -> list[ObjectiveLine]:
    """Every objective judged in any of the weeks, named and aimed as in its latest week."""
    latest: dict[int, ObjectiveResult] = {}
    for digest in digests:
        for result in digest.objectives:
            latest[result.objective_id] = result
    out = []
    for key, last in latest.items():
        per_week = tuple(_result_of(digest, key) for digest in digests)
        out.append(
            ObjectiveLine(key, last.name, last.metric, last.target, last.direction, per_week)
        )
    return out


def _result_of(digest: WeekDigest, objective_id: int) -> ObjectiveResult | None:
    return next((r for r in digest.objectives if r.objective_id == objective_id), None)


def objective_cell(line: ObjectiveLine, result: ObjectiveResult | None) -> tuple[str, str]:
    """(`136 met` / `42m missed` / `— no data` / `not set`, and the verdict word alone)."""
    if result is None:
        return "not set", "not-set"
    word = "no data" if result.met is None else "met" if result.met else "missed"
    return f"{shown(result.actual, metric_kind(line.metric))} {word}", word


def latest_lists(digest: WeekDigest) -> list[tuple[str, list[str]]]:
    """The latest week's lists: what to do next, busiest channels, top contributors."""
    advice = [f"{r.text} — {r.because}" for r in digest.recommendations]
    channels = [
        f"#{c.name}: {c.total:,} interactions" for c in digest.activity.channels[:MOST_LISTED]
    ]
    people = [
        f"{c.name}: {c.messages:,} messages, {c.replies:,} replies, {c.reactions:,} reactions"
        for c in digest.contributors[:MOST_LISTED]
    ]
    lists = [("What to do next", advice), ("Busiest channels", channels)]
    lists.append(("Top contributors", people))
    return [(title, items) for title, items in lists if items]
