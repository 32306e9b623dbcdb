"""Discord's events as the core records them: edits, deletions, threads and forum posts,
joins with Discord's join date, leaves, and role changes that make a member a manager."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from bot.core.events import InboundEvent, MessagePosted, ReplyPosted
from bot.store.models import Member
from tests.adapters.discord.harness import Guild, steward
from tests.adapters.running import listening
from tests.fakes.discord_server import wait_for


async def test_edits_deletions_and_thread_posts_are_recorded(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    forum = fake.add_channel("ideas", type=15)
    async with steward(config) as running:
        await fake.dispatch("CHANNEL_CREATE", fake.channel_payload(forum))
        said = await fake.post(general, bob, "helo")
        await wait_for(lambda: running.count("message", bob) == 1)
        await fake.edit(general, said, "hello")
        await wait_for(lambda: running.count("message_edited", bob) == 1)
        await fake.delete(general, said)
        await wait_for(lambda: running.count("message_deleted", bob) == 1)
        thread = await fake.create_thread(forum, "Dark mode?", owner_id=bob, content="Please!")
        await wait_for(lambda: running.count("thread_created", bob) == 1)
        await fake.post(thread, guild.member("carol"), "+1 from me")
        await wait_for(lambda: running.count("message", guild.member("carol")) == 1)


async def test_the_members_a_message_or_a_reply_mentions_reach_the_core_by_id(
    guild: Guild, config: Path
) -> None:
    fake, helpdesk = guild.fake, guild.channel("help")
    bob, carol, dave = guild.member("bob"), guild.member("carol"), guild.member("dave")
    role, general = guild.manager_role, guild.channel("general")
    seen: list[InboundEvent] = []
    async with steward(config, listening(seen)):
        text = f"<@{carol}> or <@!{dave}> (<@&{role}>, <#{general}>): export? cc <@{carol}>"
        asked = await fake.post(helpdesk, bob, text)
        await fake.post(helpdesk, carol, "Settings, then Export", reply_to=asked)
        await fake.post(helpdesk, dave, f"<@{bob}> did that work?", reply_to=asked)
        await wait_for(lambda: len(seen) == 3)
    [question] = [e for e in seen if isinstance(e, MessagePosted)]
    assert question.mentions == (carol, dave)  # members only, once each, in order
    replies = {e.member.user_id: e.mentions for e in seen if isinstance(e, ReplyPosted)}
    assert replies == {carol: (), dave: (bob,)}


async def test_a_join_keeps_discords_join_date_and_a_leave_is_recorded(guild: Guild, config):
    fake = guild.fake
    joined = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    async with steward(config) as running:
        erin = await fake.join("erin", joined_at=joined)
        await wait_for(lambda: running.count("member_joined", erin) == 1)
        await fake.leave(erin)
        await wait_for(lambda: running.count("member_left", erin) == 1)
        with running.app.store.session() as session:
            member = session.exec(select(Member).where(Member.platform_user_id == erin)).one()
    assert member.joined_at == joined
    assert member.left_at is not None


async def test_a_member_given_the_manager_role_may_run_manager_commands(guild: Guild, config):
    fake, managers, bob = guild.fake, guild.channel("managers"), guild.member("bob")
    async with steward(config):
        refused = await fake.slash(bob, managers, "calendar", {}, subcommand="list")
        await refused.wait(lambda r: any("for community managers" in t for t in r.texts()))
        await fake.set_roles(bob, [guild.manager_role])
        await fake.sync()
        allowed = await fake.slash(bob, managers, "calendar", {}, subcommand="list")
        await allowed.wait(lambda r: any("Nothing scheduled" in t for t in r.texts()))


async def test_a_member_who_joined_before_steward_counts_from_their_real_join_date(
    guild: Guild, config: Path
) -> None:
    fake, general = guild.fake, guild.channel("general")
    long_ago = datetime(2025, 6, 1, 8, 30, tzinfo=UTC)
    frank = fake.add_member("frank", joined_at=long_ago)
    async with steward(config) as running:
        await fake.post(general, frank, "hi, long-time lurker here")
        await wait_for(lambda: running.count("message", frank) == 1)
        with running.app.store.session() as session:
            member = session.exec(select(Member).where(Member.platform_user_id == frank)).one()
    assert member.joined_at == long_ago


async def test_deletions_after_a_restart_and_a_purge_count_for_the_authors(guild: Guild, config):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        said = [await fake.post(general, bob, f"message {n}") for n in range(3)]
        await wait_for(lambda: running.count("message", bob) == 3)
    async with steward(config) as running:  # nothing cached: authors come from the log
        await fake.delete(general, said[0])
        await wait_for(lambda: running.count("message_deleted", bob) == 1)
        purge = {"ids": said[1:], "channel_id": general, "guild_id": fake.guild_id}
        await fake.dispatch("MESSAGE_DELETE_BULK", purge)
        await wait_for(lambda: running.count("message_deleted", bob) == 3)


async def test_an_update_that_is_not_an_edit_is_not_recorded_as_one(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        said = await fake.post(general, bob, "see https://example.org")
        await wait_for(lambda: running.count("message", bob) == 1)
    async with steward(config) as running:  # not cached: only Discord's edited time tells
        message = fake.find_message(said, general)
        unfolded = {**message, "embeds": [{"type": "link", "url": "https://example.org"}]}
        await fake.dispatch("MESSAGE_UPDATE", unfolded)
        await fake.post(general, bob, "a later message")  # handled after the update
        await wait_for(lambda: running.count("message", bob) == 2)
        assert running.count("message_edited", bob) == 0
        await fake.edit(general, said, "see https://example.org (fixed)")
        await wait_for(lambda: running.count("message_edited", bob) == 1)
