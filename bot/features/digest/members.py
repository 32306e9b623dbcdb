"""The members of a digest week, counted in the database.

Who is counted, and what engaging is, are presence's definitions. Each counted member's flags
(new, settled, in the cohort, active, posted, active before) are a few index probes; the
database returns one row per combination of flags with its number of members, and the
figures are sums of those rows.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, func, literal_column, not_, select
from sqlmodel import Session

from bot.features.digest.figures import MemberFigures
from bot.features.digest.presence import POSTED, engaged, here_at, joined_before

QUIET_DAYS = 28  # returning: active after this many days with no interaction
COHORT_DAYS = 7  # new-member retention: those who joined in the week before
FLAGS = ("new", "settled", "cohort", "active", "posted", "before")


def member_figures(session: Session, start: datetime, end: datetime) -> MemberFigures:
    """The members of the week [start, end) (UTC):

    - total: counted at `end`; new: of them, joined in the week;
    - active: an engaging interaction in the week; communicators: a message or reply in it;
    - returning: active, joined before `start` - 28 days, no interaction in those 28 days;
    - lurking: joined before `start` and not active;
    - retention_cohort: joined in the 7 days before `start`; retained: of them, active;
    - retention_4w_base: an interaction in the 28 days before `start`; retention_4w_kept: of
      them, active.
    """
    params = {
        "start": start,
        "end": end,
        "quiet": start - timedelta(days=QUIET_DAYS),
        "cohort": start - timedelta(days=COHORT_DAYS),
    }
    rows = session.execute(_flags_query(), params).all()
    groups = [(dict(zip(FLAGS, map(bool, row[:-1]), strict=True)), row[-1]) for row in rows]

    def count(**wanted: bool) -> int:
        return sum(n for flags, n in groups if all(flags[k] == v for k, v in wanted.items()))

    return MemberFigures(
        total=count(),
        new=count(new=True),
        active=count(active=True),
        communicators=count(posted=True),
        returning=count(active=True, settled=True, before=False),
        lurking=count(new=False, active=False),
        retention_cohort=count(cohort=True),
        retained=count(cohort=True, active=True),
        retention_4w_base=count(before=True),
        retention_4w_kept=count(before=True, active=True),
    )


@cache
def _flags_query():
    """Counted members by their flags (in FLAGS' order), each probe made once per member."""
    flags = (
        not_(joined_before("start")),  # new: joined in the week (counted: before its end)
        joined_before("quiet"),  # settled: a member before the quiet days began
        and_(joined_before("start"), not_(joined_before("cohort"))),  # joined the week before
        engaged("start", "end"),
        engaged("start", "end", of=POSTED),
        engaged("quiet", "start"),
    )
    places = [literal_column(str(n)) for n in range(1, len(flags) + 1)]
    return select(*flags, func.count()).where(here_at()).group_by(*places)
