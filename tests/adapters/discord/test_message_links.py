"""Links to members' messages on Discord: the web link to the message, in its guild, with a
thread's own id for a message in a thread."""

from __future__ import annotations

from pathlib import Path

from bot.core.app import Steward
from tests.adapters.discord.harness import Guild, steward
from tests.adapters.running import linking
from tests.fakes.discord_server import wait_for


async def test_a_post_and_a_thread_post_link_to_the_message_in_the_guild(
    guild: Guild, config: Path
) -> None:
    fake, helpdesk, bob = guild.fake, guild.channel("help"), guild.member("bob")
    links: dict[str, str | None] = {}
    async with steward(config, linking(links)) as run:
        asked = await fake.post(helpdesk, bob, "how do I export?")
        thread = await fake.create_thread(helpdesk, "Exports", starter_message_id=asked)
        followed = await fake.post(thread, bob, "still stuck")
        await wait_for(lambda: len(links) == 2)
        app: Steward = run.app
        parent_and_thread = app.message_link("discord", helpdesk, followed, thread_id=thread)
    base = f"https://discord.com/channels/{fake.guild_id}"
    assert links == {
        "how do I export?": f"{base}/{helpdesk}/{asked}",
        "still stuck": f"{base}/{thread}/{followed}",
    }
    assert parent_and_thread == f"{base}/{thread}/{followed}"
