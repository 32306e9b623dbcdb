"""The weekly engagement digest: figures from the store, objectives judged, posted weekly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.feature import Feature
from bot.features.digest.commands import install
from bot.features.digest.compute import compute_digest
from bot.features.digest.figures import WeekDigest
from bot.features.digest.history import MAX_WEEKS, digest_text, digests_between
from bot.features.digest.store import DigestRecord
from bot.features.digest.weeks import Week, WeekError, last_full_week, parse_week, week_at

if TYPE_CHECKING:
    from bot.core.app import Steward


def digest_chart(digest: WeekDigest) -> bytes:
    """The digest's chart as PNG bytes (loads matplotlib on first use)."""
    from bot.features.digest.chart import digest_chart as draw

    return draw(digest)


def write_report(digests: list[WeekDigest], fmt: str, out: Path | None = None) -> str:
    """The report of `digests` (oldest first) as md, html or csv; written to `out` if given
    (loads matplotlib on first use)."""
    from bot.features.digest.reports import write_report as write

    return write(digests, fmt, out)


async def digest_for_week(app: Steward, week: Week) -> WeekDigest:
    """`week`'s digest as it reads now on `app`'s clock."""
    return await app.store.run(compute_digest, week, app.settings, app.clock.now())


FEATURE = Feature("digest", install, tables=(DigestRecord,))
__all__ = [
    "FEATURE",
    "MAX_WEEKS",
    "Week",
    "WeekDigest",
    "WeekError",
    "compute_digest",
    "digest_chart",
    "digest_for_week",
    "digest_text",
    "digests_between",
    "last_full_week",
    "parse_week",
    "week_at",
    "write_report",
]
