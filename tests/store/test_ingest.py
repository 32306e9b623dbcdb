"""Ingest: bursts in few transactions, members made in bulk, reactions once, times coalesced."""

import asyncio
import sqlite3
from datetime import timedelta

from sqlalchemy import select

from bot.core.directory import Directory
from bot.core.events import (
    ChannelRef,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.core.interaction_log import InteractionLog
from bot.store.database import Store
from bot.store.models import Interaction, Member
from tests.conftest import START

GENERAL = ChannelRef("discord", "c1", "general")


def member(n: int) -> MemberRef:
    return MemberRef("discord", f"u{n}", f"member{n}")


def said(n: int, by: int, seconds: float | None = None) -> MessagePosted:
    at = START + timedelta(seconds=n if seconds is None else seconds)
    return MessagePosted(
        event_id=f"e{n}", member=member(by), channel=GENERAL, at=at, message_id=f"m{n}", text="hi"
    )


def reaction(n: int, by: int, emoji: str, added: bool = True) -> ReactionAdded | ReactionRemoved:
    kind = ReactionAdded if added else ReactionRemoved
    return kind(
        event_id=f"r{n}",
        member=member(by),
        channel=GENERAL,
        at=START + timedelta(seconds=100 + n),
        message_id="m0",
        emoji=emoji,
        message_author=member(0),
    )


async def open_log(url: str) -> tuple[Store, InteractionLog]:
    store = Store.open(url)
    log = InteractionLog(store, Directory())
    log.start()
    return store, log


def members(store: Store) -> dict[str, Member]:
    return store.call(lambda s: {m.name: m for m in s.exec(select(Member)).scalars()})


def kinds(store: Store) -> list[tuple[str, str | None, bool]]:
    query = select(Interaction.kind, Interaction.detail, Interaction.removed_at.is_not(None))
    return store.call(lambda s: [tuple(r) for r in s.execute(query.order_by(Interaction.id))])


async def test_a_burst_is_recorded_in_order_in_few_transactions(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    burst = [said(n, by=n % 300) for n in range(5000)] + [said(7, by=7)]  # one repeat
    fresh = await log.record_many(burst)
    await log.stop()
    assert fresh == [True] * 5000 + [False]
    assert log.batches_written <= 3  # 2,000 events a transaction
    assert len(members(store)) == 300  # each member made once, in bulk
    assert len(kinds(store)) == 5000
    store.close()


async def test_a_new_member_is_first_seen_at_their_earliest_event(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record_many([said(2, by=1), said(1, by=1), said(3, by=2)])
    await log.stop()
    first = members(store)["member1"]
    assert (first.first_seen_at, first.last_seen_at) == (
        START + timedelta(seconds=1),
        START + timedelta(seconds=2),
    )
    store.close()


async def test_last_seen_is_coalesced_while_running_and_exact_after_a_stop(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(0, by=1, seconds=0))
    await log.record(said(1, by=1, seconds=30))  # within the minute: held back for now
    assert members(store)["member1"].last_seen_at == START
    await log.record(said(2, by=1, seconds=95))  # more than a minute on: written at once
    assert members(store)["member1"].last_seen_at == START + timedelta(seconds=95)
    await log.record(said(3, by=1, seconds=100))
    await log.stop()
    assert members(store)["member1"].last_seen_at == START + timedelta(seconds=100)
    store.close()


async def test_a_known_member_seen_once_is_written_by_a_clean_stop(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(0, by=1, seconds=0))
    await log.stop()
    store.close()
    store, log = await open_log(any_db_url)  # a new process: member1 is stored already
    await log.record(said(1, by=1, seconds=30))
    assert members(store)["member1"].last_seen_at == START  # held back, within the minute
    await log.stop()
    assert members(store)["member1"].last_seen_at == START + timedelta(seconds=30)
    store.close()


async def test_joins_and_leaves_in_one_batch_leave_the_last_word(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    at = {"channel": GENERAL}
    await log.record_many(
        [
            MemberLeft(event_id="l1", member=member(1), at=START, **at),
            MemberJoined(event_id="j1", member=member(1), at=START + timedelta(hours=1), **at),
            MemberJoined(event_id="j2", member=member(2), at=START, **at),
            MemberLeft(event_id="l2", member=member(2), at=START + timedelta(hours=2), **at),
        ]
    )
    await log.stop()
    one, two = members(store)["member1"], members(store)["member2"]
    assert (one.joined_at, one.left_at) == (START + timedelta(hours=1), None)
    assert (two.joined_at, two.left_at) == (START, START + timedelta(hours=2))
    store.close()


async def test_a_reaction_is_recorded_once_until_taken_back(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(0, by=0))
    assert await log.record(reaction(1, by=1, emoji="👍")) is True
    assert await log.record(reaction(2, by=1, emoji="👍")) is False  # already there
    assert await log.record(reaction(3, by=2, emoji="👍")) is True  # someone else's
    assert await log.record(reaction(4, by=1, emoji="👍", added=False)) is True
    assert await log.record(reaction(5, by=1, emoji="👍")) is True  # given again
    await log.stop()
    assert kinds(store) == [
        ("message", None, False),
        ("reaction_added", "👍", True),  # taken back
        ("reaction_added", "👍", False),
        ("reaction_removed", "👍", False),
        ("reaction_added", "👍", False),
    ]
    store.close()


async def test_reactions_within_one_batch_are_decided_in_order(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(0, by=0))
    fresh = await log.record_many(
        [
            reaction(1, by=1, emoji="🎉"),
            reaction(2, by=1, emoji="🎉"),
            reaction(3, by=1, emoji="🎉", added=False),
            reaction(4, by=1, emoji="🎉", added=False),  # nothing left to take back
            reaction(3, by=1, emoji="🎉", added=False),  # the platform sent it twice
        ]
    )
    await log.stop()
    assert fresh == [True, False, True, True, False]
    assert kinds(store)[1:] == [
        ("reaction_added", "🎉", True),
        ("reaction_removed", "🎉", False),
        ("reaction_removed", "🎉", False),
    ]
    store.close()


async def test_a_redelivered_removal_does_not_take_back_a_later_reaction(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(0, by=0))
    await log.record(reaction(1, by=1, emoji="👍"))
    await log.record(reaction(2, by=1, emoji="👍", added=False))
    await log.record(reaction(3, by=1, emoji="👍"))
    assert await log.record(reaction(2, by=1, emoji="👍", added=False)) is False
    await log.stop()
    assert kinds(store)[-1] == ("reaction_added", "👍", False)
    store.close()


async def test_a_lone_event_is_committed_when_record_returns(db_url: str) -> None:
    store, log = await open_log(db_url)
    for n in range(3):
        assert await log.record(said(n, by=1)) is True
        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as other:  # another process
            assert other.execute("SELECT count(*) FROM interaction").fetchone() == (n + 1,)
    await log.stop()
    store.close()


async def test_a_lone_event_waits_for_a_busy_database_off_the_event_loop(db_url: str) -> None:
    store, log = await open_log(db_url)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    recording = asyncio.ensure_future(log.record(said(1, by=1)))
    for _ in range(20):
        await asyncio.sleep(0)  # the loop keeps running meanwhile (yields, not waiting on time)
    assert not recording.done()
    other.execute("COMMIT")
    assert await recording is True
    await log.stop()
    assert len(kinds(store)) == 1
    other.close()
    store.close()


async def test_a_member_erased_meanwhile_is_made_again_by_their_next_act(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    await log.record(said(1, by=1))
    erase = Member.__table__.delete().where(Member.__table__.c.name == "member1")
    store.call(lambda s: (s.execute(Interaction.__table__.delete()), s.execute(erase)))
    assert await log.record(said(2, by=1)) is True  # the cached id is gone: made afresh
    await log.stop()
    assert list(members(store)) == ["member1"]
    store.close()
