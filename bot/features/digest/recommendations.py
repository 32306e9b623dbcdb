"""Two or three things to do next, each from a figure of the week that stands out.

A recommendation is made only from enough data (a minimum sample for each kind) and only
when its figure stands out from its baseline; its strength is that ratio (the busiest hour
against an average hour, a content type against the average post, a channel's median wait
against the overall median, the share of a segment that stayed silent against half of it).
The strongest come first, at most three.
"""

from __future__ import annotations

from datetime import timedelta

from bot.features.digest.figures import DAYS, Recommendation, WeekDigest
from bot.text.durations import format_duration

MOST = 3
MIN_INTERACTIONS = 50  # in the week, to name a best hour and day to post
MIN_POSTS = 3  # of a content type, to call it the most engaging
MIN_QUESTIONS = 3  # asked in a channel, to call it slow
MIN_SEGMENT = 5  # members in a silent segment, to suggest a welcome post
STANDS_OUT = 1.5  # a figure this many times its baseline is worth acting on
DAY_STANDS_OUT = 1.2  # a busiest day this far above an average day is named with the hour
SILENT_SHARE = 0.5  # a segment at least this share silent is worth a welcome post

Scored = tuple[float, Recommendation]


def recommend(digest: WeekDigest) -> tuple[Recommendation, ...]:
    """At most three recommendations from `digest`, the strongest first (none without data)."""
    found = [
        one
        for one in (
            _best_time(digest),
            _best_content_type(digest),
            _slowest_channel(digest),
            _silent_segment(digest),
        )
        if one is not None
    ]
    found.sort(key=lambda scored: -scored[0])
    return tuple(recommendation for _, recommendation in found[:MOST])


def _best_time(digest: WeekDigest) -> Scored | None:
    activity = digest.activity
    hours, days = sum(activity.by_hour), sum(activity.by_day)
    hour, day = activity.busiest_hour, activity.busiest_day
    if hour is None or hours < MIN_INTERACTIONS:
        return None
    hour_ratio = activity.by_hour[hour] / (hours / 24)
    if hour_ratio < STANDS_OUT:
        return None
    when = f"around {hour:02d}:00"
    because = (
        f"{hour:02d}:00–{(hour + 1) % 24:02d}:00 drew {_share(activity.by_hour[hour], hours)} "
        f"of the week's {hours:,} interactions, {hour_ratio:.1f}× an average hour"
    )
    if day is not None and days and activity.by_day[day] / (days / 7) >= DAY_STANDS_OUT:
        when = f"on {DAYS[day]} {when}"
        because += (
            f"; {DAYS[day]} drew {_share(activity.by_day[day], days)}, "
            f"{activity.by_day[day] / (days / 7):.1f}× an average day"
        )
    text = f"Schedule next week's key posts {when} ({digest.zone})."
    return hour_ratio, Recommendation(text, because)


def _best_content_type(digest: WeekDigest) -> Scored | None:
    content = digest.content
    overall = content.average
    sampled = [t for t in content.types if t.posts >= MIN_POSTS and t.average is not None]
    if not sampled or not overall or len(content.types) < 2:
        return None
    best = max(sampled, key=lambda t: (t.average, t.posts))
    assert best.average is not None
    ratio = best.average / overall
    if ratio < STANDS_OUT:
        return None
    because = (
        f"{best.content_type} posts drew {best.average:.1f} reactions+replies each "
        f"({best.posts} posts), {ratio:.1f}× the average of {overall:.1f}"
    )
    return ratio, Recommendation(f"Post more {best.content_type}.", because)


def _slowest_channel(digest: WeekDigest) -> Scored | None:
    inquiries = digest.inquiries
    overall = inquiries.median_seconds
    sampled = [
        c for c in inquiries.channels if c.asked >= MIN_QUESTIONS and c.median_seconds is not None
    ]
    if not sampled or not overall or len(inquiries.channels) < 2:
        return None
    slowest = max(sampled, key=lambda c: (c.median_seconds, c.asked))
    assert slowest.median_seconds is not None
    ratio = slowest.median_seconds / overall
    if ratio < STANDS_OUT:
        return None
    text = f"Have someone watch #{slowest.name} for questions: they wait longest there."
    because = (
        f"median first response {_duration(slowest.median_seconds)} in #{slowest.name} "
        f"({slowest.asked} questions), {ratio:.1f}× the overall {_duration(overall)}"
    )
    return ratio, Recommendation(text, because)


def _silent_segment(digest: WeekDigest) -> Scored | None:
    """New members of the week before who did not come back; else members who lurk."""
    members = digest.members
    cohort, quiet = members.retention_cohort, members.retention_cohort - members.retained
    if quiet >= MIN_SEGMENT and quiet / cohort >= SILENT_SHARE:
        text = (
            "Post a welcome thread for last week's newcomers: ask them to introduce themselves "
            "or say what brought them."
        )
        because = f"{quiet} of the {cohort} members who joined the week before were not active"
        return quiet / cohort / SILENT_SHARE, Recommendation(text, because + " this week")
    lurking, total = members.lurking, members.total
    if lurking >= MIN_SEGMENT and total and lurking / total >= SILENT_SHARE:
        text = (
            "Give quiet members an easy way in: a one-click poll or a "
            "“what are you working on?” thread."
        )
        because = f"{lurking:,} of {total:,} members were not active this week"
        # lurking is usual in communities: ranked below a newcomer segment of the same share
        return lurking / total, Recommendation(text, because)
    return None


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%"


def _duration(seconds: float) -> str:
    return format_duration(timedelta(seconds=round(seconds)))
