"""Two processes on one database: each an app (or a log) with its own engine and caches.

The "processes" here are two apps in one test process, each on an engine of its own, so
neither sees the other's memory; on PostgreSQL too when STEWARD_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.core.events import ButtonPressed, InboundEvent, MemberRef, MessagePosted
from bot.store.models import Interaction, Member
from tests.conftest import make_settings, open_recorded
from tests.recording import Recorded
from tests.recording.community import INTERACTIONS
from tests.store.test_ingest import members, open_log, said
from tests.store.test_log_failures import BROKEN


async def test_an_older_event_written_later_never_moves_last_seen_back(any_db_url: str) -> None:
    store, first = await open_log(any_db_url)
    await first.record(said(1, by=1, seconds=600))
    await first.stop()
    _, second = await open_log(any_db_url)  # another process, a step behind
    await second.record(said(2, by=1, seconds=120))
    await second.stop()
    assert members(store)["member1"].last_seen_at == said(1, by=1, seconds=600).at
    store.close()


@pytest.fixture
async def two_apps(any_db_url: str) -> AsyncIterator[tuple[Recorded, Recorded]]:
    """Two apps on one database, each with its own engine, caches and writer."""
    settings = make_settings(any_db_url)
    first, second = await open_recorded(settings), await open_recorded(settings)
    yield first, second
    for app in (first, second):
        await app.app.stop()
        app.app.store.close()


async def _at_once(app: Recorded, events: list[InboundEvent]) -> None:
    """Hand `events` to `app` concurrently (they share the log's batches), as a busy bot does."""
    await asyncio.gather(*(app.app.handle(e, _responder(app, e)) for e in events))


def _responder(app: Recorded, event: InboundEvent):
    return app.adapter.responder(event) if event.kind in INTERACTIONS else None


def _message(app: Recorded, who: MemberRef, text: str = "hi") -> MessagePosted:
    channel = app.channel("general")
    return MessagePosted(
        event_id=app.adapter.new_id("E"),
        member=who,
        channel=channel,
        at=app.clock.now(),
        message_id=app.adapter.new_id("M"),
        text=text,
    )


async def _messages_of(app: Recorded, who: MemberRef) -> str:
    [reply] = [p for p in await app.command("/stats me", by=who) if p.private_to]
    return reply.fields["Messages"]


async def test_forgotten_in_one_process_then_recorded_by_the_other_with_its_batch(
    two_apps: tuple[Recorded, Recorded],
) -> None:
    first, second = two_apps
    bob, carol, dave = (first.member(name) for name in ("bob", "carol", "dave"))
    for app in (first, second):
        await _at_once(app, [_message(app, who) for who in (bob, carol, dave)])
    said = await first.command("/privacy forget confirm:true", by=bob)
    assert said.told("bob")[0].startswith("Done: Steward no longer holds anything about you")
    before = len(second.posts)
    broken = replace(first.member("eve"), name=BROKEN)  # an event no database can store
    await _at_once(second, [_message(second, who) for who in (bob, carol, broken, dave)])
    [sorry] = second.posts[before:]  # only eve is told something went wrong
    assert sorry.private_to.user_id == broken.user_id and sorry.plain.startswith(
        "Sorry, something went wrong"
    )
    assert await _messages_of(second, bob) == "1 · 1"  # only what came after forgetting
    assert await _messages_of(second, carol) == "3 · 3"
    assert await _messages_of(first, dave) == "3 · 3"


async def test_a_vote_burst_through_two_processes_counts_exactly(
    two_apps: tuple[Recorded, Recorded],
) -> None:
    first, second = two_apps
    [poll] = (await first.command('/poll create question:"Lunch?" options:"Pizza | Soup"')).public()
    second.adapter.posts.append(poll)  # one platform message, edited by both processes
    voters = [first.member(f"m{n}") for n in range(40)]
    apps = [first, second]

    def click(n: int, label: str, app: Recorded) -> ButtonPressed:
        return ButtonPressed(
            event_id=app.adapter.new_id("E"),
            member=voters[n],
            channel=poll.channel,
            at=app.clock.now(),
            message_id=poll.message_id,
            action_id=poll.button(label).action_id,
        )

    rounds = [
        [(n, "Pizza", apps[n % 2]) for n in range(40)],  # interleaved between the processes
        [(n, "Soup", apps[(n + 1) % 2]) for n in range(0, 40, 3)],  # 14 move, in the other
    ]
    for votes in rounds:
        by_app = {id(app): [click(*vote) for vote in votes if vote[2] is app] for app in apps}
        await asyncio.gather(*(_at_once(app, by_app[id(app)]) for app in apps))
    for app in apps:
        await app.advance("2s")  # each process's last coalesced edit reads the final state
    assert poll.labels == ["Pizza · 26", "Soup · 14"]
    [results] = (await second.command("/poll results id:1")).told("you")
    assert "Pizza: " in results and " 26 · 65%" in results and " 14 · 35%" in results


async def test_a_member_forgotten_elsewhere_is_never_taken_for_the_next_new_member(
    any_db_url: str,
) -> None:
    store, first = await open_log(any_db_url)
    _, second = await open_log(any_db_url)
    await second.record_many([said(1, by=1), said(2, by=2)])  # the second knows both
    log, erase = Interaction.__table__, Member.__table__
    forget = (log.delete().where(log.c.member_id == 2), erase.delete().where(erase.c.id == 2))
    store.call(lambda s: [s.execute(statement) for statement in forget])  # forgotten in first
    await first.record(said(3, by=3))  # a new member, in the first
    await second.record(said(4, by=2))  # the forgotten one is back, in the second
    await first.stop()
    await second.stop()
    query = select(Interaction.platform_event_id, Member.name).join(
        Member, Member.id == Interaction.member_id
    )
    assert store.call(lambda s: sorted(tuple(row) for row in s.execute(query))) == [
        ("e1", "member1"),
        ("e3", "member3"),
        ("e4", "member2"),
    ]
    store.close()
