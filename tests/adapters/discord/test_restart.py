"""`steward run` as a process: after SIGTERM and a restart on the same database, a click on
a poll button posted before the restart still counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters import process
from tests.adapters.discord.harness import Guild, bot_posts, buttons, open_poll
from tests.fakes.discord_server import wait_for

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)


async def test_an_old_poll_button_counts_after_sigterm_and_a_restart(guild: Guild, config: Path):
    fake, general = guild.fake, guild.channel("general")
    async with process.running(config, b"Discord: ready in"):
        post, _ = await open_poll(guild, "bob", "general", "Next meetup?", "march | april")
    async with process.running(config, b"Discord: ready in"):
        click = await fake.click(
            guild.member("carol"), general, post["id"], buttons(post)["march · 0"]
        )
        await click.answered(timeout=10)
        await wait_for(lambda: "march · 1" in buttons(bot_posts(fake, general)[0]), timeout=10)
    assert len(fake.command_syncs) == 1  # the same commands: not synced again


async def test_a_refused_token_stops_steward_run_with_one_line_and_exit_2(
    guild: Guild, config: Path
) -> None:
    guild.fake.token = "the-real-token"
    code, printed = await process.refused(config)
    lines = printed.strip().splitlines()
    assert code == 2
    assert lines[-1].startswith("steward: Discord refused the bot token")
    assert "Traceback" not in printed
    assert "fake-token" not in printed
