"""Each objective metric read from a hand-made digest, and objectives judged on it: at_least,
at_most, no data, and the four-week trend with weeks missing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from bot.features.digest.figures import (
    ClosedPoll,
    ContentFigures,
    FeedbackFigures,
    Initiatives,
    InquiryFigures,
    MemberFigures,
)
from bot.features.digest.judging import METRIC_NAMES, judge, metric_value
from bot.features.digest.weeks import Week
from bot.features.objectives import METRICS, Objective
from tests.features.digest.hand_digests import bare, full_week


@dataclass(frozen=True)
class Goal:
    id: int
    name: str
    metric: str
    target: float
    direction: str = "at_least"


# the hand-made week (tests/features/digest/hand_digests.py), figure by figure
EXPECTED = {
    "weekly_active_members": 52,
    "communicators": 30,
    "new_members": 24,
    "new_member_retention_pct": 62.0,  # 31 of the 50 who joined the week before
    "retention_4w_pct": 75.0,  # 45 of 60
    "messages": 420,
    "replies": 150,
    "reactions": 140,
    "median_first_response_minutes": 12.0,  # 720 s
    "answered_inquiry_pct": 100 * 10 / 12,
    "poll_turnout_pct": 41.0,  # the one closed poll with a turnout; the other had none
    "feedback_sentiment": 0.32,
    "posts_engagement": 6.8,  # 136 over 20 posts
}


def test_every_metric_has_a_value_and_the_objectives_feature_knows_it() -> None:
    assert set(METRIC_NAMES) == set(EXPECTED) == set(METRICS)


@pytest.mark.parametrize("metric", METRIC_NAMES)
def test_each_metric_reads_its_figure(metric: str) -> None:
    assert metric_value(metric, full_week()) == pytest.approx(EXPECTED[metric])


@pytest.mark.parametrize(
    "metric",
    [
        "new_member_retention_pct",
        "retention_4w_pct",
        "median_first_response_minutes",
        "answered_inquiry_pct",
        "poll_turnout_pct",
        "feedback_sentiment",
        "posts_engagement",
    ],
)
def test_a_share_or_average_of_nobody_is_no_data(metric: str) -> None:
    assert metric_value(metric, bare()) is None


def test_counts_of_an_empty_week_are_zero_not_missing() -> None:
    assert metric_value("weekly_active_members", bare()) == 0
    assert metric_value("messages", bare()) == 0


def test_poll_turnout_is_the_mean_of_the_week_s_closed_polls() -> None:
    polls = (
        ClosedPoll(1, "a?", 10, 40.0, ()),
        ClosedPoll(2, "b?", 5, 25.0, ()),
        ClosedPoll(3, "c?", 0, None, ()),  # nobody around it: left out, not 0
    )
    digest = bare(initiatives=Initiatives(polls=polls))
    assert metric_value("poll_turnout_pct", digest) == 32.5


def test_an_unknown_metric_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown metric 'likes'.*weekly_active_members"):
        metric_value("likes", full_week())


@pytest.mark.parametrize(
    ("direction", "target", "met"),
    [
        ("at_least", 50, True),
        ("at_least", 52, True),  # reaching the target is meeting it
        ("at_least", 53, False),
        ("at_most", 52, True),
        ("at_most", 60, True),
        ("at_most", 51, False),
    ],
)
def test_at_least_and_at_most(direction: str, target: float, met: bool) -> None:
    [result] = judge([Goal(7, "Active", "weekly_active_members", target, direction)], full_week())
    assert (result.actual, result.met) == (52, met)
    assert (result.objective_id, result.name, result.target) == (7, "Active", target)
    assert result.direction == direction


def test_no_data_is_neither_met_nor_missed() -> None:
    [result] = judge([Goal(1, "Turnout", "poll_turnout_pct", 30)], bare())
    assert (result.actual, result.met) == (None, None)


def test_an_objective_on_a_metric_the_digest_does_not_know_has_no_data() -> None:
    [result] = judge([Goal(1, "Old", "visitors", 10)], full_week())
    assert (result.actual, result.met, result.trend) == (None, None, (None,) * 4)


def test_median_first_response_is_judged_in_minutes() -> None:
    slow = replace(full_week(), inquiries=InquiryFigures(asked=2, answered=2, median_seconds=1500))
    [result] = judge([Goal(1, "Fast", "median_first_response_minutes", 20, "at_most")], slow)
    assert (result.actual, result.met) == (25, False)


def week(number: int, active: int):
    start = bare(Week(2026, number))
    return replace(start, members=MemberFigures(total=100, active=active))


def test_the_trend_holds_the_four_weeks_up_to_this_one_oldest_first() -> None:
    history = [week(9, 41), week(10, 44), week(11, 47)]
    [result] = judge([Goal(1, "Active", "weekly_active_members", 50)], full_week(), history)
    assert result.trend == (41, 44, 47, 52)


def test_a_missing_week_is_none_in_the_trend() -> None:
    # W10 has no digest (the bot was not running); W8 is too old for the trend
    history = [week(8, 30), week(9, 41), None, week(11, 47)]
    [result] = judge([Goal(1, "Active", "weekly_active_members", 50)], full_week(), history)
    assert result.trend == (41, None, 47, 52)
    [result] = judge([Goal(1, "Active", "weekly_active_members", 50)], full_week(), [week(11, 47)])
    assert result.trend == (None, None, 47, 52)


def test_a_trend_week_without_data_is_none() -> None:
    history = [week(11, 40)]  # no feedback that week
    feedback = replace(full_week(), feedback=FeedbackFigures(count=1, average=0.5))
    [result] = judge([Goal(1, "Mood", "feedback_sentiment", 0.2)], feedback, history)
    assert result.trend == (None, None, None, 0.5)
    assert result.met is True


def test_judging_reads_the_objectives_feature_s_rows() -> None:
    row = Objective(
        id=3,
        name="Content that lands",
        metric="posts_engagement",
        direction="at_least",
        target=8.0,
        created_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    [result] = judge([row], full_week())
    assert (result.objective_id, result.actual, result.met) == (3, 6.8, False)


def test_posts_engagement_without_posts_is_no_data() -> None:
    digest = replace(full_week(), content=ContentFigures())
    [result] = judge([Goal(1, "Engagement", "posts_engagement", 5)], digest)
    assert (result.actual, result.met) == (None, None)
