"""Durations as people write them; absurd ones are refused, never overflow."""

from datetime import timedelta

import pytest

from bot.text.durations import DurationTooLong, parse_duration


def test_durations_as_people_write_them() -> None:
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("1.5h") == timedelta(minutes=90)
    assert parse_duration("36525d") == timedelta(days=36525)


@pytest.mark.parametrize("text", ["99999999999d", "9" * 400 + "w", "36525d1s", "5219w"])
def test_an_absurd_duration_is_refused_in_words(text: str) -> None:
    with pytest.raises(DurationTooLong, match="too long; a duration is at most 36,525 days"):
        parse_duration(text)


def test_a_refused_duration_is_a_value_error_and_is_echoed_short() -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration("9" * 400 + "w")
    assert len(str(caught.value)) < 120
