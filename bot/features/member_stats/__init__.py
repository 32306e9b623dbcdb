"""Member stats: `/stats me` (a member's own engagement) and `/stats members` (the segments).

Other features read the segments through `segment_counts` and `segments_by_platform`, and
which interaction kinds engage a member through `ENGAGING`.
"""

from bot.core.feature import Feature
from bot.features.member_stats.commands import install
from bot.features.member_stats.engagement import Engagement, engagement
from bot.features.member_stats.segments import (
    ACTIVE_DAYS,
    ENGAGING,
    LURKING_DAYS,
    NEW_DAYS,
    RETURNING_GAP_DAYS,
    Segments,
    segment_counts,
    segments_by_platform,
)

FEATURE = Feature("member_stats", install)

__all__ = [
    "ACTIVE_DAYS",
    "ENGAGING",
    "FEATURE",
    "LURKING_DAYS",
    "NEW_DAYS",
    "RETURNING_GAP_DAYS",
    "Engagement",
    "Segments",
    "engagement",
    "segment_counts",
    "segments_by_platform",
]
