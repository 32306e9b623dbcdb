"""`steward report`: the stored weeks as Markdown, HTML or CSV, from one call.

HTML embeds its charts; Markdown saved to a file gets its charts as PNG files beside it
(`report.md` → `report-trend.png`, `report-2026-W14.png`); CSV is figures only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.features.digest.figures import WeekDigest
from bot.features.digest.report_csv import report_csv
from bot.features.digest.report_html import report_html
from bot.features.digest.report_md import report_md

REPORT_FORMATS = ("md", "html", "csv")


class ReportFormatError(ValueError):
    """A format write_report does not know; the message lists the ones it does."""


def write_report(digests: Sequence[WeekDigest], fmt: str, out: Path | None = None) -> str:
    """The report of `digests` (oldest first) in `fmt` (md, html or csv), as text.

    With `out` it is also written there (UTF-8), and Markdown's chart PNGs beside it.
    Drawing charts takes about a second each: call it off the event loop.
    """
    if fmt not in REPORT_FORMATS:
        raise ReportFormatError(f"unknown report format {fmt!r}; use {', '.join(REPORT_FORMATS)}")
    if fmt == "csv":
        text = report_csv(digests)
    elif fmt == "html":
        text = report_html(digests, [(caption, png) for caption, _, png in _charts(digests)])
    else:
        text = _markdown(digests, out)
    if out is not None:
        out.write_text(text, encoding="utf-8", newline="")
    return text


def _markdown(digests: Sequence[WeekDigest], out: Path | None) -> str:
    if out is None or not digests:
        return report_md(digests)
    written = []
    for caption, suffix, png in _charts(digests):
        picture = out.with_name(f"{out.stem}-{suffix}.png")
        picture.write_bytes(png)
        written.append((caption, picture.name))
    return report_md(digests, written)


def _charts(digests: Sequence[WeekDigest]) -> list[tuple[str, str, bytes]]:
    """(caption, file-name suffix, PNG) of the report's charts: the trend, the latest week."""
    if not digests:
        return []
    from bot.features.digest.chart import digest_chart, trend_chart  # loads matplotlib

    latest = digests[-1]
    return [
        ("Members and interactions per week", "trend", trend_chart(digests)),
        (f"The digest chart of {latest.week}, the latest week", latest.week, digest_chart(latest)),
    ]
