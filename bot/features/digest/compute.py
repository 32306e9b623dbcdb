"""One week's digest, assembled from each section's figures, all read from the store.

The week before (for week-over-week change) and the three before it (for each objective's
trend) are taken from the digests kept when they were posted, and computed when none was
kept, so a preview of any week reads the same figures as its post would.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.config import Settings
from bot.features.digest import store
from bot.features.digest.activity import activity_figures
from bot.features.digest.content import content_figures
from bot.features.digest.contributors import top_contributors
from bot.features.digest.figures import WeekDigest
from bot.features.digest.initiatives import closed_initiatives, entries_between
from bot.features.digest.judging import judge
from bot.features.digest.members import member_figures
from bot.features.digest.recommendations import recommend
from bot.features.digest.responses import feedback_figures, inquiry_figures
from bot.features.digest.weeks import Week
from bot.features.objectives import active_objectives
from bot.features.privacy import hidden_members

TREND_WEEKS = 4  # an objective's trend: this week and the three before


def compute_digest(session: Session, week: Week, settings: Settings, now: datetime) -> WeekDigest:
    """The digest of `week` as it reads at `now` (a week not over yet: so far)."""
    zone = settings.community.zone
    objectives = active_objectives(session)
    first = week.shifted(-(TREND_WEEKS - 1) if objectives else -1)
    kept = store.kept_digests(session, first.label, week.shifted(-1).label)
    hidden = hidden_members(session)
    earlier = [
        kept.get(w.label) or week_figures(session, w, zone, now, hidden, settings.community.name)
        for w in _weeks(first, week.shifted(-1))
    ]
    digest = week_figures(session, week, zone, now, hidden, settings.community.name)
    previous = earlier[-1]
    digest = replace(digest, previous_members=previous.members, previous_activity=previous.activity)
    digest = replace(digest, objectives=judge(objectives, digest, earlier[-(TREND_WEEKS - 1) :]))
    return replace(digest, recommendations=recommend(digest))


def week_figures(
    session: Session,
    week: Week,
    zone: ZoneInfo,
    now: datetime,
    hidden: set[int],
    community: str = "",
) -> WeekDigest:
    """Every section of `week` but the ones that compare it with other weeks."""
    start, end = week.bounds(zone)
    activity = activity_figures(session, start, end, zone)
    return WeekDigest(
        week=week.label,
        zone=zone.key,
        start=start,
        end=end,
        computed_at=now,
        community=community,
        members=member_figures(session, start, end),
        activity=replace(activity, entries=entries_between(session, start, end)),
        contributors=top_contributors(session, start, end, hidden),
        content=content_figures(session, start, end),
        initiatives=closed_initiatives(session, start, end, hidden),
        inquiries=inquiry_figures(session, start, end, now),
        feedback=feedback_figures(session, start, end, week.shifted(-1).bounds(zone)[0]),
    )


def _weeks(first: Week, last: Week) -> list[Week]:
    weeks, week = [], first
    while week <= last:
        weeks.append(week)
        week = week.shifted(1)
    return weeks
