"""Hand-made digests for the chart and report tests: a café community of a few hundred
members over four weeks in Europe/Berlin (2026-W11 … W14; W13 ends with the switch to summer
time), members and channels named with emoji, Chinese, Japanese and markup."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.digest.figures import (
    ActivityFigures,
    ChannelActivity,
    ContentFigures,
    ContentTypeFigures,
    Contributor,
    FeedbackFigures,
    InquiryFigures,
    MemberFigures,
    ObjectiveResult,
    PostFigures,
    Recommendation,
    WeekDigest,
)
from bot.features.digest.weeks import Week

ZONE = "Europe/Berlin"
COMMUNITY = "Café Kōhī ☕ 咖啡馆"
WEEKS = (Week(2026, 11), Week(2026, 12), Week(2026, 13), Week(2026, 14))
DST_WEEK = "2026-W13"
CHANNELS = ("général 🎉", "质问-help", "雑談 chat", "<b>bold</b> & co")
CONTRIBUTORS = ("Zoë 🌸", "李小龙", "さくら", "Tom & Jerry <i>", "Ольга")
TYPES = ("announcement", "discussion", "video", "event")
OBJECTIVES = (  # id, name, metric, target, direction
    (1, "Weekly active ≥ 120", "weekly_active_members", 120.0, "at_least"),
    (2, "Answer fast ⚡ <30 min>", "median_first_response_minutes", 30.0, "at_most"),
    (3, "Questions answered", "answered_inquiry_pct", 90.0, "at_least"),
)


def empty_digest(week: Week = WEEKS[0], community: str = COMMUNITY) -> WeekDigest:
    """A week of a community with nobody and nothing in it."""
    start, end = week.bounds(ZoneInfo(ZONE))
    return WeekDigest(week.label, ZONE, start, end, end, community=community)


def sample_digests() -> list[WeekDigest]:
    """The four weeks, oldest first, each with the week before as its `previous_*`."""
    rng = random.Random(14)
    out: list[WeekDigest] = []
    members, activity = MemberFigures(), ActivityFigures()
    for index, week in enumerate(WEEKS):
        now_members = _members(rng, index)
        now_activity = _activity(rng, index)
        start, end = week.bounds(ZoneInfo(ZONE))
        out.append(
            WeekDigest(
                week=week.label,
                zone=ZONE,
                start=start,
                end=end,
                computed_at=end + timedelta(hours=9),
                community=COMMUNITY,
                members=now_members,
                previous_members=members,
                activity=now_activity,
                previous_activity=activity,
                contributors=_contributors(rng),
                content=_content(rng, start, index),
                inquiries=_inquiries(index),
                feedback=FeedbackFigures(
                    count=6 + index, average=0.1 * index - 0.05, themes=(("wifi 📶", 3),)
                ),
                objectives=_objectives(index, now_members.active),
                recommendations=(
                    Recommendation("Post on Tuesday at 18:00", "18:00 drew 14% of interactions"),
                    Recommendation("Welcome the 40 lurkers <new>", "40 joined, never spoke"),
                ),
            )
        )
        members, activity = now_members, now_activity
    return out


def _members(rng: random.Random, index: int) -> MemberFigures:
    total = 320 + 18 * index
    active = 110 + 9 * index + rng.randint(0, 8)
    return MemberFigures(
        total=total,
        new=15 + index * 3,
        active=active,
        communicators=active * 2 // 3,
        returning=4 + index,
        lurking=total - active - 10,
        retention_cohort=15 + (index - 1) * 3 if index else 0,
        retained=8 + index if index else 0,
        retention_4w_base=100 + index * 5,
        retention_4w_kept=70 + index * 6,
    )


def _activity(rng: random.Random, index: int) -> ActivityFigures:
    by_day = tuple(rng.randint(120, 420) + 30 * index for _ in range(7))
    active_by_day = tuple(rng.randint(35, 80) + 3 * index for _ in range(7))
    hours = [0] * 24
    for day_total in by_day:
        for _ in range(day_total):
            hours[min(23, max(7, int(rng.gauss(17, 3))))] += 1
    messages = sum(by_day) * 45 // 100
    replies = sum(by_day) * 20 // 100
    reactions = sum(by_day) - messages - replies
    channels = tuple(
        ChannelActivity("discord", f"90{i}", name, total=sum(by_day) // (i + 2))
        for i, name in enumerate(CHANNELS)
    )
    return ActivityFigures(
        messages=messages,
        replies=replies,
        reactions=reactions,
        interactions=sum(by_day),
        channels=channels,
        by_day=by_day,
        active_by_day=active_by_day,
        by_hour=tuple(hours),
    )


def _contributors(rng: random.Random) -> tuple[Contributor, ...]:
    return tuple(
        Contributor(100 + i, name, "discord", messages=rng.randint(20, 60), replies=10 - i)
        for i, name in enumerate(CONTRIBUTORS)
    )


def _content(rng: random.Random, start: datetime, index: int) -> ContentFigures:
    types = []
    for offset, name in enumerate(TYPES[: 2 + index % 3]):
        posts = 1 + (index + offset) % 3
        types.append(ContentTypeFigures(name, posts, posts * rng.randint(4, 30)))
    types.sort(key=lambda kind: -(kind.average or 0))
    best = PostFigures("discord", "900", "5001", types[0].content_type, start + timedelta(1), "☕")
    return ContentFigures(
        posts=sum(kind.posts for kind in types),
        engagement=sum(kind.engagement for kind in types),
        types=tuple(types),
        best=best,
    )


def _inquiries(index: int) -> InquiryFigures:
    asked = 20 + 2 * index
    return InquiryFigures(
        asked=asked,
        answered=asked - 3 + index,
        median_seconds=(42 - 8 * index) * 60.0,
        p90_seconds=(180 - 20 * index) * 60.0,
        by_members=asked // 2,
        by_managers=asked // 2 - 3 + index,
    )


def _objectives(index: int, active: int) -> tuple[ObjectiveResult, ...]:
    inquiries = _inquiries(index)
    actual = {
        "weekly_active_members": float(active),
        "median_first_response_minutes": (inquiries.median_seconds or 0) / 60,
        "answered_inquiry_pct": inquiries.answered_pct,
    }
    out = []
    for key, name, metric, target, direction in OBJECTIVES:
        if key == 3 and index == 0:
            continue  # set in the second week
        value = actual[metric]
        met = value >= target if direction == "at_least" else value <= target
        out.append(ObjectiveResult(key, name, metric, target, direction, value, met))
    return tuple(out)
