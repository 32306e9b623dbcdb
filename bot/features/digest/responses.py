"""How the community answers and what it says: the week's member questions (as
`/inquiries stats` counts them) and its feedback (as `/feedback-summary` reads it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.features.digest.figures import FeedbackFigures, InquiryFigures, SlowChannel
from bot.features.feedback import Feedback, feedback_during
from bot.features.inquiries import percentile, stats_between
from bot.text.sentiment import themes

WEEK = timedelta(days=7)


def inquiry_figures(
    session: Session, start: datetime, end: datetime, now: datetime
) -> InquiryFigures:
    """Questions asked at or after `start` and before `end`, as they stand at `now`."""
    stats = stats_between(session, start, end, now, UTC)
    total = stats.total
    channels = [
        SlowChannel(
            channel_id=channel_id,
            name=stats.names.get(channel_id) or channel_id,
            asked=tally.asked,
            median_seconds=percentile(tally.first, 0.5),
        )
        for channel_id, tally in stats.channels.items()
    ]
    channels.sort(key=_slowest_first)
    return InquiryFigures(
        asked=total.asked,
        answered=total.answered,
        median_seconds=percentile(total.first, 0.5),
        p90_seconds=percentile(total.first, 0.9),
        by_members=total.by_members,
        by_managers=total.answered - total.by_members,
        overdue=total.overdue,
        channels=tuple(channels),
    )


def _slowest_first(channel: SlowChannel) -> tuple:
    """Slowest median first, channels with no answer yet last; then the busiest, by name."""
    median = channel.median_seconds
    return (median is None, -(median or 0.0), -channel.asked, channel.name)


def feedback_figures(
    session: Session, start: datetime, end: datetime, previous_start: datetime | None = None
) -> FeedbackFigures:
    """Feedback given at or after `start` and before `end`, and the week before's count and
    average: from `previous_start` (the week before's start; seven days before `start` when
    not given, an hour off across a daylight-saving change) to `start`."""
    entries = feedback_during(session, start, end)
    previous = feedback_during(session, previous_start or start - WEEK, start)
    return FeedbackFigures(
        count=len(entries),
        average=_average(entries),
        previous_count=len(previous),
        previous_average=_average(previous),
        themes=tuple(themes(entry.text for entry in entries)),
    )


def _average(entries: Sequence[Feedback]) -> float | None:
    return sum(e.polarity for e in entries) / len(entries) if entries else None
