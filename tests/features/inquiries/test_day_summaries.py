"""The stats read whole UTC days from kept summaries: what a manager sees is still exactly the
plain count after a summary was made and one of that day's questions was then asked (from
history), answered, dismissed or forgotten; for windows whose edges fall mid-day and mid-hour;
and in zones half an hour off UTC."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete

from bot.features.inquiries import ledger
from bot.features.inquiries.privacy import forget_member
from bot.features.inquiries.stats import inquiry_stats, stats_between
from bot.features.inquiries.store import DISMISSED, Inquiry
from bot.store.database import Store
from tests.features.inquiries.test_stats_figures import (
    KEEP,
    ask,
    between,
    history,
    last,
    members,
    plain,
    shown,
    stored,
)

NOW = datetime(2026, 4, 26, 13, 37, 12, 345678, tzinfo=UTC)  # mid-day, mid-hour
ZONES = ("UTC", "Asia/Kolkata", "Australia/Adelaide", "America/St_Johns")


@pytest.fixture
def store(any_db_url: str):
    opened = Store.open(any_db_url)
    yield opened
    opened.close()


def figures(store: Store, now: datetime = NOW, days: int = 10, zone: str = "UTC") -> dict:
    return shown(store.call(inquiry_stats, now, days, ZoneInfo(zone)))


def counted(store: Store, now: datetime = NOW, days: int = 10, zone: str = "UTC") -> dict:
    return plain(stored(store), last(now, days), now, ZoneInfo(zone))


def seeded(store: Store) -> None:
    store.call(history, NOW - timedelta(days=14), 14, 300, 21)


def a_question(store: Store, day: int, **where) -> Inquiry:
    """A question asked on the day `day` days before NOW's, found by `where`."""
    date = (NOW - timedelta(days=day)).date()
    rows = [r for r in stored(store) if r.asked_at.date() == date]
    return next(r for r in rows if all(getattr(r, k) == v for k, v in where.items()))


def test_a_whole_day_is_read_from_its_summary_once_made(store: Store) -> None:
    seeded(store)
    before = figures(store)
    assert before == counted(store)
    day = (NOW - timedelta(days=5)).date()
    start = datetime.combine(day, datetime.min.time(), UTC)
    gone = Inquiry.asked_at >= start, Inquiry.asked_at < start + timedelta(days=1)
    store.call(lambda s: s.execute(delete(Inquiry).where(*gone)))  # behind the writers' back
    assert figures(store) == before  # the day's summary, not its (deleted) rows
    assert counted(store) != before


@pytest.mark.parametrize(
    "change", ["asked", "answered", "answered yesterday", "manager", "dismissed", "forgotten"]
)
def test_a_change_to_a_summarised_day_shows_at_once(store: Store, change: str) -> None:
    seeded(store)
    for zone in ZONES:  # the summaries are made (and each zone's hours read from them)
        assert figures(store, zone=zone) == counted(store, zone=zone)
    before = figures(store)
    if change == "asked":  # found in history: a question of a past day
        store.call(ask, 999, NOW - timedelta(days=4, hours=3), "help", 5)
    elif change.startswith("answered"):  # of a day in the kept span, or yesterday (alone)
        waiting = a_question(store, 1 if "yesterday" in change else 4, status="waiting")
        at = waiting.asked_at + timedelta(minutes=17)
        store.call(ledger.record_response, waiting.id, 7, False, at, KEEP)
    elif change == "manager":  # a manager's later word on a question a member answered
        answered = a_question(store, 6, status="answered", first_manager_response_at=None)
        at = answered.first_response_at + timedelta(hours=2)
        store.call(ledger.record_response, answered.id, 1, True, at, KEEP)
    elif change == "dismissed":
        answered = a_question(store, 3, status="answered")
        store.call(ledger.close, answered.id, DISMISSED, 2, NOW, KEEP)
    else:
        asker = a_question(store, 2, status="waiting").member_id
        store.call(forget_member, asker)
    after = figures(store)
    assert after != before
    assert after == counted(store)
    for zone in ZONES:
        assert figures(store, zone=zone) == counted(store, zone=zone)


def edge_questions(store: Store, now: datetime, days: int) -> None:
    """Questions right at a window's edges, and at the UTC midnights and hours near them."""
    store.call(members, 12)
    after = now - timedelta(days=days)
    tick = timedelta(microseconds=1)
    times = [after - tick, after, after + tick, now - tick, now, now + tick]
    for edge in (after, now):
        midnight = edge.replace(hour=0, minute=0, second=0, microsecond=0)
        hour = edge.replace(minute=0, second=0, microsecond=0)
        for at in (midnight, midnight + timedelta(days=1), hour, hour + timedelta(hours=1)):
            times += [at - tick, at, at + tick]
    rng = random.Random(4)
    for n, at in enumerate(sorted(set(times))):  # (two channels' first at once: a tie)
        inquiry_id = store.call(ask, n, at, rng.choice(("help", "dev")), rng.randint(3, 12))
        if n % 3:
            first = at + timedelta(seconds=rng.uniform(1, 5000))
            store.call(ledger.record_response, inquiry_id, 1 + n % 2, n % 2 == 1, first, KEEP)


@pytest.mark.parametrize(
    "now",
    [
        NOW,
        NOW.replace(minute=0, second=0, microsecond=0),  # on the hour
        NOW.replace(hour=0, minute=0, second=0, microsecond=0),  # at midnight
        NOW.replace(hour=23, minute=59, second=59, microsecond=999999),
    ],
)
def test_windows_whose_edges_fall_mid_day(store: Store, now: datetime) -> None:
    edge_questions(store, now, 3)
    for days in (1, 2, 3):
        for zone in ZONES:
            for _ in range(2):  # making the summaries, then reading them
                assert figures(store, now, days, zone) == counted(store, now, days, zone)


def test_a_digest_week_from_a_mid_day_start(store: Store) -> None:
    seeded(store)
    since = NOW - timedelta(days=9, hours=5, minutes=1)
    until = since + timedelta(weeks=1)
    rows = stored(store)
    for zone in map(ZoneInfo, ZONES):
        for _ in range(2):
            got = store.call(stats_between, since, until, NOW, zone)
            assert shown(got) == plain(rows, between(since, until), NOW, zone)


def test_zones_half_an_hour_off_utc_count_each_hour_of_the_day(store: Store) -> None:
    # 18:29:59.999999 UTC is 23:59 in Kolkata (UTC+5:30), 18:30 is 00:00 the next day
    store.call(members, 4)
    at = [datetime(2026, 4, day, 18, 30, tzinfo=UTC) for day in (20, 21, 22)]
    tick = timedelta(microseconds=1)
    for n, moment in enumerate(m for a in at for m in (a - tick, a, a + timedelta(minutes=29))):
        store.call(ask, n, moment, "help", 3)
    kolkata = ZoneInfo("Asia/Kolkata")
    for _ in range(2):
        got = store.call(inquiry_stats, NOW, 10, kolkata)
        assert {hour: group.asked for hour, group in got.hours.items()} == {23: 3, 0: 6}
        assert shown(got) == counted(store, zone="Asia/Kolkata")
