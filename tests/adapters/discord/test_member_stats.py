"""A member's messages, replies and reactions on Discord count in their private /stats me."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.discord.harness import Guild, answer_fields, is_ephemeral, steward
from tests.fakes.discord_server import wait_for


async def test_a_message_a_reply_and_a_reaction_count_in_stats_me(guild: Guild, config: Path):
    fake, general = guild.fake, guild.channel("general")
    bob, carol = guild.member("bob"), guild.member("carol")
    async with steward(config) as running:
        first = await fake.post(general, bob, "hello everyone")
        await fake.post(general, carol, "welcome!", reply_to=first)
        await fake.react(general, first, carol, "🎉")
        await wait_for(lambda: running.count("reaction_added") == 1)
        await wait_for(lambda: running.count("reply") == 1 and running.count("message") == 1)
        mine = await fake.slash(bob, general, "stats", {}, subcommand="me")
        await mine.wait(lambda r: answer_fields(r))
        theirs = await fake.slash(carol, general, "stats", {}, subcommand="me")
        await theirs.wait(lambda r: answer_fields(r))
    assert answer_fields(mine)["Messages"].startswith("1 ·")
    assert answer_fields(mine)["Reactions received"].startswith("1 ·")
    assert answer_fields(theirs)["Replies"].startswith("1 ·")
    assert answer_fields(theirs)["Reactions given"].startswith("1 ·")
    assert all(is_ephemeral(b) for b in mine.callbacks + mine.followups if b.get("type") != 5)


async def test_a_reaction_taken_back_no_longer_counts(guild: Guild, config: Path) -> None:
    fake, general = guild.fake, guild.channel("general")
    bob, carol = guild.member("bob"), guild.member("carol")
    async with steward(config) as running:
        said = await fake.post(general, bob, "hot take")
        await fake.react(general, said, carol, "👍")
        await wait_for(lambda: running.count("reaction_added") == 1)
        await fake.react(general, said, carol, "👍", remove=True)
        await wait_for(lambda: running.count("reaction_removed") == 1)
        await fake.react(general, said, carol, "👍")
        await wait_for(lambda: running.count("reaction_added") == 2)
        await fake.react(general, said, carol, "👍", remove=True)
        await wait_for(lambda: running.count("reaction_removed") == 2)
        mine = await fake.slash(bob, general, "stats", {}, subcommand="me")
        await mine.wait(lambda r: answer_fields(r))
    assert answer_fields(mine)["Reactions received"].startswith("0 ·")
