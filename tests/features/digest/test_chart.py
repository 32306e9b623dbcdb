"""The digest chart: one PNG at chat-preview size that says what it shows, empty weeks too.

Drawing takes most of a second, so few PNGs are drawn; the Figures' texts are read instead.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.features.digest.chart import (
    digest_chart,
    draw_digest_chart,
    draw_trend_chart,
    trend_chart,
)
from bot.features.digest.figures import ContentFigures, ContentTypeFigures
from tests.features.digest.sample_digests import (
    COMMUNITY,
    DST_WEEK,
    empty_digest,
    sample_digests,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    assert png[12:16] == b"IHDR"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def drawn(draw: Callable[[], bytes]) -> tuple[bytes, list[str]]:
    """The PNG and every warning raised drawing it ("Glyph … missing from font(s)" among them)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = draw()
    return png, [str(w.message) for w in caught]


def texts(figure: Figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text) if t.get_text()]


@pytest.fixture(scope="module")
def dst_week():
    return next(d for d in sample_digests() if d.week == DST_WEEK)


def test_a_week_draws_a_960_by_720_png_with_every_name_in_its_glyphs(dst_week) -> None:
    png, problems = drawn(lambda: digest_chart(dst_week))
    assert png_size(png) == (960, 720)
    assert problems == []


def test_an_empty_week_draws_a_png_saying_no_data_yet() -> None:
    png, problems = drawn(lambda: digest_chart(empty_digest()))
    assert png_size(png) == (960, 720)
    assert problems == []
    shown = texts(draw_digest_chart(empty_digest()))
    assert shown.count("no data yet") == 2
    assert "no calendar posts this week" in shown
    assert "this week" not in shown  # no legend for lines that are not there


def test_the_chart_names_the_community_week_dates_and_time_zone(dst_week) -> None:
    shown = texts(draw_digest_chart(dst_week))
    title = next(text for text in shown if COMMUNITY in text)
    assert "week 2026-W13" in title
    assert "23–29 Mar 2026 · Europe/Berlin time" in title  # the week summer time began
    assert "Mon\n23" in shown and "Sun\n29" in shown
    assert "this week" in shown and "last week" in shown
    assert "in the week: 2,274 (last week 1,743)" in shown  # interactions
    assert f"in the week: {dst_week.members.active:,}" in " ".join(shown)


def test_content_types_show_their_posts_and_average(dst_week) -> None:
    shown = texts(draw_digest_chart(dst_week))
    best = dst_week.content.types[0]
    assert f"{best.content_type} ({best.posts} posts)" in shown
    assert f"{best.average:.1f}" in shown
    assert f"{dst_week.content.posts} posts · {dst_week.content.average:.1f} per post" in shown


def test_content_types_beyond_eight_are_counted_not_drawn(dst_week) -> None:
    kinds = tuple(ContentTypeFigures(f"type {n}", 1, 10 - n) for n in range(10))
    week = dataclasses.replace(dst_week, content=ContentFigures(10, 45, kinds))
    shown = texts(draw_digest_chart(week))
    assert "type 7 (1 post)" in shown and "type 8 (1 post)" not in shown
    assert "10 posts · 4.5 per post · 2 more types" in shown


def test_dollar_signs_in_names_are_drawn_as_written() -> None:
    """A name like `$_$` would be read as mathtext and raise: the chart must never fail."""
    week = empty_digest(community="Café $_$ club")
    figure = draw_digest_chart(week)
    figure.canvas.draw()
    assert any("Café \\$_\\$ club" in text for text in texts(figure))


def test_the_trend_draws_weeks_and_an_empty_range() -> None:
    weeks = sample_digests()
    png, problems = drawn(lambda: trend_chart(weeks))
    assert png_size(png) == (960, 400)
    assert problems == []
    shown = texts(draw_trend_chart(weeks))
    assert "2026-W11\n9 Mar" in shown and "W14\n30 Mar" in shown
    assert f"{weeks[-1].activity.interactions:,}" in shown
    assert texts(draw_trend_chart([])).count("no data yet") == 2
