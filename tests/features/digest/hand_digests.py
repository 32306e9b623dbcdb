"""Hand-made WeekDigests for the rendering, judging and recommendation tests: a week of
2026-W12 in Europe/Berlin (Mon 16 – Sun 22 March) with round figures, and its empty,
one-member and no-posts variants."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.digest.figures import (
    ActivityFigures,
    ChannelActivity,
    ClosedContest,
    ClosedPoll,
    ClosedSurvey,
    ContentFigures,
    ContentTypeFigures,
    Contributor,
    FeedbackFigures,
    Initiatives,
    InquiryFigures,
    MemberFigures,
    PostFigures,
    SlowChannel,
    WeekDigest,
)
from bot.features.digest.weeks import Week

ZONE = "Europe/Berlin"
W12 = Week(2026, 12)


def bare(week: Week = W12, **figures) -> WeekDigest:
    """A digest of `week` holding only `figures` (the rest: nothing happened)."""
    start, end = week.bounds(ZoneInfo(ZONE))
    return WeekDigest(week.label, ZONE, start, end, end + timedelta(hours=8), **figures)


def hours(peak: int, at_peak: int, elsewhere: int, first: int = 8, last: int = 23) -> tuple:
    """Interactions by local hour: `elsewhere` each hour from `first` to `last`, `at_peak` at
    `peak`, none at night."""
    return tuple(
        at_peak if h == peak else elsewhere if first <= h <= last else 0 for h in range(24)
    )


BY_HOUR = hours(18, 120, 40)  # 15 hours × 40 + 120 = 720
BY_DAY = (90, 100, 160, 100, 100, 90, 80)  # 720, Wednesday the busiest

MEMBERS = MemberFigures(
    total=340,
    new=24,
    active=52,
    communicators=30,
    returning=3,
    lurking=270,
    retention_cohort=50,
    retained=31,
    retention_4w_base=60,
    retention_4w_kept=45,
)
PREVIOUS_MEMBERS = MemberFigures(
    total=328,
    new=50,
    active=40,
    communicators=30,
    returning=4,
    lurking=240,
    retention_cohort=20,
    retained=12,  # 60%: this week's 62% is +2 pts
    retention_4w_base=50,
    retention_4w_kept=40,
)
ACTIVITY = ActivityFigures(
    messages=420,
    replies=150,
    reactions=140,
    votes=10,
    interactions=720,
    channels=(
        ChannelActivity("discord", "111", "general", 300, 100, 80, total=480),
        ChannelActivity("discord", "222", "help", 100, 50, 40, total=190),
        ChannelActivity("slack", "C333", "random", 20, 0, 20, total=50),
    ),
    by_day=BY_DAY,
    by_hour=BY_HOUR,
)
PREVIOUS_ACTIVITY = ActivityFigures(
    messages=450, replies=100, reactions=140, interactions=690, by_day=(100,) * 7
)
WEDNESDAY = datetime(2026, 3, 18, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
CONTENT = ContentFigures(
    posts=20,
    engagement=136,  # 6.8 per post
    types=(
        ContentTypeFigures("video", 5, 71),  # 14.2 per post
        ContentTypeFigures("poll", 5, 25),
        ContentTypeFigures("article", 10, 40),
    ),
    best=PostFigures(
        "discord", "111", "9001", "video", WEDNESDAY, "AMA recap", 25, 6, "https://x.test/9001"
    ),
    worst=PostFigures("discord", "111", "9002", "article", WEDNESDAY + timedelta(days=2), "", 1),
)
INITIATIVES = Initiatives(
    polls=(
        ClosedPoll(1, "Best AMA day?", 34, 41.0, (("Mon", 10), ("Wed", 18), ("Fri", 6))),
        ClosedPoll(2, "Pizza or pasta?", 0, None, (("Pizza", 0), ("Pasta", 0))),
    ),
    surveys=(ClosedSurvey(3, "Onboarding survey", 12),),
    contests=(ClosedContest(4, "Logo contest", 20, ("Alice", "Bob")),),
)
INQUIRIES = InquiryFigures(
    asked=12,
    answered=10,
    median_seconds=12 * 60,
    p90_seconds=65 * 60,
    by_members=7,
    by_managers=3,
    overdue=2,
    channels=(
        SlowChannel("222", "help", 6, 40 * 60.0),
        SlowChannel("111", "general", 6, 5 * 60.0),
    ),
)
FEEDBACK = FeedbackFigures(
    count=8,
    average=0.32,
    previous_count=5,
    previous_average=0.2,
    themes=(("onboarding", 3), ("docs", 2)),
)
CONTRIBUTORS = (
    Contributor(1, "Alice", "discord", messages=30, replies=10, reactions=2),
    Contributor(2, "Bob", "discord", messages=1),
)


def full_week() -> WeekDigest:
    """The week with every section filled (no objectives, no recommendations yet)."""
    return bare(
        community="",
        members=MEMBERS,
        previous_members=PREVIOUS_MEMBERS,
        activity=ACTIVITY,
        previous_activity=PREVIOUS_ACTIVITY,
        contributors=CONTRIBUTORS,
        content=CONTENT,
        initiatives=INITIATIVES,
        inquiries=INQUIRIES,
        feedback=FEEDBACK,
    )


def one_member_week() -> WeekDigest:
    """A community of one member who said hello once, and nothing else."""
    return bare(
        members=MemberFigures(total=1, new=1, active=1, communicators=1),
        activity=ActivityFigures(
            messages=1,
            interactions=1,
            channels=(ChannelActivity("discord", "111", "general", 1, total=1),),
            by_day=(0, 1, 0, 0, 0, 0, 0),
            by_hour=tuple(1 if h == 9 else 0 for h in range(24)),
        ),
        contributors=(Contributor(1, "Solo", "discord", messages=1),),
    )


def no_posts_week() -> WeekDigest:
    """The full week without any calendar post."""
    return replace(full_week(), content=ContentFigures())
