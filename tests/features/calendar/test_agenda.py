"""`/calendar list` of repeating posts across daylight saving, and cut to what one message holds.

Europe/Berlin: clocks go forward on Sunday 2026-03-29 (02:00 → 03:00) and back on Sunday
2026-10-25 (03:00 → 02:00).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from bot.core.capabilities import Capabilities
from bot.core.messages import Message, Section
from bot.features.calendar.agenda import AgendaPost, Listing, View, agenda, fits
from bot.features.calendar.recurrence import Schedule
from tests.features.calendar.support import berlin_recorded, manage

BERLIN = ZoneInfo("Europe/Berlin")
SCHEDULE = """
/calendar add when:"tomorrow 09:00" channel:announcements type:article text:Daily repeat:daily
/calendar add when:"sun 10:00" channel:general type:discussion text:Weekly repeat:weekly
/calendar add when:"mon 08:00" channel:general type:event text:Weekdays repeat:weekdays
/calendar add when:"tomorrow 23:30" channel:general type:video text:Monthly repeat:monthly
/calendar add when:+1m channel:announcements type:announcement text:Night repeat:"30 2 * * *"
/calendar add when:+1m channel:general type:article text:Small repeat:"{rrule}"
/calendar pause id:4
"""
RRULE = "RRULE:FREQ=DAILY;BYHOUR=1,2,3;BYMINUTE=45"


async def test_the_agenda_keeps_local_times_when_the_clocks_go_forward(db_url: str) -> None:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)  # Fri 08:00 CET
    async with berlin_recorded(db_url, start) as recorded:
        await manage(recorded, SCHEDULE.format(rrule=RRULE))
        [listed] = await manage(recorded, "/calendar list days:4")
    assert listed.text == "Calendar: the next 4 days (Europe/Berlin)"
    titles = ["Sat 2026-03-28", "Sun 2026-03-29", "Mon 2026-03-30", "Tue 2026-03-31", "Paused"]
    assert [s.title for s in listed.message.sections] == titles
    small = "[article] #general — Small (RRULE:FREQ=DAILY;BYHOUR=1,2,3…)"
    night = "#5 [announcement] #announcements — Night (30 2 * * *)"
    assert listed.section("Sat 2026-03-28").text.splitlines() == [
        f"01:45 #6 {small}",
        f"02:30 {night}",
        f"02:45 #6 {small}",
        f"03:45 #6 {small}",
        "09:00 #1 [article] #announcements — Daily (daily)",
    ]
    assert listed.section("Sun 2026-03-29").text.splitlines() == [
        f"01:45 #6 {small}",
        f"03:30 {night}",  # 02:30 does not exist: it goes out an hour later
        f"03:45 #6 {small}",  # 02:45 goes out at 03:45 too: once
        "09:00 #1 [article] #announcements — Daily (daily)",
        "10:00 #2 [discussion] #general — Weekly (weekly)",
    ]
    assert listed.section("Mon 2026-03-30").text.splitlines() == [
        f"01:45 #6 {small}",
        f"02:30 {night}",
        f"02:45 #6 {small}",
        f"03:45 #6 {small}",
        "08:00 #3 [event] #general — Weekdays (weekdays)",
        "09:00 #1 [article] #announcements — Daily (daily)",
    ]
    assert listed.section("Paused").text == "#4 [video] #general — Monthly"


async def test_the_agenda_keeps_local_times_when_the_clocks_go_back(db_url: str) -> None:
    start = datetime(2026, 10, 23, 7, 0, tzinfo=UTC)  # Fri 09:00 CEST
    async with berlin_recorded(db_url, start) as recorded:
        await manage(recorded, SCHEDULE.format(rrule=RRULE))
        [listed] = await manage(recorded, "/calendar list days:3 channel:announcements")
    assert listed.text == "Calendar in #announcements: the next 3 days (Europe/Berlin)"
    night = "02:30 #5 [announcement] #announcements — Night (30 2 * * *)"
    daily = "09:00 #1 [article] #announcements — Daily (daily)"
    titles = ["Sat 2026-10-24", "Sun 2026-10-25", "Mon 2026-10-26"]
    assert [s.title for s in listed.message.sections] == titles
    assert listed.section("Sun 2026-10-25").text == f"{night}\n{daily}"  # 02:30 comes twice
    assert listed.section("Mon 2026-10-26").text == night


# ---- cut to one message --------------------------------------------------------------------
def _listing(posts: int, paused: int) -> Listing:
    start = datetime(2026, 3, 27, 7, 0, tzinfo=UTC)
    rows = [_post(n, start + timedelta(hours=n)) for n in range(1, posts + paused + 1)]
    entries = sorted(
        ((at, post) for post in rows[:posts] for at in islice(post.schedule().iterate(start), 9)),
        key=lambda entry: (entry[0], entry[1].id),
    )
    skipped = {(post.id, at) for at, post in entries[::4]}
    return Listing(entries, skipped, rows[posts:])


def _post(n: int, at: datetime) -> AgendaPost:
    """Post `n`, daily or weekly from `at`, with headlines of many lengths."""
    title, rule = f"Post {n} " + "x" * (n * 7 % 50), "daily" if n % 2 else "weekly"
    channel = (f"c{n % 3}", f"channel-{n % 3}")
    return AgendaPost(
        n, "console", *channel, "article", title, "Body", rule, "Europe/Berlin", at, at
    )


def _lines_of(message: Message) -> list[tuple[str, str]]:
    """The (day, line) of each entry a message shows."""
    days = [s for s in message.sections if s.title and s.title != "Paused"]
    return [(s.title, line) for s in days for line in s.text.splitlines()]


def _with_lines(message: Message, lines: list[tuple[str, str]], cut: Section | None) -> Message:
    """`message` showing `lines` (and `cut`, the hint that there is more) instead."""
    titles = dict.fromkeys(day for day, _ in lines)
    days = [
        Section(title=day, text="\n".join(line for on, line in lines if on == day))
        for day in titles
    ]
    rest = [s for s in message.sections if s.title == "Paused" or s.text.startswith("Nothing")]
    return Message(text=message.text, sections=(*days, *([cut] if cut else []), *rest))


LIMITS = [
    *(Capabilities(message_length=length) for length in range(40, 2400, 9)),
    *(Capabilities(section_text_length=length) for length in range(0, 700, 5)),
    *(Capabilities(sections_per_message=sections) for sections in range(12)),
    Capabilities(message_length=10_000, section_text_length=10_000, sections_per_message=50),
]


@pytest.mark.parametrize(("posts", "paused"), [(3, 0), (8, 2), (12, 14), (0, 3)])
def test_the_agenda_shows_the_most_entries_that_fit(posts: int, paused: int) -> None:
    """Whatever the platform's limits, as many entries as fit: one more would not."""
    listing = _listing(posts, paused)
    everything = agenda(listing, BERLIN, View(30, Capabilities(10**6, 10**6, 10**6)))
    every = _lines_of(everything)
    hint = Section(text="… and more; ask for fewer days (days:15) or one channel.")
    for limits in LIMITS:
        listed = agenda(listing, BERLIN, View(30, limits))
        shown = _lines_of(listed)
        assert shown == every[: len(shown)]
        if len(shown) < len(every):
            assert listed.sections[len({day for day, _ in shown})] == hint
            assert fits(listed, limits) or not shown
            assert not fits(_with_lines(everything, every[: len(shown) + 1], hint), limits)
        else:
            assert listed == everything
    if not posts:
        assert "Nothing scheduled. Add a post with /calendar add." in everything.plain_text()


# ---- a rule's occurrences, one after the other -----------------------------------------------
RULES = ["daily", "weekly", "weekdays", "monthly", RRULE, "RRULE:FREQ=WEEKLY;BYDAY=SU;COUNT=3"]
STARTS = ["2026-03-28T02:30", "2026-03-29T01:15", "2026-10-25T02:30", "2026-10-24T03:00"]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("local", STARTS)
def test_iterating_a_rule_finds_what_asking_for_the_next_one_finds(rule: str, local: str) -> None:
    schedule = Schedule(rule, datetime.fromisoformat(local).replace(tzinfo=BERLIN), BERLIN)
    for since in (schedule.start, schedule.start + timedelta(hours=20, minutes=30)):
        one_by_one, at = [], schedule.first_from(since)
        while at is not None and len(one_by_one) < 40:
            one_by_one.append(at)
            at = schedule.after(at)
        assert list(islice(schedule.iterate(since), 40)) == one_by_one
