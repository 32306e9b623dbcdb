"""The interaction tally (what a week's report reads instead of the week's rows) equals a
plain count of the log's standing rows after everything that writes the log: bursts and
single events, repeats, reactions taken back in the same batch or a later one, clicks,
threads, an erased member, the migration that made it, and a recount."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from sqlalchemy import text
from sqlmodel import select

from bot.core.directory import Directory
from bot.core.events import (
    ButtonPressed,
    ChannelRef,
    InboundEvent,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.interaction_log import InteractionLog
from bot.core.interaction_tally import refill
from bot.core.privacy import PrivacyRegistry
from bot.store.database import Store, alembic_config, connect, upgrade
from bot.store.models import Interaction, InteractionTally, Member
from tests.conftest import START

P = "discord"
ANN, BOB = MemberRef(P, "u1", "ann"), MemberRef(P, "u2", "bob")
GENERAL = ChannelRef(P, "c1", "general")
HELP = ChannelRef(P, "c2", "help")
THREAD = ChannelRef(P, "c2", "help", thread_id="t9")  # counted in its parent, #help


def plain_count(store: Store) -> Counter:
    """The log's standing rows by UTC quarter hour, channel row, kind and a click's action."""
    rows = store.call(lambda s: list(s.exec(select(Interaction))))
    return Counter(
        (
            int(row.created_at.timestamp()) // 900,
            row.channel_id or 0,
            row.kind,
            row.detail if row.kind == "button" else "",
        )
        for row in rows
        if row.removed_at is None
    )


def tally(store: Store) -> Counter:
    found = store.call(lambda s: list(s.exec(select(InteractionTally))))
    return Counter({(t.quarter, t.channel_id, t.kind, t.action): t.n for t in found if t.n})


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def said(n: int, who: MemberRef = ANN, where: ChannelRef = GENERAL, minute: float = 0):
    return MessagePosted(
        event_id=f"m{n}", member=who, channel=where, at=at(minute), message_id=f"m{n}", text="hi"
    )


def reaction(n: int, who: MemberRef, on: str, minute: float, emoji: str = "👍"):
    return ReactionAdded(
        event_id=f"r{n}", member=who, channel=GENERAL, at=at(minute), message_id=on, emoji=emoji
    )


def unreaction(n: int, who: MemberRef, on: str, minute: float, emoji: str = "👍"):
    return ReactionRemoved(
        event_id=f"x{n}", member=who, channel=GENERAL, at=at(minute), message_id=on, emoji=emoji
    )


def community() -> list[InboundEvent]:
    """An hour and a half of a small community, across quarter-hour boundaries."""
    events: list[InboundEvent] = [said(n, (ANN, BOB)[n % 2], minute=n * 3.5) for n in range(25)]
    events += [
        ReplyPosted(
            event_id=f"p{n}",
            member=BOB,
            channel=THREAD,
            at=at(14.99 + n),
            message_id=f"p{n}",
            parent_id="m1",
            text="same",
        )
        for n in range(4)
    ]
    events += [reaction(n, ANN, f"m{n}", 20 + n) for n in range(10)]
    events += [
        ButtonPressed(
            event_id=f"b{n}",
            member=(ANN, BOB)[n % 2],
            channel=HELP,
            at=at(44 + n),
            message_id="poll1",
            action_id=f"poll:vote:{n % 2 + 1}",
        )
        for n in range(6)
    ]
    return events


async def open_log(url: str) -> tuple[Store, InteractionLog]:
    store = Store.open(url)
    log = InteractionLog(store, Directory(), store_text=False)
    log.start()
    return store, log


async def test_bursts_repeats_and_reactions_taken_back_are_counted_as_the_log_holds(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    events = community()
    await asyncio.gather(*(log.record(event) for event in events))  # bursts
    for event in events[:5]:
        assert await log.record(event) is False  # a repeat adds nothing
    await log.record(unreaction(1, ANN, "m1", 60))  # a later batch takes one back
    await log.record(unreaction(2, ANN, "m2", 61))
    await log.record(reaction(2, ANN, "m2", 62))  # a repeat of an id: not recorded again
    await asyncio.gather(  # added and taken back in one batch
        log.record(reaction(50, BOB, "m3", 63, "🎉")),
        log.record(unreaction(50, BOB, "m3", 63.5, "🎉")),
    )
    await log.record(reaction(51, BOB, "m4", 80, "🎉"))  # stays
    await log.stop()

    counted = plain_count(store)
    assert tally(store) == counted
    reactions = sum(n for key, n in counted.items() if key[2] == "reaction_added")
    assert reactions == 10 - 2 + 1  # ten, two taken back, one added and kept
    votes: Counter = Counter()
    for (_, _, kind, action), n in counted.items():
        votes[action] += n if kind == "button" else 0
    assert votes == {"": 0, "poll:vote:1": 3, "poll:vote:2": 3}
    store.close()


async def test_an_erased_member_is_taken_off_the_tally(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await asyncio.gather(*(log.record(event) for event in community()))
    await log.record(unreaction(1, ANN, "m1", 60))
    await log.stop()
    before = tally(store)
    ann = store.call(
        lambda s: s.exec(select(Member.id).where(Member.platform_user_id == "u1")).one()
    )

    store.call(lambda s: PrivacyRegistry().forget(s, ann))

    after = tally(store)
    assert after == plain_count(store)
    assert sum(after.values()) < sum(before.values())
    assert all(n > 0 for n in after.values())
    store.close()


async def test_a_recount_gives_the_same_tally(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await asyncio.gather(*(log.record(event) for event in community()))
    await log.record(unreaction(3, ANN, "m3", 60))
    await log.stop()
    kept = tally(store)
    with store.engine.begin() as conn:
        refill(conn)
    assert tally(store) == kept == plain_count(store)
    store.close()


ROW = (
    "INSERT INTO interaction (platform, platform_event_id, kind, member_id, channel_id, detail, "
    "created_at, removed_at) VALUES ('test', :event, :kind, 1, :channel, :detail, :at, :removed)"
)


def test_the_migration_counts_the_rows_logged_before_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = connect(url)
    command.upgrade(alembic_config(engine), "0021_core_post_engagement")
    when = datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC)  # a second before a quarter
    rows = [
        ("e1", "message", 1, None, when, None),
        ("e2", "message", 1, None, when + timedelta(seconds=1), None),
        ("e3", "message", None, None, when, None),  # in no channel
        ("e4", "reaction_added", 1, "👍", when, None),
        ("e5", "reaction_added", 1, "👍", when, when),  # taken back
        ("e6", "button", 2, "poll:vote:7", when, None),
    ]
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO channel VALUES (1, 'test', 'c1', 'general', false)"))
        conn.execute(text("INSERT INTO channel VALUES (2, 'test', 'c2', 'help', false)"))
        conn.execute(
            text(
                "INSERT INTO member (id, platform, platform_user_id, name, is_bot, roles) "
                "VALUES (1, 'test', 'U1', 'ann', false, '')"
            )
        )
        for event, kind, channel, detail, created, removed in rows:
            conn.execute(
                text(ROW),
                {
                    "event": event,
                    "kind": kind,
                    "channel": channel,
                    "detail": detail,
                    "at": created,
                    "removed": removed,
                },
            )
    upgrade(engine)
    engine.dispose()

    store = Store.open(url, migrate=False)
    quarter = int(when.timestamp()) // 900
    assert tally(store) == plain_count(store)
    assert tally(store) == Counter(
        {
            (quarter, 1, "message", ""): 1,
            (quarter + 1, 1, "message", ""): 1,
            (quarter, 0, "message", ""): 1,
            (quarter, 1, "reaction_added", ""): 1,
            (quarter, 2, "button", "poll:vote:7"): 1,
        }
    )
    store.close()
