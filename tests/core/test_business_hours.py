"""Business hours for SLA deadlines: a Friday-afternoon question is due on Monday, and the hours
stay local wall-clock hours across weekends and daylight-saving changes.

Every expected instant is written out in UTC by hand, with the local time it stands for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.business_hours import (
    BusinessHours,
    add_working_minutes,
    parse_business_hours,
    working_minutes_between,
)

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
OFFICE = parse_business_hours("mon-fri 09:00-17:00")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def hours(spec: str) -> BusinessHours:
    parsed = parse_business_hours(spec)
    assert parsed is not None
    return parsed


@pytest.mark.parametrize(
    ("zone", "asked", "due"),
    [
        # Fri 2026-03-06 16:30 → Mon 2026-03-09 09:30, no clock change
        (UTC_ZONE, utc(2026, 3, 6, 16, 30), utc(2026, 3, 9, 9, 30)),
        # the same in Berlin winter time (UTC+1)
        (BERLIN, utc(2026, 3, 6, 15, 30), utc(2026, 3, 9, 8, 30)),
        # Berlin springs forward on Sun 2026-03-29: Fri 16:30 CET (+1) → Mon 09:30 CEST (+2)
        (BERLIN, utc(2026, 3, 27, 15, 30), utc(2026, 3, 30, 7, 30)),
        # New York springs forward on Sun 2026-03-08: Fri 16:30 EST (-5) → Mon 09:30 EDT (-4)
        (NEW_YORK, utc(2026, 3, 6, 21, 30), utc(2026, 3, 9, 13, 30)),
        # Berlin falls back on Sun 2026-10-25: Fri 16:30 CEST (+2) → Mon 09:30 CET (+1)
        (BERLIN, utc(2026, 10, 23, 14, 30), utc(2026, 10, 26, 8, 30)),
    ],
)
def test_a_friday_afternoon_question_is_due_monday_half_past_nine_local(
    zone: ZoneInfo, asked: datetime, due: datetime
) -> None:
    assert add_working_minutes(asked, 60, OFFICE, zone) == due
    assert working_minutes_between(asked, due, OFFICE, zone) == 60


def test_a_stretch_on_the_day_clocks_change_is_still_nine_to_five_local() -> None:
    every_day = hours("daily 09:00-17:00")
    # Sat 2026-03-28 16:00 CET: one hour on Saturday, the next on Sunday from 09:00 CEST (07:00Z)
    assert add_working_minutes(utc(2026, 3, 28, 15), 120, every_day, BERLIN) == utc(2026, 3, 29, 8)
    # Sunday 00:00 CET (Sat 23:00Z) to Monday 00:00 CEST (Sun 22:00Z) is a 23-hour day
    assert (
        working_minutes_between(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), every_day, BERLIN)
        == 480
    )
    # the 25-hour fall-back Sunday: 00:00 CEST (Sat 22:00Z) to Monday 00:00 CET (Sun 23:00Z)
    assert (
        working_minutes_between(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), every_day, BERLIN)
        == 480
    )


def test_hours_open_across_the_change_count_the_real_time_that_passes() -> None:
    all_day = hours("daily 00:00-24:00")
    assert (
        working_minutes_between(utc(2026, 3, 28, 23), utc(2026, 3, 29, 22), all_day, BERLIN)
        == 23 * 60
    )
    assert (
        working_minutes_between(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23), all_day, BERLIN)
        == 25 * 60
    )


def test_a_stretch_opening_in_the_skipped_hour_opens_when_the_clocks_jump() -> None:
    early = hours("sun 02:30-04:00")
    # 2026-03-29 Berlin: 02:00 CET jumps to 03:00 CEST at 01:00Z; 04:00 CEST is 02:00Z
    assert add_working_minutes(utc(2026, 3, 28, 12), 30, early, BERLIN) == utc(2026, 3, 29, 1, 30)
    assert working_minutes_between(utc(2026, 3, 28), utc(2026, 3, 30), early, BERLIN) == 60
    # an ordinary Sunday (2026-04-05): 02:30 CEST is 00:30Z, open 90 minutes
    assert add_working_minutes(utc(2026, 4, 4, 12), 30, early, BERLIN) == utc(2026, 4, 5, 1)
    assert working_minutes_between(utc(2026, 4, 4), utc(2026, 4, 6), early, BERLIN) == 90


def test_a_wall_time_that_happens_twice_is_its_first_occurrence() -> None:
    repeated = hours("sun 02:30-03:30")
    # 2026-10-25 Berlin: the first 02:30 is CEST (00:30Z); 03:30 comes once, in CET (02:30Z)
    assert add_working_minutes(utc(2026, 10, 24, 12), 30, repeated, BERLIN) == utc(2026, 10, 25, 1)
    assert working_minutes_between(utc(2026, 10, 24), utc(2026, 10, 26), repeated, BERLIN) == 120


@pytest.mark.parametrize(
    ("asked", "minutes", "due"),
    [
        (utc(2026, 3, 7, 12), 90, utc(2026, 3, 9, 10, 30)),  # Saturday → Monday 10:30
        (utc(2026, 3, 9, 7), 60, utc(2026, 3, 9, 10)),  # Monday before opening
        (utc(2026, 3, 11, 20), 60, utc(2026, 3, 12, 10)),  # Wednesday evening → Thursday
        (utc(2026, 3, 9, 10), 0, utc(2026, 3, 9, 10)),  # nothing to wait for
        (utc(2026, 3, 7, 12), 0, utc(2026, 3, 7, 12)),
        (utc(2026, 3, 9, 16), 60, utc(2026, 3, 9, 17)),  # used up at closing, not next opening
    ],
)
def test_time_outside_hours_does_not_count(asked: datetime, minutes: int, due: datetime) -> None:
    assert add_working_minutes(asked, minutes, OFFICE, UTC_ZONE) == due


def test_minutes_spanning_weeks_skip_closed_days() -> None:
    monday = utc(2026, 3, 2, 9)
    three_weeks = 3 * 5 * 8 * 60
    assert add_working_minutes(monday, three_weeks, OFFICE, UTC_ZONE) == utc(2026, 3, 20, 17)
    assert add_working_minutes(monday, three_weeks + 30, OFFICE, UTC_ZONE) == utc(
        2026, 3, 23, 9, 30
    )


def test_a_million_minutes_over_eight_years_of_clock_changes() -> None:
    # 1,000,000 = 416 weeks of 2,400 minutes + 3 days of 480 + 160 minutes: from Mon 2026-01-05
    # 09:00 CET (08:00Z), 416 weeks on is Mon 2033-12-26; Thu 2033-12-29 11:40 CET is 10:40Z
    start = utc(2026, 1, 5, 8)
    due = add_working_minutes(start, 1_000_000, OFFICE, BERLIN)
    assert due == utc(2033, 12, 29, 10, 40)
    assert working_minutes_between(start, due, OFFICE, BERLIN) == 1_000_000


@pytest.mark.parametrize(
    ("spec", "zone", "start", "minutes"),
    [
        ("mon-fri 09:00-17:00", BERLIN, utc(2026, 3, 27, 15, 30), 600),
        ("mon-fri 9-12, 13-17", NEW_YORK, utc(2026, 3, 7, 3), 1234.5),
        ("daily 00:00-24:00", BERLIN, utc(2026, 10, 24, 20), 1500),
        ("sun 02:30-04:00; sat 22-24", BERLIN, utc(2026, 3, 27), 100),
        ("weekends 10-14", UTC_ZONE, utc(2026, 3, 2, 9), 7 * 240 + 1),
    ],
)
def test_working_minutes_between_undoes_add_working_minutes(
    spec: str, zone: ZoneInfo, start: datetime, minutes: float
) -> None:
    business = hours(spec)
    due = add_working_minutes(start, minutes, business, zone)
    assert working_minutes_between(start, due, business, zone) == pytest.approx(minutes, abs=1e-6)
    assert working_minutes_between(start, due - timedelta(minutes=1), business, zone) < minutes


def test_working_minutes_between_counts_only_open_time_in_the_span() -> None:
    # Fri 2026-03-06 16:00 to Mon 2026-03-09 10:15: 60 on Friday, 75 on Monday
    assert (
        working_minutes_between(utc(2026, 3, 6, 16), utc(2026, 3, 9, 10, 15), OFFICE, UTC_ZONE)
        == 135
    )
    assert working_minutes_between(utc(2026, 3, 7), utc(2026, 3, 8), OFFICE, UTC_ZONE) == 0
    assert working_minutes_between(utc(2026, 3, 9, 12), utc(2026, 3, 9, 11), OFFICE, UTC_ZONE) == 0


def test_without_business_hours_every_minute_counts() -> None:
    assert parse_business_hours("") is None
    assert parse_business_hours("  Always ") is None
    # across Berlin's spring-forward night: real minutes, not wall-clock ones
    start = utc(2026, 3, 28, 23, 30)
    assert add_working_minutes(start, 120, None, BERLIN) == utc(2026, 3, 29, 1, 30)
    assert add_working_minutes(start, 0.5, None, BERLIN) == utc(2026, 3, 28, 23, 30, 30)
    assert working_minutes_between(start, utc(2026, 3, 29, 1, 30), None, BERLIN) == 120


def test_a_negative_wait_is_refused() -> None:
    with pytest.raises(ValueError, match="finite number ≥ 0"):
        add_working_minutes(utc(2026, 3, 9, 10), -5, OFFICE, UTC_ZONE)


@pytest.mark.parametrize(
    ("spec", "described"),
    [
        ("mon-fri 09:00-17:00", "Mon–Fri 09:00–17:00"),
        ("MON–FRI 9–17", "Mon–Fri 09:00–17:00"),
        ("mon,wed,fri 10:00-16:00", "Mon, Wed, Fri 10:00–16:00"),
        ("mon,wed,fri 10:00-16:00, sat 10-14", "Mon, Wed, Fri 10:00–16:00; Sat 10:00–14:00"),
        ("mon-thu 9-17; fri 9:30-13:00", "Mon–Thu 09:00–17:00; Fri 09:30–13:00"),
        ("mon-fri 9-12, 13-17", "Mon–Fri 09:00–12:00, 13:00–17:00"),
        ("every day 8-20", "Every day 08:00–20:00"),
        ("daily 9-12; daily 12-17", "Every day 09:00–17:00"),
        ("sun-thu 08:00-16:00", "Sun–Thu 08:00–16:00"),
        ("weekdays 9am-5:30pm", "Mon–Fri 09:00–17:30"),
        ("Saturday and Sunday 10 am to 2 pm", "Sat, Sun 10:00–14:00"),
        ("fri 18:00-00:00", "Fri 18:00–24:00"),
    ],
)
def test_specs_managers_write_are_read_and_described_back(spec: str, described: str) -> None:
    business = hours(spec)
    assert business.describe() == described
    assert parse_business_hours(described) == business


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "mon-fry 09:00-17:00",
            "business_hours: 'mon-fry 09:00-17:00': unknown day 'fry' "
            '(write e.g. "mon-fri 09:00-17:00")',
        ),
        (
            "mon-fri 9-17; sat 22:00-02:00",
            "business_hours: 'sat 22:00-02:00': '22:00-02:00' closes before it opens; "
            "an overnight stretch is two, one each day "
            '(write e.g. "fri 22:00-24:00; sat 00:00-02:00")',
        ),
        (
            "mon 9-9",
            "business_hours: 'mon 9-9': '9-9' closes before it opens; an overnight stretch is "
            'two, one each day (write e.g. "fri 22:00-24:00; sat 00:00-02:00")',
        ),
        (
            "mon-fri 9-17, sat",
            "business_hours: 'mon-fri 9-17, sat': no hours after 'sat' "
            '(write e.g. "sat 09:00-17:00")',
        ),
        (
            "9-17",
            "business_hours: '9-17': hours '9-17' need days before them "
            '(write e.g. "daily 09:00-17:00")',
        ),
        (
            "mon 25:00-26:00",
            "business_hours: 'mon 25:00-26:00': '25:00' is not a time of day "
            '(write e.g. "mon-fri 09:00-17:00")',
        ),
        (
            "mon 9",
            "business_hours: 'mon 9': '9' is not a time range (write e.g. \"mon-fri 09:00-17:00\")",
        ),
        (
            "mon-fri 9-17; fri 9-13",
            "business_hours: 'fri 9-13': Fri 09:00-13:00 overlaps 09:00-17:00; give each day's "
            'hours once (write e.g. "mon-thu 09:00-17:00; fri 09:00-13:00")',
        ),
        (
            " ; ",
            "business_hours: ' ; ': no open hours "
            '(write e.g. "mon-fri 09:00-17:00", or "always" to count every minute)',
        ),
    ],
)
def test_a_wrong_spec_says_what_is_wrong_and_how_to_write_it(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_business_hours(spec)
    assert str(refused.value) == message


def test_business_hours_without_open_time_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="some open time"):
        BusinessHours(((),) * 7)
