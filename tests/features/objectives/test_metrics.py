"""The metrics objectives name, as the digest reads them: units, default directions, judging."""

import math

import pytest

from bot.features.objectives import AT_LEAST, AT_MOST, METRICS, Kind, format_value, meets

ISSUE_METRICS = [
    "weekly_active_members",
    "communicators",
    "new_members",
    "new_member_retention_pct",
    "retention_4w_pct",
    "messages",
    "replies",
    "reactions",
    "median_first_response_minutes",
    "answered_inquiry_pct",
    "poll_turnout_pct",
    "feedback_sentiment",
    "posts_engagement",
]


def test_every_metric_of_the_issue_with_its_kind_and_direction() -> None:
    assert list(METRICS) == ISSUE_METRICS
    assert {k for k, m in METRICS.items() if m.direction == AT_MOST} == {
        "median_first_response_minutes"
    }
    assert {k for k, m in METRICS.items() if m.kind is Kind.PERCENT} == {
        k for k in ISSUE_METRICS if k.endswith("_pct")
    }
    assert METRICS["feedback_sentiment"].kind is Kind.SENTIMENT
    assert METRICS["posts_engagement"].kind is Kind.PER_POST
    assert all(m.label and m.description for m in METRICS.values())


@pytest.mark.parametrize(
    ("metric", "value", "shown"),
    [
        ("weekly_active_members", 42, "42"),
        ("messages", 1204.0, "1,204"),
        ("weekly_active_members", 42.25, "42.2"),  # an average of counts
        ("new_member_retention_pct", 63.0, "63%"),
        ("retention_4w_pct", 62.54, "62.5%"),
        ("median_first_response_minutes", 12.5, "12.5 min"),
        ("median_first_response_minutes", 90, "90 min"),
        ("feedback_sentiment", 0.21, "+0.21"),
        ("feedback_sentiment", -0.5, "-0.50"),
        ("posts_engagement", 4.5, "4.5 per post"),
        ("answered_inquiry_pct", None, "no data"),
        ("posts_engagement", math.nan, "no data"),
    ],
)
def test_format_value_shows_each_unit(metric: str, value: float | None, shown: str) -> None:
    assert format_value(metric, value) == shown
    assert format_value(METRICS[metric], value) == shown


def test_meets_judges_in_the_objectives_direction() -> None:
    assert meets(AT_LEAST, 50, 50) is True and meets(AT_LEAST, 50, 49.9) is False
    assert meets(AT_MOST, 30, 30) is True and meets(AT_MOST, 30, 31) is False
    assert meets(AT_LEAST, 50, None) is None
