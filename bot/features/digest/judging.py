"""Objectives judged on a week's digest: each metric's value, met or missed, four-week trend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from statistics import fmean
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.features.digest.figures import ObjectiveResult, WeekDigest
from bot.features.digest.weeks import parse_week
from bot.features.objectives import meets

TREND_WEEKS = 4  # the week judged and the three before it


class Objective(Protocol):
    """What judging reads of an objective (the objectives feature's table has these)."""

    @property
    def id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    @property
    def metric(self) -> str: ...
    @property
    def target(self) -> float: ...
    @property
    def direction(self) -> str: ...  # "at_least" | "at_most"


def _poll_turnout(digest: WeekDigest) -> float | None:
    turnouts = [p.turnout_pct for p in digest.initiatives.polls if p.turnout_pct is not None]
    return fmean(turnouts) if turnouts else None


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


_METRICS: dict[str, Callable[[WeekDigest], float | None]] = {
    "weekly_active_members": lambda d: d.members.active,
    "communicators": lambda d: d.members.communicators,
    "new_members": lambda d: d.members.new,
    "new_member_retention_pct": lambda d: d.members.new_member_retention_pct,
    "retention_4w_pct": lambda d: d.members.retention_4w_pct,
    "messages": lambda d: d.activity.messages,
    "replies": lambda d: d.activity.replies,
    "reactions": lambda d: d.activity.reactions,
    "median_first_response_minutes": lambda d: _minutes(d.inquiries.median_seconds),
    "answered_inquiry_pct": lambda d: d.inquiries.answered_pct,
    "poll_turnout_pct": _poll_turnout,
    "feedback_sentiment": lambda d: d.feedback.average,
    "posts_engagement": lambda d: d.content.average,
}
METRIC_NAMES: tuple[str, ...] = tuple(_METRICS)


def metric_value(metric: str, digest: WeekDigest) -> float | None:
    """`metric`'s value in `digest`; None when there is no data for it (a share of nobody).

    An unknown metric name is a ValueError naming the known ones.
    """
    try:
        read = _METRICS[metric]
    except KeyError:
        raise ValueError(f"unknown metric {metric!r}; known: {', '.join(METRIC_NAMES)}") from None
    value = read(digest)
    return None if value is None else float(value)


def judge(
    objectives: Sequence[Objective],
    digest: WeekDigest,
    history: Sequence[WeekDigest | None] = (),
) -> tuple[ObjectiveResult, ...]:
    """Each objective judged on `digest`, with its trend over the four weeks up to it.

    `history` holds the digests of (up to) the three weeks before, oldest first; they are
    placed by their week label, so a week without a digest is None in the trend. An objective
    on a metric this digest does not know has no actual (None), not an error.
    """
    weeks = _trend_weeks(digest)
    by_week = {d.week: d for d in history if d is not None and d.week in weeks}
    by_week[digest.week] = digest
    results = []
    for objective in objectives:
        known = objective.metric in _METRICS
        trend = tuple(
            metric_value(objective.metric, by_week[w]) if known and w in by_week else None
            for w in weeks
        )
        actual = trend[-1]
        results.append(
            ObjectiveResult(
                objective_id=objective.id or 0,
                name=objective.name,
                metric=objective.metric,
                target=float(objective.target),
                direction=objective.direction,
                actual=actual,
                met=meets(objective.direction, objective.target, actual),
                trend=trend,
            )
        )
    return tuple(results)


def _trend_weeks(digest: WeekDigest) -> tuple[str, ...]:
    """The labels of the four weeks up to `digest`'s, oldest first."""
    week = parse_week(digest.week, digest.computed_at, ZoneInfo(digest.zone))
    return tuple(week.shifted(n - TREND_WEEKS + 1).label for n in range(TREND_WEEKS))
