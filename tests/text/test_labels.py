"""A label cut short (a button, a form field, a chart's tick) ends with one ellipsis."""

from bot.text.excerpts import cut_label


def test_a_label_that_fits_is_kept_and_a_long_one_is_cut_before_its_trailing_space() -> None:
    assert cut_label("Best snack", 10) == "Best snack"
    assert cut_label("Best snack ever", 6) == "Best…"
    assert cut_label("Breakfast", 4) == "Bre…"
    assert cut_label("Breakfast", 0) == "…"
