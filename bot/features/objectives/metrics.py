"""The metrics an objective can name: each with its label, kind of value and default direction.

Only the definitions live here; the digest computes each metric's weekly value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

AT_LEAST = "at_least"
AT_MOST = "at_most"
DIRECTIONS = (AT_LEAST, AT_MOST)
LARGEST_TARGET = 1_000_000_000  # no community target is larger; keeps a typo out of the digest


class Kind(StrEnum):
    """What a metric's value is, which decides the targets it takes and how it is shown."""

    COUNT = "count"
    PERCENT = "percentage"
    MINUTES = "minutes"
    SENTIMENT = "sentiment"
    PER_POST = "per post"

    @property
    def targets(self) -> str:
        """The targets this kind takes, in words."""
        return _TARGETS[self]


_TARGETS = {
    Kind.COUNT: "a whole number, 0 or more",
    Kind.PERCENT: "a percentage from 0 to 100",
    Kind.MINUTES: "minutes, 0 or more",
    Kind.SENTIMENT: "a sentiment from -1 to +1",
    Kind.PER_POST: "a number, 0 or more",
}
_UNITS = {Kind.PERCENT: ("%",), Kind.MINUTES: ("minutes", "min", "m")}  # accepted after a target


class BadTarget(ValueError):
    """A target that does not fit its metric; the text says why."""


@dataclass(frozen=True)
class Metric:
    """A measurable outcome: `key` as managers type it, how it reads, and what it holds."""

    key: str
    label: str
    kind: Kind
    description: str
    direction: str = AT_LEAST  # the usual sense of a goal on it

    def parse_target(self, raw: object) -> float:
        """The target `raw` (text or a number) as a float for this metric, or BadTarget."""
        text = str(raw).strip().lower()
        for unit in _UNITS.get(self.kind, ()):
            text = text.removesuffix(unit).rstrip()
        try:
            value = float(text) if not isinstance(raw, bool) else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not self._fits(value):
            raise BadTarget(f"a target for {self.key} is {self.kind.targets} (got {str(raw)!r})")
        return value

    def _fits(self, value: float) -> bool:
        if self.kind is Kind.COUNT:
            return value.is_integer() and 0 <= value <= LARGEST_TARGET
        if self.kind is Kind.PERCENT:
            return 0 <= value <= 100
        if self.kind is Kind.SENTIMENT:
            return -1 <= value <= 1
        return 0 <= value <= LARGEST_TARGET

    def format(self, value: float | None) -> str:
        """`value` in this metric's unit: 42, 63%, 12.5 min, +0.21, 4.5 per post."""
        if value is None or not math.isfinite(value):
            return "no data"
        value = float(value)
        if self.kind is Kind.SENTIMENT:
            return f"{value:+.2f}"
        if self.kind is Kind.PERCENT:
            return f"{_short(value)}%"
        if self.kind is Kind.MINUTES:
            return f"{_short(value)} min"
        if self.kind is Kind.PER_POST:
            return f"{_short(value)} per post"
        return f"{round(value):,}" if value.is_integer() else _short(value)


def _short(value: float) -> str:
    """One decimal at most, none when whole: 12.5, 63, 1,204."""
    rounded = round(value, 1)
    return f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.1f}"


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "weekly_active_members",
            "Weekly active members",
            Kind.COUNT,
            "members who did anything in the week",
        ),
        Metric("communicators", "Communicators", Kind.COUNT, "members who posted in the week"),
        Metric("new_members", "New members", Kind.COUNT, "members who joined in the week"),
        Metric(
            "new_member_retention_pct",
            "New-member retention",
            Kind.PERCENT,
            "of those who joined the week before, the share active this week",
        ),
        Metric(
            "retention_4w_pct",
            "Four-week retention",
            Kind.PERCENT,
            "of the members active in the four weeks before, the share still active",
        ),
        Metric("messages", "Messages", Kind.COUNT, "messages posted in the week"),
        Metric("replies", "Replies", Kind.COUNT, "replies posted in the week"),
        Metric("reactions", "Reactions", Kind.COUNT, "reactions added in the week"),
        Metric(
            "median_first_response_minutes",
            "Median first response",
            Kind.MINUTES,
            "the median time member questions waited for a first answer",
            direction=AT_MOST,
        ),
        Metric(
            "answered_inquiry_pct",
            "Answered inquiries",
            Kind.PERCENT,
            "the share of the week's member questions that got an answer",
        ),
        Metric(
            "poll_turnout_pct",
            "Poll turnout",
            Kind.PERCENT,
            "voters in the week's polls as a share of the week's active members",
        ),
        Metric(
            "feedback_sentiment",
            "Feedback sentiment",
            Kind.SENTIMENT,
            "the average sentiment of the week's feedback",
        ),
        Metric(
            "posts_engagement",
            "Engagement per post",
            Kind.PER_POST,
            "reactions and replies per calendar post of the week",
        ),
    )
}


def find_metric(name: str) -> Metric | None:
    """The metric `name` names (its key, any case, with spaces or hyphens for underscores)."""
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return METRICS.get(key)


def format_value(metric: Metric | str, value: float | None) -> str:
    """`value` shown in the unit of `metric` (a Metric or its key): "42", "63%", "12.5 min"."""
    found = metric if isinstance(metric, Metric) else METRICS[metric]
    return found.format(value)


def meets(direction: str, target: float, actual: float | None) -> bool | None:
    """Whether `actual` meets a target in `direction`; None when there is no figure."""
    if actual is None or not math.isfinite(actual):
        return None
    return actual >= target if direction == AT_LEAST else actual <= target


def metrics_list() -> str:
    """Every metric with the kind of target it takes, one a line."""
    return "\n".join(
        f"• `{m.key}` — {m.description}; target: {m.kind.targets}" for m in METRICS.values()
    )
