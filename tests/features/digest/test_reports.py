"""`steward report`'s three formats over the same four weeks: the figures a stakeholder reads,
objectives met or missed, charts embedded (HTML) or written beside (Markdown), CSV for tools.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest

from bot.features.digest.report_csv import HEADER
from bot.features.digest.reports import ReportFormatError, write_report
from tests.features.digest.sample_digests import (
    CHANNELS,
    COMMUNITY,
    CONTRIBUTORS,
    empty_digest,
    sample_digests,
)

DIGESTS = sample_digests()
LATEST = DIGESTS[-1]


@pytest.fixture(scope="module")
def html() -> str:
    return write_report(DIGESTS, "html")


def test_html_shows_each_weeks_figures(html: str) -> None:
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    for digest in DIGESTS:
        members = next(r for r in rows if digest.week in r and f">{digest.members.total}<" in r)
        assert f"<td>{digest.members.active}</td>" in members
        activity = next(
            r for r in rows if digest.week in r and f"{digest.activity.messages:,}" in r
        )
        assert f"<td>{digest.activity.interactions:,}</td>" in activity
        answered = f"{digest.inquiries.answered_pct:.1f}%"
        assert any(digest.week in r and f"<td>{answered}</td>" in r for r in rows)
    assert "<td>—</td>" in html  # W11 has no new-member cohort to retain


def test_html_states_the_time_zone_and_the_dst_week(html: str) -> None:
    assert "in the community time zone, Europe/Berlin" in html
    assert "2026-W13 · 23–29 Mar 2026 *" in html
    assert "2026-W13: clocks changed, a week of 167 hours." in html


def test_html_shows_objectives_met_and_missed_week_by_week(html: str) -> None:
    table = html.split("Objectives over time", 1)[1].split("<h2>", 1)[0]
    assert "Answer fast ⚡ &lt;30 min&gt;<br>≤ 30m" in table
    assert '<td class="missed">111 missed</td>' in table  # W11: 111 active, target 120
    assert '<td class="met">142 met</td>' in table
    assert '<td class="missed">42m missed</td>' in table  # median 42 min, target ≤ 30
    assert '<td class="not-set">not set</td>' in table  # objective 3 came in W12
    assert "Questions answered (≥ 90.0%): met 3 of 3 weeks" in table


def test_html_is_self_contained_with_both_charts_embedded(html: str) -> None:
    images = re.findall(r'<img src="([^"]+)"[^>]*width="(\d+)" height="(\d+)"', html)
    assert [(w, h) for _, w, h in images] == [("960", "400"), ("960", "720")]
    assert all(src.startswith("data:image/png;base64,iVBORw0KGgo") for src, _, _ in images)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*(https?:)?//", html)
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert "@media print" in html


def test_html_escapes_member_and_channel_names(html: str) -> None:
    assert "<b>bold</b>" not in html and "<i>" not in html
    assert "#&lt;b&gt;bold&lt;/b&gt; &amp; co: " in html
    assert "Tom &amp; Jerry &lt;i&gt;: " in html
    assert "Welcome the 40 lurkers &lt;new&gt;" in html
    assert all(name in html for name in (*CONTRIBUTORS[:3], CHANNELS[1]))
    assert f"<h1>{COMMUNITY} — engagement report, 2026-W11 to 2026-W14</h1>" in html


def test_csv_has_one_row_per_week_with_raw_numbers() -> None:
    text = write_report(DIGESTS, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADER
    assert [row["week"] for row in rows] == [d.week for d in DIGESTS]
    for row, digest in zip(rows, DIGESTS, strict=True):
        monday = date.fromisocalendar(int(digest.week[:4]), int(digest.week[-2:]), 1)
        assert row["first_day"] == monday.isoformat()
        assert int(row["members_total"]) == digest.members.total
        assert int(row["weekly_active_members"]) == digest.members.active
        assert int(row["interactions"]) == digest.activity.interactions
        assert float(row["answered_inquiry_pct"]) == digest.inquiries.answered_pct
        assert float(row["median_first_response_minutes"]) * 60 == digest.inquiries.median_seconds
        assert float(row["feedback_sentiment"]) == digest.feedback.average
        assert float(row["posts_engagement"]) == digest.content.average
    assert rows[0]["new_member_retention_pct"] == ""  # None: nobody to retain yet
    assert rows[0]["first_day"] == "2026-03-09" and rows[0]["last_day"] == "2026-03-15"
    assert [row["week_hours"] for row in rows] == ["168", "168", "167", "168"]


def test_markdown_to_a_terminal_has_the_tables_and_a_note_on_charts() -> None:
    text = write_report(DIGESTS, "md")
    assert text.startswith(f"# {COMMUNITY} — engagement report")
    assert "| Week | Members | New | Active | Posted |" in text
    assert "| 2026-W12 · 16–22 Mar 2026 | 338 | 18 | 120 | 80 | 60.0% | 72.4% |" in text
    assert "| 2026-W11 · 9–15 Mar 2026 | 111 missed | 42m missed | not set |" in text
    assert "Answer fast ⚡ \\<30 min\\> (≤ 30m)" in text  # a name's markup escaped
    assert "\\#\\<b\\>bold\\</b\\> & co: " in text
    assert "--out report.md" in text and "![" not in text


def test_markdown_to_a_file_writes_its_charts_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "march.md"
    text = write_report(DIGESTS, "md", out)
    assert out.read_text(encoding="utf-8") == text
    assert "![Members and interactions per week](march-trend.png)" in text
    assert "](march-2026-W14.png)" in text
    for name in ("march-trend.png", "march-2026-W14.png"):
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"


def test_a_range_without_activity_still_reports() -> None:
    quiet = [empty_digest()]
    text = write_report(quiet, "md")
    assert "| 2026-W11 · 9–15 Mar 2026 | 0 | 0 | 0 | 0 | — | — |" in text
    assert "No objectives were set in these weeks" in text
    assert write_report([], "csv") == ",".join(HEADER) + "\n"
    assert "No weeks in this range." in write_report([], "html")


def test_an_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(ReportFormatError, match="use md, html, csv"):
        write_report(DIGESTS, "pdf")
