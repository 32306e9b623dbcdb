"""The report as CSV: one header row, one row per week, raw numbers (empty for no data)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.features.digest.figures import WeekDigest
from bot.features.digest.report_table import COLUMNS, raw
from bot.features.digest.week_dates import week_dates

HEADER = ("week", "first_day", "last_day", "zone", *(column.key for column in COLUMNS))


def report_csv(digests: Sequence[WeekDigest]) -> str:
    """The weeks (oldest first) as CSV text; column names are stable (see HEADER)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for digest in digests:
        days = week_dates(digest)
        figures = [raw(column.value(digest)) for column in COLUMNS]
        writer.writerow(
            [digest.week, days[0].isoformat(), days[-1].isoformat(), digest.zone, *figures]
        )
    return buffer.getvalue()
