"""The week's activity: events recorded through the real interaction log, and every figure
checked against a plain Python count of the rows it wrote, in the community's zone."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.core.events import MemberRef
from bot.features.digest.activity import activity_figures
from bot.features.digest.figures import ActivityFigures, ChannelActivity
from bot.features.digest.hourly import local_hours
from bot.features.digest.weeks import Week
from bot.features.member_stats import ENGAGING
from bot.store.database import Store
from bot.store.models import Channel, Interaction, Member
from tests.features.digest.logged_events import (
    GENERAL,
    HELP,
    MANAGERS,
    Events,
    P,
    counted_at,
    recorded_store,
)

BERLIN = ZoneInfo("Europe/Berlin")  # summer time from Sunday 29 March 2026, 01:00 UTC
UTC_ZONE = ZoneInfo("UTC")
KOLKATA = ZoneInfo("Asia/Kolkata")  # UTC+5:30: local midnight is half past a UTC hour
ANN, BOB, CAI = (MemberRef(P, f"u{n}", name) for n, name in enumerate(("ann", "bob", "cai")))
ROBOT = MemberRef(P, "b1", "robot", is_bot=True)


# ---- the independent count ----------------------------------------------------------------
def expected(store: Store, start: datetime, end: datetime, zone: ZoneInfo) -> ActivityFigures:
    """The week's activity counted in Python over every row, read back plainly."""
    with store.session() as session:
        members = {m.id: m for m in session.exec(select(Member))}
        channels = {c.id: c for c in session.exec(select(Channel))}
        rows = list(session.exec(select(Interaction)))
    counted = [
        row
        for row in rows
        if start <= row.created_at < end
        and row.kind in ENGAGING
        and row.removed_at is None
        and not members[row.member_id].is_bot
        and not (row.channel_id and channels[row.channel_id].is_admin)
    ]
    monday = start.astimezone(zone).date()
    by_day, by_hour, active = [0] * 7, [0] * 24, defaultdict(set)
    per_channel: dict[int, Counter] = defaultdict(Counter)
    for row in counted:
        local = row.created_at.astimezone(zone)
        by_day[(local.date() - monday).days] += 1
        by_hour[local.hour] += 1
        if counted_at(members[row.member_id], end):
            active[(local.date() - monday).days].add(row.member_id)
        if row.channel_id:
            per_channel[row.channel_id][row.kind] += 1
    kinds = Counter(row.kind for row in counted)
    votes = [r for r in counted if r.kind == "button" and r.detail.startswith("poll:vote:")]
    listed = [
        ChannelActivity(
            platform=channels[id_].platform,
            channel_id=channels[id_].platform_channel_id,
            name=channels[id_].name,
            messages=kinds_in["message"],
            replies=kinds_in["reply"],
            reactions=kinds_in["reaction_added"],
            total=sum(kinds_in.values()),
        )
        for id_, kinds_in in per_channel.items()
    ]
    return ActivityFigures(
        messages=kinds["message"],
        replies=kinds["reply"],
        reactions=kinds["reaction_added"],
        shares=kinds["message_shared"],
        votes=len(votes),
        interactions=len(counted),
        channels=tuple(sorted(listed, key=lambda c: (-c.total, c.name))),
        by_day=tuple(by_day),
        active_by_day=tuple(len(active[d]) for d in range(7)),
        by_hour=tuple(by_hour),
    )


# ---- a busy, mixed community --------------------------------------------------------------
def busy_weeks(week: Week, zone: ZoneInfo, seed: int) -> Events:
    """Three weeks around `week` of every kind of event, a good part at the edges of days."""
    rng = random.Random(seed)
    start, end = week.bounds(zone)
    people = [MemberRef(P, f"m{n}", f"member{n}") for n in range(12)] + [ROBOT]
    places = [GENERAL, HELP, MANAGERS]
    edges = [start, end, end - timedelta(microseconds=1)] + [
        hour.start + timedelta(seconds=s) for hour in local_hours(start, end, zone) for s in (0, -1)
    ]
    events, said = Events(), []
    for n in range(300):
        if rng.random() < 0.4:
            at = rng.choice(edges)
        else:
            at = start + timedelta(seconds=rng.uniform(-7, 14) * 86_400)
        who, where = rng.choice(people), rng.choice(places)
        draw = rng.random()
        if draw < 0.35 or not said:
            said.append(events.say(who, at, where))
        elif draw < 0.5:
            events.reply(who, at, rng.choice(said), where)
        elif draw < 0.7:
            to = rng.choice(said)
            events.react(who, at, to, emoji=f"e{n}", where=where)
            if rng.random() < 0.3:
                events.unreact(who, at + timedelta(minutes=5), to, emoji=f"e{n}", where=where)
        elif draw < 0.8:
            events.click(who, at, rng.choice(("poll:vote:3:1", "contest:enter:2")), where)
        elif draw < 0.85:
            events.share(who, at, where)
        else:
            events.other(who, at, rng.choice(("join", "leave", "delete", "command")), where)
    return events


@pytest.mark.parametrize(
    ("week", "zone"),
    [(Week(2026, 13), BERLIN), (Week(2026, 10), KOLKATA)],
    ids=["berlin-spring-forward", "kolkata"],
)
async def test_every_figure_matches_a_plain_count(any_db_url: str, week: Week, zone) -> None:
    store = await recorded_store(any_db_url, busy_weeks(week, zone, seed=week.number))
    for w in (week.shifted(-1), week, week.shifted(1)):
        start, end = w.bounds(zone)
        found = store.call(activity_figures, start, end, zone)
        assert found == expected(store, start, end, zone)
        if w == week:  # busy: the comparison compared something
            assert found.interactions > 60 and len(found.channels) == 2
    store.close()


# ---- what a reader would check by hand ----------------------------------------------------
def local(zone: ZoneInfo, day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


async def test_the_last_minute_of_sunday_is_in_the_week_midnight_is_not(any_db_url) -> None:
    events = Events()
    events.say(ANN, local(KOLKATA, 2, 0))  # Monday 00:00: the week's first minute
    events.say(ANN, local(KOLKATA, 8, 23, 59))  # Sunday 23:59
    events.say(BOB, local(KOLKATA, 9, 0))  # the next Monday 00:00: the week after
    store = await recorded_store(any_db_url, events)
    start, end = Week(2026, 10).bounds(KOLKATA)
    found = store.call(activity_figures, start, end, KOLKATA)
    assert (found.messages, found.by_day, found.active_by_day) == (
        2,
        (1, 0, 0, 0, 0, 0, 1),
        (1, 0, 0, 0, 0, 0, 1),
    )
    assert (found.by_hour[0], found.by_hour[23], found.busiest_day) == (1, 1, 0)
    after = store.call(activity_figures, *Week(2026, 11).bounds(KOLKATA), KOLKATA)
    assert (after.messages, after.by_day[0], after.by_hour[0]) == (1, 1, 1)
    store.close()


async def test_the_days_of_a_daylight_saving_change_keep_their_local_hours(any_db_url) -> None:
    def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, month, day, hour, minute, tzinfo=UTC)

    def hours(found: ActivityFigures) -> dict[int, int]:
        return {hour: n for hour, n in enumerate(found.by_hour) if n}

    events = Events()
    events.say(ANN, utc(3, 29, 0, 59))  # Sunday 01:59 CET
    events.say(ANN, utc(3, 29, 1, 0))  # 03:00 CEST: 02:00 never was
    events.say(BOB, utc(3, 29, 21, 59))  # 23:59 CEST, the week's last minute
    events.say(BOB, utc(3, 29, 22, 0))  # Monday 30 March 00:00: the week after
    events.say(CAI, utc(10, 25, 0, 30))  # Sunday 02:30 CEST
    events.say(CAI, utc(10, 25, 1, 30))  # 02:30 CET, an hour later
    events.say(CAI, utc(10, 25, 22, 59))  # 23:59 CET
    store = await recorded_store(any_db_url, events)
    spring = store.call(activity_figures, *Week(2026, 13).bounds(BERLIN), BERLIN)
    assert (spring.by_day, spring.active_by_day[6]) == ((0, 0, 0, 0, 0, 0, 3), 2)
    assert hours(spring) == {1: 1, 3: 1, 23: 1}
    autumn = store.call(activity_figures, *Week(2026, 43).bounds(BERLIN), BERLIN)
    assert (autumn.by_day, hours(autumn)) == ((0, 0, 0, 0, 0, 0, 3), {2: 2, 23: 1})
    store.close()


async def test_bots_the_managers_channel_and_reactions_taken_back_are_left_out(
    any_db_url: str,
) -> None:
    events, at = Events(), local(UTC_ZONE, 3, 12)
    post = events.say(ANN, at)
    events.say(ROBOT, at)
    events.react(ROBOT, at, post)
    events.say(BOB, at, MANAGERS)
    events.react(BOB, at, post, where=MANAGERS)
    events.react(CAI, at, post)
    events.react(BOB, at, post, emoji="🎉")
    events.unreact(BOB, at + timedelta(hours=1), post, emoji="🎉")  # taken back
    events.reply(BOB, at, post)
    events.click(BOB, at, "poll:vote:7:0")
    events.click(CAI, at, "poll:vote:7:1")
    events.click(CAI, at, "contest:enter:1")  # a button, not a vote
    events.share(CAI, at, HELP)
    events.other(CAI, at, "join")  # not an interaction
    events.other(CAI, at, "command", HELP)
    store = await recorded_store(any_db_url, events)
    found = store.call(activity_figures, *Week(2026, 10).bounds(UTC_ZONE), UTC_ZONE)
    assert found == ActivityFigures(
        messages=1,
        replies=1,
        reactions=1,
        shares=1,
        votes=2,
        interactions=8,  # and a command and a contest's button
        channels=(
            ChannelActivity(P, "c1", "general", messages=1, replies=1, reactions=1, total=6),
            ChannelActivity(P, "c2", "help", total=2),
        ),
        by_day=(0, 8, 0, 0, 0, 0, 0),
        active_by_day=(0, 3, 0, 0, 0, 0, 0),
        by_hour=(0,) * 12 + (8,) + (0,) * 11,
    )
    store.close()


async def test_an_empty_store_has_no_activity_and_no_busiest_day(any_db_url: str) -> None:
    store = Store.open(any_db_url, migrate=False)
    found = store.call(activity_figures, *Week(2026, 13).bounds(BERLIN), BERLIN)
    assert found == ActivityFigures()
    assert (found.busiest_day, found.busiest_hour) == (None, None)
    store.close()


async def test_a_community_of_one(any_db_url: str) -> None:
    events = Events()
    first = events.say(ANN, local(BERLIN, 25, 18, 30))  # Wednesday
    events.reply(ANN, local(BERLIN, 25, 18, 45), first)
    events.react(ANN, local(BERLIN, 27, 9, 5), first)  # Friday
    store = await recorded_store(any_db_url, events)
    found = store.call(activity_figures, *Week(2026, 13).bounds(BERLIN), BERLIN)
    assert (found.messages, found.replies, found.reactions, found.interactions) == (1, 1, 1, 3)
    assert (found.by_day, found.active_by_day) == ((0, 0, 2, 0, 1, 0, 0), (0, 0, 1, 0, 1, 0, 0))
    assert (found.busiest_day, found.busiest_hour) == (2, 18)
    assert [(c.name, c.total) for c in found.channels] == [("general", 3)]
    store.close()


def test_local_hours_cover_the_week_once_each_hour_of_the_clock() -> None:
    def spans(week: Week, zone: ZoneInfo) -> Iterator[tuple[int, int, float]]:
        for hour in local_hours(*week.bounds(zone), zone):
            yield hour.day, hour.hour, (hour.end - hour.start).total_seconds() / 3600

    spring = list(spans(Week(2026, 13), BERLIN))
    assert len(spring) == 167 and (6, 2, 1.0) not in spring
    autumn = list(spans(Week(2026, 43), BERLIN))
    assert len(autumn) == 168 and (6, 2, 2.0) in autumn  # 02:00 came twice
    assert {(d, h) for d, h, _ in spans(Week(2026, 10), KOLKATA)} == {
        (d, h) for d in range(7) for h in range(24)
    }
