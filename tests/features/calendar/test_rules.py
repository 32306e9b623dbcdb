"""`when` as managers write it, and repeat rules as occurrence times (Europe/Berlin)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.features.calendar.recurrence import RepeatError, Schedule, normalise_repeat
from bot.text.when import WhenError, format_local, parse_when

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 27, 9, 30, tzinfo=UTC)  # Fri 10:30 CET


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("2026-03-28T09:00", "Sat 2026-03-28 09:00 CET"),
        ("2026-03-28 09:00", "Sat 2026-03-28 09:00 CET"),
        ("2026-04-01T09:00", "Wed 2026-04-01 09:00 CEST"),
        ("2026-03-28T09:00Z", "Sat 2026-03-28 10:00 CET"),
        ("2026-03-28T09:00+05:00", "Sat 2026-03-28 05:00 CET"),
        ("today 18:00", "Fri 2026-03-27 18:00 CET"),
        ("tomorrow 09:00", "Sat 2026-03-28 09:00 CET"),
        ("Tomorrow 9am", "Sat 2026-03-28 09:00 CET"),
        ("sun 09:00", "Sun 2026-03-29 09:00 CEST"),
        ("mon 18:30", "Mon 2026-03-30 18:30 CEST"),
        ("friday 6:30pm", "Fri 2026-03-27 18:30 CET"),
        ("fri 10:00", "Fri 2026-04-03 10:00 CEST"),  # today's 10:00 has passed: next week
        ("18:30", "Fri 2026-03-27 18:30 CET"),
        ("10:00", "Sat 2026-03-28 10:00 CET"),
        ("+2h", "Fri 2026-03-27 12:30 CET"),
        ("in 1d12h", "Sat 2026-03-28 22:30 CET"),
    ],
)
def test_when_forms_are_read_in_the_community_zone(text: str, local: str) -> None:
    assert format_local(parse_when(text, NOW, BERLIN), BERLIN) == local


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "`when` is empty"),
        ("2026-03-28", "has no time of day"),
        ("2026-13-01T09:00", "is not a date and time"),
        ("tomorrow", "needs a time of day"),
        ("mon 24:00", "is not a time of day"),
        ("13pm", "with am/pm the hour is 1 to 12"),
        ("+2 hours", "is not a relative time"),
        ("2026-03-29T02:30", "does not exist in Europe/Berlin"),
        ("next week", "is not a date and time"),
    ],
)
def test_bad_when_says_why(text: str, error: str) -> None:
    with pytest.raises(WhenError, match=error):
        parse_when(text, NOW, BERLIN)


def _local(schedule: Schedule, count: int, since: datetime | None = None) -> list[str]:
    times = schedule.upcoming(since or schedule.start, count)
    return [f"{t.astimezone(BERLIN):%a %m-%d %H:%M %Z}" for t in times]


def test_a_time_the_clocks_skip_goes_out_an_hour_later_then_back_to_normal() -> None:
    start = datetime(2026, 3, 27, 1, 30, tzinfo=UTC)  # Fri 02:30 CET
    for rule in ("daily", "30 2 * * *"):
        assert _local(Schedule(rule, start, BERLIN), 4) == [
            "Fri 03-27 02:30 CET",
            "Sat 03-28 02:30 CET",
            "Sun 03-29 03:30 CEST",
            "Mon 03-30 02:30 CEST",
        ], rule


def test_the_repeated_autumn_hour_is_used_once() -> None:
    start = datetime(2026, 10, 24, 0, 30, tzinfo=UTC)  # Sat 02:30 CEST
    for rule in ("daily", "30 2 * * *"):
        schedule = Schedule(rule, start, BERLIN)
        assert _local(schedule, 3) == [
            "Sat 10-24 02:30 CEST",
            "Sun 10-25 02:30 CEST",
            "Mon 10-26 02:30 CET",
        ], rule


def test_monthly_on_the_31st_uses_the_last_day_of_shorter_months() -> None:
    schedule = Schedule("monthly", datetime(2026, 1, 31, 8, 0, tzinfo=UTC), BERLIN)
    assert _local(schedule, 4) == [
        "Sat 01-31 09:00 CET",
        "Sat 02-28 09:00 CET",
        "Tue 03-31 09:00 CEST",
        "Thu 04-30 09:00 CEST",
    ]


def test_cron_weekdays_are_standard_cron_sunday_is_0_and_7() -> None:
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Mon
    assert _local(Schedule("0 9 * * 0", start, BERLIN), 2) == [
        "Sun 03-08 09:00 CET",
        "Sun 03-15 09:00 CET",
    ]
    assert _local(Schedule("0 9 * * 7", start, BERLIN), 1) == ["Sun 03-08 09:00 CET"]
    assert _local(Schedule("0 9 * * 1-5", start, BERLIN), 6)[-1] == "Mon 03-09 09:00 CET"
    assert _local(Schedule("0 9 * * sat,sun", start, BERLIN), 2) == [
        "Sat 03-07 09:00 CET",
        "Sun 03-08 09:00 CET",
    ]


def test_rrule_with_until_and_interval() -> None:
    start = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)  # Wed 18:00 CET
    rule = normalise_repeat("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260430T000000Z")
    assert rule == "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260430T000000Z"
    assert _local(Schedule(rule, start, BERLIN), 5) == [
        "Wed 03-04 18:00 CET",
        "Wed 03-18 18:00 CET",
        "Wed 04-01 18:00 CEST",
        "Wed 04-15 18:00 CEST",
        "Wed 04-29 18:00 CEST",
    ]


def test_occurrences_after_a_time_and_the_end_of_a_one_off() -> None:
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    once = Schedule("", start, BERLIN)
    assert once.first_from(start) == start and once.after(start) is None
    daily = Schedule("daily", start, BERLIN)
    assert daily.after(start) == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert daily.first_from(datetime(2026, 3, 5, 9, 0, 1, tzinfo=UTC)) == datetime(
        2026, 3, 6, 9, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("fortnightly", "is not a rule I know"),
        ("0 9 * *", "is not a rule I know"),
        ("0 25 * * *", "is not a cron expression I can read"),
        ("0 9 * * 8", "must be 0-7 or a name"),
        ("RRULE:FREQ=HOURLY", "hourly (or more frequent) rules are not supported"),
        ("RRULE:FREQ=SOMETIMES", "is not a recurrence rule I can read"),
        ("* * * * *", "more than once an hour"),
        ("*/15 9 * * 1-5", "more than once an hour"),
        ("0,30 18 * * *", "more than once an hour"),
        ("0-5 18 * * *", "more than once an hour"),
        ("RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30", "more than once an hour"),
    ],
)
def test_bad_repeat_rules_say_why(text: str, error: str) -> None:
    with pytest.raises(RepeatError, match=error.replace("(", r"\(").replace(")", r"\)")):
        normalise_repeat(text)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", ""),
        ("none", ""),
        ("once", ""),
        ("Daily", "daily"),
        ("weekdays", "weekdays"),
        ("30 18 * * 1-5", "30 18 * * 1-5"),
        ("0 9,17 * * *", "0 9,17 * * *"),
        ("0 9-17 * * 1-5", "0 9-17 * * 1-5"),
    ],
)
def test_good_repeat_rules(text: str, rule: str) -> None:
    assert normalise_repeat(text) == rule  # each to its own rule, not just to some good rule
