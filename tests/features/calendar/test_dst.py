"""One-off, daily, weekly and cron posts go out at the right local time across daylight saving.

Europe/Berlin: clocks go forward on Sunday 2026-03-29 (02:00 → 03:00) and back on Sunday
2026-10-25 (03:00 → 02:00). Each post is labelled with the local time at which it was sent.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.features.calendar.support import berlin_recorded, manage, occurrences, timeline_of

SCHEDULE = """
/calendar add when:"tomorrow 09:00" channel:announcements type:article text:Daily repeat:daily
/calendar add when:"sun 10:00" channel:general type:discussion text:Weekly repeat:weekly
/calendar add when:{once} channel:announcements type:announcement text:Once
/calendar add when:+1m channel:general type:video text:Cron repeat:"{cron}"
"""


async def test_spring_forward_keeps_local_times(db_url: str) -> None:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Fri 08:00 CET
    async with berlin_recorded(db_url, start) as recorded:
        added = await manage(recorded, SCHEDULE.format(once="2026-03-29T12:00", cron="30 18 * * *"))
        said = await recorded.advance("83h")  # to Mon 2026-03-30 20:00 CEST
        rows = occurrences(recorded)
    daily = added[0].section("Next").text
    assert daily.startswith("Sat 2026-03-28 09:00 CET\nSun 2026-03-29 09:00 CEST")
    assert timeline_of(said) == [
        "Fri 2026-03-27 18:30 CET Cron",
        "Sat 2026-03-28 09:00 CET Daily",
        "Sat 2026-03-28 18:30 CET Cron",
        "Sun 2026-03-29 09:00 CEST Daily",
        "Sun 2026-03-29 10:00 CEST Weekly",
        "Sun 2026-03-29 12:00 CEST Once",
        "Sun 2026-03-29 18:30 CEST Cron",
        "Mon 2026-03-30 09:00 CEST Daily",
        "Mon 2026-03-30 18:30 CEST Cron",
    ]
    daily_utc = [f"{o.occurs_at:%d %H:%M}" for o in rows if o.post_id == 1]
    assert daily_utc == ["28 08:00", "29 07:00", "30 07:00"]
    assert {o.status for o in rows} == {"sent"}


async def test_fall_back_keeps_local_times_and_sends_the_repeated_hour_once(db_url: str) -> None:
    start = datetime(2026, 10, 23, 7, 0, tzinfo=UTC)  # Fri 09:00 CEST
    async with berlin_recorded(db_url, start) as recorded:
        await manage(recorded, SCHEDULE.format(once="2026-10-25T12:00", cron="30 2 * * *"))
        said = await recorded.advance("42h30m")  # to Sun 2026-10-25 02:30 CET, the second one
        assert recorded.clock.now() == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        said += await recorded.advance("33h")  # to Mon 2026-10-26 11:30 CET
    assert timeline_of(said) == [
        "Sat 2026-10-24 02:30 CEST Cron",
        "Sat 2026-10-24 09:00 CEST Daily",
        "Sun 2026-10-25 02:30 CEST Cron",  # the repeated 02:30 (CET) passes: nothing sent
        "Sun 2026-10-25 09:00 CET Daily",
        "Sun 2026-10-25 10:00 CET Weekly",
        "Sun 2026-10-25 12:00 CET Once",
        "Mon 2026-10-26 02:30 CET Cron",
        "Mon 2026-10-26 09:00 CET Daily",
    ]


async def test_weekdays_and_monthly_rules(db_url: str) -> None:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Fri 08:00 CET
    async with berlin_recorded(db_url, start) as recorded:
        weekdays, monthly, cron = await manage(
            recorded,
            '/calendar add when:"fri 17:00" channel:general type:event text:Wk repeat:weekdays\n'
            "/calendar add when:2026-03-31T09:00 channel:general type:event text:Mo "
            "repeat:monthly\n"
            '/calendar add when:"sat 07:15" channel:general type:event text:Cr '
            'repeat:"15 7 * * 0,6"',
        )
    assert weekdays.section("Next").text.startswith(
        "Fri 2026-03-27 17:00 CET\nMon 2026-03-30 17:00 CEST\nTue 2026-03-31"
    )
    assert monthly.section("Next").text.startswith(
        "Tue 2026-03-31 09:00 CEST\nThu 2026-04-30 09:00 CEST\nSun 2026-05-31"
    )
    assert cron.section("Next").text.startswith(
        "Sat 2026-03-28 07:15 CET\nSun 2026-03-29 07:15 CEST\nSat 2026-04-04"
    )


async def test_the_agenda_shows_a_skipped_hour_post_moved_an_hour_later(db_url: str) -> None:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Fri 08:00 CET
    async with berlin_recorded(db_url, start) as recorded:
        await manage(
            recorded,
            '/calendar add when:"sat 02:30" channel:general type:article text:Rule repeat:daily\n'
            '/calendar add when:"sat 02:30" channel:general type:article text:Cron '
            'repeat:"30 2 * * *"',
        )
        await recorded.advance("1d")  # Saturday's went out; next is Sunday 02:30, i.e. 03:30 CEST
        [agenda] = await manage(recorded, "/calendar list days:2")
        await recorded.advance("1d")
        sent = [f"{o.occurs_at:%d %H:%M} {o.status}" for o in occurrences(recorded)]
    assert agenda.private_to == recorded.member("ann")
    sunday = agenda.section("Sun 2026-03-29").text
    assert sunday.startswith("03:30 #1 [article] #general — Rule (daily)\n03:30 #2")
    assert sent == ["28 01:30 sent", "28 01:30 sent", "29 01:30 sent", "29 01:30 sent"]
