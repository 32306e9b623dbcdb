"""Poll charts draw members' emoji and Chinese, Japanese and Korean labels, not empty boxes."""

from __future__ import annotations

import logging
import warnings

import pytest

from bot.text.charts import bar_chart, register_fonts


def chart(*labels: str) -> tuple[bytes, list[str]]:
    """The PNG for `labels` (one vote each) and the warnings drawing it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = bar_chart("Lunch?", list(labels), [1] * len(labels), horizontal=True)
    return png, [str(w.message) for w in caught]


def test_the_fallback_fonts_are_registered() -> None:
    families = register_fonts()
    assert families[0] == "DejaVu Sans"
    assert "Noto Emoji" in families
    assert any(family.startswith("Noto Sans CJK") for family in families)


@pytest.mark.parametrize(
    ("one", "other"),
    [("🍕 Pizza", "🍜 Pizza"), ("寿司", "拉面"), ("라면", "김밥"), ("すし", "そば")],
)
def test_each_label_is_drawn_in_its_own_glyphs(one: str, other: str) -> None:
    first, problems = chart(one)
    second, more = chart(other)
    assert problems == more == []  # no "Glyph … missing from font(s)"
    assert first != second  # two missing glyphs would be the same two boxes


def test_a_character_no_font_has_is_still_reported() -> None:
    _, problems = chart("𒀀 cuneiform")
    assert any("missing from font" in message for message in problems)


def test_a_bold_cjk_label_logs_no_font_notice(caplog: pytest.LogCaptureFixture) -> None:
    """The one-weight Noto fallbacks must not print a findfont line beside each console chart."""
    with caplog.at_level(logging.INFO, logger="matplotlib.font_manager"):
        bar_chart("午餐?", ["寿司 Sushi", "🍕 Pizza"], [2, 1], horizontal=True, highlight=[0])
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


def test_dollar_signs_in_options_are_drawn_as_written() -> None:
    """matplotlib reads text between two `$` as math: `$_$` would raise, `$5 or $10` lose
    its dollars."""
    png, problems = chart("$_$", "$5 or $10")
    assert png.startswith(b"\x89PNG") and problems == []
