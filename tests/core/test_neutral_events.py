"""Edits, deletions, shares, threads and reactions by deterministic id, in the interaction log."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from bot.core.events import (
    ChannelRef,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReactionRemoved,
    ThreadCreated,
    reaction_event_id,
)
from bot.store.models import BotMessage, Channel, Interaction, Member
from tests.conftest import START, Recorded
from tests.store.test_ingest import GENERAL, member, open_log, said

NEWS = ChannelRef("discord", "c2", "news")
THREAD = ChannelRef("discord", "t1", "lunch plans", parent_id=GENERAL.channel_id)


AT = START + timedelta(minutes=5)


async def test_edits_deletions_shares_and_threads_are_recorded_in_their_home_channel(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    author, other = member(0), member(1)
    events = [
        said(0, by=0),
        MessageEdited(
            event_id="x1", member=author, channel=GENERAL, at=AT, message_id="m0", text="!"
        ),
        MessageShared(
            event_id="x2",
            member=other,
            channel=NEWS,
            at=AT,
            message_id="m9",
            source_channel_id="c1",
            source_message_id="m0",
            source_author=author,
        ),
        ThreadCreated(
            event_id="x3", member=other, channel=THREAD, at=AT, parent_message_id="m0", name="lunch"
        ),
        MessagePosted(
            event_id="x4", member=other, channel=THREAD, at=AT, message_id="m5", text="hi"
        ),
        MessageDeleted(event_id="x5", member=author, channel=GENERAL, at=AT, message_id="m0"),
    ]
    for event in events:
        assert await log.record(event) is True
    await log.stop()
    target = aliased(Member)
    query = (
        select(
            Interaction.kind,
            Channel.name,
            Interaction.message_id,
            Interaction.parent_message_id,
            target.name,
            Interaction.detail,
        )
        .join(Channel, Channel.id == Interaction.channel_id)
        .join(target, target.id == Interaction.target_member_id, isouter=True)
        .order_by(Interaction.id)
    )
    assert store.call(lambda s: [tuple(row) for row in s.execute(query)]) == [
        ("message", "general", "m0", None, None, None),
        ("message_edited", "general", "m0", None, None, None),
        ("message_shared", "news", "m9", "m0", "member0", "c1"),
        ("thread_created", "general", "t1", "m0", None, "lunch"),
        ("message", "general", "m5", None, None, None),
        ("message_deleted", "general", "m0", None, None, None),
    ]
    store.close()


async def test_an_edit_is_not_a_new_message_in_stats(recorded: Recorded) -> None:
    message_id = await recorded.post("hello", by="mia")
    base = {"member": recorded.member("mia"), "channel": recorded.channel("general")}
    edit = MessageEdited(
        event_id="edit-1", message_id=message_id, text="hello!", at=recorded.clock.now(), **base
    )
    await recorded.feed(edit)
    [reply] = [p for p in await recorded.command("/stats me", by="mia") if p.private_to]
    assert reply.fields["Messages"] == "1 · 1"


async def test_add_remove_add_is_three_events_and_a_redelivery_of_any_is_one(
    recorded: Recorded,
) -> None:
    message_id = await recorded.post("lunch?", by="mia")
    bob, mia = recorded.member("bob"), recorded.member("mia")

    def change(nth: int, added: bool) -> ReactionAdded | ReactionRemoved:
        kind = ReactionAdded if added else ReactionRemoved
        return kind(
            event_id=reaction_event_id(message_id, bob.user_id, "👍", added, nth),
            member=bob,
            channel=recorded.channel("general"),
            at=recorded.clock.now(),
            message_id=message_id,
            emoji="👍",
            message_author=mia,
        )

    changes = [change(1, True), change(2, False), change(3, True)]
    for event in [changes[0], changes[1], changes[1], changes[2], changes[0], changes[2]]:
        await recorded.feed(event)  # each delivered once, two of them twice
    kinds = recorded.app.store.call(
        lambda s: (
            s.execute(
                select(Interaction.kind)
                .where(Interaction.member_id.is_not(None))
                .where(Interaction.kind.like("reaction%"))
                .order_by(Interaction.id)
            )
            .scalars()
            .all()
        )
    )
    assert kinds == ["reaction_added", "reaction_removed", "reaction_added"]
    [reply] = [p for p in await recorded.command("/stats me", by="mia") if p.private_to]
    assert reply.fields["Reactions received"] == "1 · 1"


async def test_a_bot_post_is_known_by_its_channel_as_well_as_its_id(any_db_url: str) -> None:
    """A Slack `ts` is unique only within its channel: the same id elsewhere is another post."""
    store, log = await open_log(any_db_url)
    post = BotMessage(
        platform="discord",
        channel_id=GENERAL.channel_id,
        platform_message_id="ts1",
        feature="calendar",
        content_type="video",
        created_at=START,
    )
    store.call(lambda s: s.add(post))
    base = {"member": member(1), "at": AT, "message_id": "ts1", "emoji": "🎉"}
    await log.record(ReactionAdded(event_id="r1", channel=GENERAL, **base))
    await log.record(ReactionAdded(event_id="r2", channel=NEWS, **base))
    in_thread = {**base, "member": member(2)}  # a post in a thread, known under its channel
    await log.record(ReactionAdded(event_id="r3", channel=THREAD, **in_thread))
    share = {"source_channel_id": GENERAL.channel_id, "source_message_id": "ts1"}
    await log.record(
        MessageShared(
            event_id="s1", member=member(1), channel=NEWS, at=AT, message_id="n1", **share
        )
    )
    await log.stop()
    query = select(Interaction.platform_event_id, Interaction.content_type).order_by(Interaction.id)
    assert store.call(lambda s: [tuple(row) for row in s.execute(query)]) == [
        ("r1", "video"),
        ("r2", None),
        ("r3", "video"),
        ("s1", "video"),
    ]
    store.close()
