"""`/inquiries stats` and the digest's week equal a plain count of the stored questions, on
SQLite and PostgreSQL: after every way a question is opened, answered, closed or forgotten, in
time zones whose offset changes within the window or is not a whole number of hours (and, in
1972, not even of quarter hours), and for questions stored before their response times were
kept as columns (the migration computes them).

The plain count reads every question's stored times and groups them one by one, as the
command did before it read its indexes; it shares no code with the command."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from bot.features.inquiries import ledger, local_hours
from bot.features.inquiries.privacy import forget_member
from bot.features.inquiries.stats import InquiryStats, inquiry_stats, percentile, stats_between
from bot.features.inquiries.store import DISMISSED, RESOLVED, WAITING, Inquiry
from bot.store.database import Store, alembic_config, connect, upgrade
from bot.store.models import Member, UTCDateTime

P = "discord"
KEEP = timedelta(days=90)
SLA = timedelta(hours=1)
BEGIN = datetime(2026, 3, 1, tzinfo=UTC)  # four weeks either side of Europe's change to DST
NOW = datetime(2026, 4, 26, 12, tzinfo=UTC)
MANAGERS = (1, 2)  # member row ids
ZONES = ("UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata", "Asia/Kathmandu")


# ---- the plain count ----------------------------------------------------------------------
def ranked(values: list[float], fraction: float) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    rank = fraction * (len(ordered) - 1)
    low, high = int(rank), min(int(rank) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def plain(rows: list[Inquiry], inside: Callable[[datetime], bool], now: datetime, zone) -> dict:
    """The figures counted question by question, oldest first."""
    total: dict = {"asked": 0, "by_members": 0, "waiting": 0, "overdue": 0, "m": [], "f": []}
    channels: dict[str, dict] = {}
    hours: dict[int, dict] = {}
    dismissed = 0
    for row in sorted((r for r in rows if inside(r.asked_at)), key=lambda r: (r.asked_at, r.id)):
        if row.status == DISMISSED:
            dismissed += 1
            continue
        hour = row.asked_at.astimezone(zone).hour
        for group in (
            total,
            channels.setdefault(row.home_channel_id, {"asked": 0, "f": []}),
            hours.setdefault(hour, {"asked": 0, "f": []}),
        ):
            group["asked"] += 1
            if row.first_response_at is not None:
                group["f"].append((row.first_response_at - row.asked_at).total_seconds())
        if row.first_response_at is not None:
            total["by_members"] += not row.first_response_by_manager
        elif row.status == WAITING:
            total["waiting"] += 1
            total["overdue"] += row.sla_due_at <= now
        if row.first_manager_response_at is not None:
            total["m"].append((row.first_manager_response_at - row.asked_at).total_seconds())
    return {
        "total": (
            total["asked"],
            len(total["f"]),
            total["by_members"],
            total["waiting"],
            total["overdue"],
            *(ranked(total[key], f) for key in ("f", "m") for f in (0.5, 0.9)),
        ),
        "channels": [(c, *summed(g)) for c, g in channels.items()],
        "hours": [(h, *summed(g)) for h, g in sorted(hours.items())],
        "dismissed": dismissed,
    }


def summed(group: dict) -> tuple:
    return group["asked"], len(group["f"]), ranked(group["f"], 0.5)


def shown(stats: InquiryStats) -> dict:
    """The same figures as the command has them."""
    total = stats.total
    return {
        "total": (
            total.asked,
            total.answered,
            total.by_members,
            total.waiting,
            total.overdue,
            *(percentile(times, f) for times in (total.first, total.manager) for f in (0.5, 0.9)),
        ),
        "channels": [
            (c, g.asked, g.answered, percentile(g.first, 0.5)) for c, g in stats.channels.items()
        ],
        "hours": [
            (h, g.asked, g.answered, percentile(g.first, 0.5)) for h, g in stats.hours.items()
        ],
        "dismissed": stats.dismissed,
    }


# ---- questions, the way the tracker stores them ---------------------------------------------
def members(session: Session, count: int) -> None:
    for n in range(1, count + 1):
        session.add(Member(id=n, platform=P, platform_user_id=f"U{n}", name=f"m{n}"))
    session.flush()


def ask(session: Session, n: int, at: datetime, channel: str, asker: int) -> int:
    thread = f"t{n}" if n % 4 == 0 else None  # asked in a thread: counted in its channel
    asked = ledger.Asked(
        platform=P,
        channel_id=thread or channel,
        home_channel_id=channel,
        thread_id=thread,
        message_id=f"q{n}",
        member_id=asker,
        source="channel",
        text=f"How do I do thing {n}?",
        at=at,
        sla_due_at=at + SLA,
        reminder_at=at + 2 * SLA,
    )
    inquiry_id = ledger.open_inquiry(session, asked)
    assert inquiry_id is not None
    return inquiry_id


def later(at: datetime, rng: random.Random, median: float) -> datetime:
    """`at` plus a skewed delay to the microsecond (seconds around `median`)."""
    return at + timedelta(seconds=rng.lognormvariate(0, 1.5) * median)


def history(session: Session, begin: datetime, days: int, count: int, seed: int = 7) -> None:
    """`count` questions over `days` days from `begin` in four channels, a few busier, each
    answered (or not) the way the tracker records it; some closed, some by forgotten askers."""
    rng = random.Random(seed)
    members(session, 40)
    for n in range(count):
        at = begin + timedelta(seconds=rng.uniform(0, days * 86400))
        channel = rng.choice(("help", "help", "help", "support", "support", "dev", "ops"))
        inquiry_id = ask(session, n, at, channel, rng.randint(3, 40))
        respond(session, rng, inquiry_id, at)
    forget_member(session, 40)  # their waiting questions are dismissed, the others stay


def respond(session: Session, rng: random.Random, inquiry_id: int, at: datetime) -> None:
    draw = rng.random()
    if draw < 0.05:
        ledger.close(session, inquiry_id, DISMISSED, MANAGERS[0], later(at, rng, 600), KEEP)
        return
    if draw < 0.2:
        return  # never answered: waiting (past the SLA, or not yet)
    by_manager = rng.random() < 0.25
    first = later(at, rng, 1200)
    responder = rng.choice(MANAGERS) if by_manager else rng.randint(3, 39)
    ledger.record_response(session, inquiry_id, responder, by_manager, first, KEEP)
    if not by_manager and rng.random() < 0.4:  # a manager's word later
        ledger.record_response(session, inquiry_id, 1, True, later(first, rng, 3600), KEEP)
    if rng.random() < 0.1:  # a second member's answer changes nothing
        ledger.record_response(session, inquiry_id, 39, False, later(first, rng, 60), KEEP)
    if rng.random() < 0.3:
        ledger.close(session, inquiry_id, RESOLVED, 2, later(first, rng, 7200), KEEP)
    elif rng.random() < 0.05:  # answered, then marked "not a question" after all
        ledger.close(session, inquiry_id, DISMISSED, 2, later(first, rng, 7200), KEEP)


def stored(store: Store) -> list[Inquiry]:
    return store.call(lambda s: list(s.exec(select(Inquiry))))


def last(now: datetime, days: int) -> Callable[[datetime], bool]:
    """The questions `/inquiries stats days:N` counts."""
    return lambda at: now - timedelta(days=days) < at <= now


def between(since: datetime, until: datetime) -> Callable[[datetime], bool]:
    """The questions a digest's week counts."""
    return lambda at: since <= at < until


# ---- the figures --------------------------------------------------------------------------
@pytest.fixture
def store(any_db_url: str):
    opened = Store.open(any_db_url)
    yield opened
    opened.close()


def test_the_figures_equal_a_plain_count_in_every_zone(store: Store) -> None:
    store.call(history, BEGIN, 56, 400)
    rows = stored(store)
    for zone in map(ZoneInfo, ZONES):
        for days in (1, 7, 30, 90):
            got = store.call(inquiry_stats, NOW - timedelta(days=5), days, zone)
            assert shown(got) == plain(rows, last(NOW - timedelta(days=5), days), NOW, zone)
        for week in range(8):  # the digest's weeks, as they stand at NOW
            since = BEGIN + timedelta(weeks=week)
            until = since + timedelta(weeks=1)
            got = store.call(stats_between, since, until, NOW, zone)
            assert shown(got) == plain(rows, between(since, until), NOW, zone)


def test_the_hours_follow_the_zone_across_its_change_to_summer_time(store: Store) -> None:
    # 08:30 UTC is 09:30 in Paris before 29 March 2026 and 10:30 after
    store.call(members, 2)
    for n, day in enumerate((27, 28, 30, 31)):
        at = datetime(2026, 3, day, 8, 30, 0, n, tzinfo=UTC)
        store.call(ask, n, at, "help", 2)
    paris = ZoneInfo("Europe/Paris")
    got = store.call(inquiry_stats, datetime(2026, 4, 1, tzinfo=UTC), 7, paris)
    assert {hour: group.asked for hour, group in got.hours.items()} == {9: 2, 10: 2}
    utc = store.call(inquiry_stats, datetime(2026, 4, 1, tzinfo=UTC), 7, ZoneInfo("UTC"))
    assert {hour: group.asked for hour, group in utc.hours.items()} == {8: 4}


def test_offsets_of_no_whole_quarter_hours_are_counted_question_by_question(
    store: Store,
) -> None:
    # Monrovia was 44 min 30 s behind UTC until 7 January 1972, then on UTC
    store.call(history, datetime(1971, 12, 25, tzinfo=UTC), 28, 150, 11)
    rows = stored(store)
    monrovia = ZoneInfo("Africa/Monrovia")
    since, until = datetime(1971, 12, 27, tzinfo=UTC), datetime(1972, 1, 17, tzinfo=UTC)
    got = store.call(stats_between, since, until, until, monrovia)
    assert shown(got) == plain(rows, between(since, until), until, monrovia)
    assert len(local_hours.pieces(monrovia, since, until)) == 2
    before = since - timedelta(days=3 * 365)  # before 1970: every question on its own
    got = store.call(stats_between, before, until, until, monrovia)
    assert shown(got) == plain(rows, between(before, until), until, monrovia)


def assert_kept_with_their_times(rows: list[Inquiry]) -> None:
    """Each question's quarter hour and response times are those of its stored times."""
    for row in rows:
        assert row.asked_quarter == row.asked_at.hour * 4 + row.asked_at.minute // 15
        for at, micros in (
            (row.first_response_at, row.first_response_us),
            (row.first_manager_response_at, row.first_manager_response_us),
        ):
            assert micros == (None if at is None else (at - row.asked_at) // timedelta(0, 0, 1))


def test_the_stored_response_times_follow_the_stored_times(store: Store) -> None:
    store.call(history, BEGIN, 10, 120, 3)
    rows = stored(store)
    assert sum(row.first_manager_response_us is not None for row in rows) > 20
    assert_kept_with_their_times(rows)


def test_a_zone_changes_its_offset_at_the_microsecond_it_does() -> None:
    paris = ZoneInfo("Europe/Paris")
    low, high = datetime(2026, 3, 20, 0, 0, 0, 17, tzinfo=UTC), datetime(2026, 4, 5, tzinfo=UTC)
    change = datetime(2026, 3, 29, 1, tzinfo=UTC)
    assert local_hours.pieces(paris, low, high) == [
        local_hours.Piece(low, change, 3600),
        local_hours.Piece(change, high, 7200),
    ]
    assert local_hours.pieces(paris, change, high) == [local_hours.Piece(change, high, 7200)]


# ---- the migration --------------------------------------------------------------------------
OLD_TEXTS = (
    "platform", "channel_id", "home_channel_id", "message_id", "line_ids", "member_id", "source",
    "status", "alerts_sent",
)  # fmt: skip
OLD_TIMES = (
    "asked_at", "last_line_at", "sla_due_at", "reminder_at", "first_response_at",
    "first_manager_response_at",
)  # fmt: skip
OLD = sa.table(  # the inquiry table as it was, its times written the way Steward writes them
    "inquiry",
    *(sa.column(name) for name in OLD_TEXTS),
    sa.column("first_response_by_manager", sa.Boolean()),
    *(sa.column(name, UTCDateTime()) for name in OLD_TIMES),
)


def old_row(n: int, asked: datetime, first: timedelta | None, manager: timedelta | None) -> dict:
    return {
        "platform": P,
        "channel_id": "help" if n % 3 else "support",
        "home_channel_id": "help" if n % 3 else "support",
        "message_id": f"q{n}",
        "line_ids": "",
        "member_id": None,
        "source": "channel",
        "status": WAITING if first is None else "answered",
        "alerts_sent": 0,
        "first_response_by_manager": None if first is None else manager == first,
        "asked_at": asked,
        "last_line_at": asked,
        "sla_due_at": asked + SLA,
        "reminder_at": asked + 2 * SLA,
        "first_response_at": None if first is None else asked + first,
        "first_manager_response_at": None if manager is None else asked + manager,
    }


def test_questions_stored_before_the_migration_get_their_figures(any_db_url: str) -> None:
    engine = connect(any_db_url)
    command.downgrade(alembic_config(engine), "0017_inquiries")
    try:
        rng = random.Random(5)
        with engine.begin() as conn:
            for n in range(60):
                asked = BEGIN + timedelta(seconds=rng.uniform(0, 10 * 86400))
                first = timedelta(seconds=rng.uniform(1, 9000)) if n % 5 else None
                manager = first if n % 4 == 0 else None
                if first is not None and n % 7 == 0:
                    manager = first + timedelta(microseconds=rng.randint(1, 10**10))
                conn.execute(sa.insert(OLD).values(old_row(n, asked, first, manager)))
    finally:
        upgrade(engine)  # as Steward starts
        engine.dispose()
    store = Store.open(any_db_url, migrate=False)
    rows = stored(store)
    assert len(rows) == 60
    assert_kept_with_their_times(rows)
    now = BEGIN + timedelta(days=10)
    for zone in (ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata")):
        got = store.call(inquiry_stats, now, 10, zone)
        assert shown(got) == plain(rows, last(now, 10), now, zone)
    store.close()
