"""`steward run` as a process: after SIGTERM and a restart on the same database, a click on
a poll button posted before the restart still counts."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.adapters.discord.harness import Guild, bot_posts, buttons, open_poll
from tests.fakes.discord_server import wait_for

ROOT = Path(__file__).resolve().parents[3]


async def _run(config: Path) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(config),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def _ready(process: asyncio.subprocess.Process) -> None:
    """Wait until the process says it is ready in the guild (its log line on stderr)."""
    assert process.stderr is not None
    while True:
        line = await asyncio.wait_for(process.stderr.readline(), timeout=30)
        assert line, "steward run ended before it was ready"
        if b"Discord: ready in" in line:
            return


async def _terminate(process: asyncio.subprocess.Process) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    return process.returncode or 0, err.decode()


async def test_an_old_poll_button_counts_after_sigterm_and_a_restart(guild: Guild, config: Path):
    fake, general = guild.fake, guild.channel("general")
    first = await _run(config)
    try:
        await _ready(first)
        post, _ = await open_poll(guild, "bob", "general", "Next meetup?", "march | april")
    finally:
        code, err = await _terminate(first)
    assert code == 0, err
    assert "Traceback" not in err
    second = await _run(config)
    try:
        await _ready(second)
        click = await fake.click(
            guild.member("carol"), general, post["id"], buttons(post)["march · 0"]
        )
        await click.answered(timeout=10)
        await wait_for(lambda: "march · 1" in buttons(bot_posts(fake, general)[0]), timeout=10)
    finally:
        code, err = await _terminate(second)
    assert code == 0, err
    assert len(fake.command_syncs) == 1  # the same commands: not synced again


async def test_a_refused_token_stops_steward_run_with_one_line_and_exit_2(
    guild: Guild, config: Path
) -> None:
    guild.fake.token = "the-real-token"
    process = await _run(config)
    _, err = await asyncio.wait_for(process.communicate(), timeout=30)
    lines = err.decode().strip().splitlines()
    assert process.returncode == 2
    assert lines[-1].startswith("steward: Discord refused the bot token")
    assert "Traceback" not in err.decode()
    assert "fake-token" not in err.decode()
