"""The store and the interaction log, on SQLite and (when configured) PostgreSQL."""

import asyncio
from datetime import timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel, select

from bot.core.directory import Directory
from bot.core.events import (
    ChannelRef,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReplyPosted,
)
from bot.core.interaction_log import InteractionLog
from bot.store.database import Store
from bot.store.models import BotMessage, Interaction, Member
from tests.conftest import START

ALICE = MemberRef("discord", "u1", "alice")
BOB = MemberRef("discord", "u2", "bob")
GENERAL = ChannelRef("discord", "c1", "general")


def message(n: int, member: MemberRef = ALICE, text: str = "hi") -> MessagePosted:
    return MessagePosted(
        event_id=f"e{n}",
        member=member,
        channel=GENERAL,
        at=START + timedelta(seconds=n),
        message_id=f"m{n}",
        text=text,
    )


async def open_log(url: str, store_text: bool = False) -> tuple[Store, InteractionLog]:
    store = Store.open(url)
    log = InteractionLog(store, Directory(), store_text=store_text)
    log.start()
    return store, log


def rows(store: Store) -> list[Interaction]:
    return store.call(lambda s: list(s.exec(select(Interaction).order_by(Interaction.id))))


async def test_migrations_match_the_models(any_db_url: str) -> None:
    store = Store.open(any_db_url)
    with store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    Store.open(any_db_url).close()  # upgrading again is a no-op
    store.close()


async def test_a_repeated_event_id_is_recorded_once(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    assert await log.record(message(1)) is True
    assert await log.record(message(1)) is False
    await log.stop()
    assert len(rows(store)) == 1
    store.close()


async def test_concurrent_events_share_commits(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    results = await asyncio.gather(*(log.record(message(n)) for n in range(300)))
    await log.stop()
    assert all(results)
    assert len(rows(store)) == 300
    assert log.batches_written < 30  # group commit: far fewer transactions than events
    store.close()


async def test_stop_flushes_what_is_queued(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    pending = [asyncio.ensure_future(log.record(message(n))) for n in range(50)]
    await asyncio.sleep(0)  # let the 50 records reach the queue (a yield, not a wait for time)
    await log.stop()
    assert all(f.done() and f.result() for f in pending)
    assert len(rows(store)) == 50
    store.close()


async def test_message_text_is_kept_only_when_configured(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(message(1, text="secret plans"))
    await log.stop()
    assert rows(store)[0].text is None
    store.close()
    store, log = await open_log(any_db_url, store_text=True)
    await log.record(message(2, text="public plans"))
    await log.stop()
    assert rows(store)[-1].text == "public plans"
    store.close()


async def test_reactions_and_replies_link_to_the_bot_post_and_its_content_type(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    store.call(
        lambda s: s.add(
            BotMessage(
                platform="discord",
                channel_id="c1",
                platform_message_id="post1",
                feature="calendar",
                ref_id=7,
                content_type="video",
                created_at=START,
            )
        )
    )
    bot = MemberRef("discord", "b", "Steward", is_bot=True)
    base = {"channel": GENERAL, "at": START}
    await log.record(
        ReactionAdded(
            event_id="r1", member=BOB, message_id="post1", emoji="🎉", message_author=bot, **base
        )
    )
    await log.record(
        ReplyPosted(
            event_id="p1",
            member=ALICE,
            message_id="m9",
            parent_id="post1",
            text="nice",
            parent_author=bot,
            **base,
        )
    )
    await log.stop()
    reaction, reply = rows(store)
    assert (reaction.kind, reaction.content_type, reaction.detail) == (
        "reaction_added",
        "video",
        "🎉",
    )
    assert (reply.kind, reply.parent_message_id, reply.content_type) == ("reply", "post1", "video")
    assert reaction.target_member_id is None  # the bot is not a member
    store.close()


async def test_reactions_point_at_a_known_author_and_never_create_one(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(message(1, member=ALICE))
    base = {"channel": GENERAL, "at": START, "emoji": "👍"}
    await log.record(
        ReactionAdded(event_id="r1", member=BOB, message_id="m1", message_author=ALICE, **base)
    )
    stranger = MemberRef("discord", "u9", "stranger")
    await log.record(
        ReactionAdded(event_id="r2", member=BOB, message_id="old", message_author=stranger, **base)
    )
    await log.stop()
    _, on_alice, on_stranger = rows(store)
    alice_id = store.call(lambda s: s.exec(select(Member.id).where(Member.name == "alice")).one())
    assert on_alice.target_member_id == alice_id
    assert on_stranger.target_member_id is None
    names = store.call(lambda s: set(s.exec(select(Member.name))))
    assert names == {"alice", "bob"}
    store.close()


async def test_joins_and_leaves_update_the_member(any_db_url: str) -> None:
    store, log = await open_log(any_db_url)
    await log.record(MemberJoined(event_id="j", member=BOB, channel=GENERAL, at=START))
    await log.record(
        MemberLeft(event_id="l", member=BOB, channel=GENERAL, at=START + timedelta(days=3))
    )
    await log.stop()
    bob = store.call(lambda s: s.exec(select(Member).where(Member.name == "bob")).one())
    assert bob.joined_at == START
    assert bob.left_at == START + timedelta(days=3)
    assert bob.joined_at.tzinfo is not None
    store.close()


async def test_a_bot_post_and_an_event_are_known_by_their_platform_and_id(
    any_db_url: str,
) -> None:
    """Ids are per platform: Slack's `post1` is not Discord's, nor is Slack's event `r1`."""
    store, log = await open_log(any_db_url)
    post = BotMessage(
        platform="discord",
        channel_id="c1",
        platform_message_id="post1",
        feature="calendar",
        content_type="video",
        created_at=START,
    )
    store.call(lambda s: s.add(post))
    slack = {"member": MemberRef("slack", "U2", "bob"), "channel": ChannelRef("slack", "C1", "g")}
    base = {"event_id": "r1", "message_id": "post1", "emoji": "🎉", "at": START}
    assert await log.record(ReactionAdded(member=BOB, channel=GENERAL, **base)) is True
    assert await log.record(ReactionAdded(**slack, **base)) is True
    await log.stop()
    on_discord, on_slack = rows(store)
    assert (on_discord.platform, on_discord.content_type) == ("discord", "video")
    assert (on_slack.platform, on_slack.content_type) == ("slack", None)


async def test_sqlite_default_is_wal_at_steward_db(tmp_path, monkeypatch) -> None:
    from bot.core.config import Settings

    monkeypatch.chdir(tmp_path)
    store = Store.open(Settings().storage.url)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.close()
    assert (tmp_path / "steward.db").exists()
