"""The digests of a range of weeks, for reports: as kept when posted, else computed now."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.config import Settings
from bot.core.markup import plain
from bot.features.digest import store
from bot.features.digest.compute import compute_digest
from bot.features.digest.figures import WeekDigest
from bot.features.digest.render import render_digest
from bot.features.digest.weeks import Week

MAX_WEEKS = 520  # ten years of weeks in one report


def digests_between(
    session: Session, first: Week, last: Week, settings: Settings, now: datetime
) -> list[WeekDigest]:
    """Every week from `first` to `last` (both included, up to MAX_WEEKS), oldest first."""
    kept = store.kept_digests(session, first.label, last.label)
    digests, week = [], first
    while week <= last and len(digests) < MAX_WEEKS:
        digests.append(kept.get(week.label) or compute_digest(session, week, settings, now))
        week = week.shifted(1)
    return digests


def digest_text(digest: WeekDigest) -> str:
    """The digest as plain text, for a terminal."""
    return plain(render_digest(digest).plain_text())
