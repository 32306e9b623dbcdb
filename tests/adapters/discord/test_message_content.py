"""Without the Message Content intent Steward still counts and runs commands, and says once
what it cannot do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import StartupError
from tests.adapters.discord.harness import Guild, bot_posts, shown_text, steward
from tests.fakes.discord_server import wait_for


async def test_a_refused_content_intent_still_counts_and_is_said_once(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    fake.message_content_allowed = False
    async with steward(config) as running:
        await fake.post(general, bob, "is anyone around?")
        await wait_for(lambda: running.count("message", bob) == 1)
        asked = await fake.slash(bob, general, "stats", {}, subcommand="me")
        await asked.answered()
    async with steward(config):
        pass
    intents = [payload["intents"] for payload in fake.identify_payloads]
    assert len(intents) == 2 and not any(i & (1 << 15) for i in intents)  # never refused

    def notices() -> list[dict]:
        posts = bot_posts(fake, guild.channel("managers"))
        return [m for m in posts if "Message Content" in shown_text(m)]

    [notice] = notices()
    assert "question" in shown_text(notice)


async def test_a_refused_members_intent_stops_the_start_saying_how_to_fix_it(
    guild: Guild, config: Path
) -> None:
    guild.fake.members_allowed = False
    with pytest.raises(StartupError, match="turn on Server Members Intent"):
        async with steward(config):
            pass
