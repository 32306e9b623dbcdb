"""Discord's 3 seconds: a slow answer is deferred then followed up, a silent handler is
acknowledged without a word, a failure is a private apology, never a traceback."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from bot.core.app import Steward
from bot.core.commands import CommandSpec
from bot.core.context import CommandContext
from bot.core.messages import Message
from tests.adapters.discord.harness import Guild, is_ephemeral, steward

release = asyncio.Event()


def _with_test_commands(app: Steward) -> None:
    async def slow(ctx: CommandContext) -> None:
        await release.wait()
        await ctx.reply(Message(text="done at last"))

    async def silent(ctx: CommandContext) -> None:
        return None

    async def broken(ctx: CommandContext) -> None:
        raise RuntimeError("the database caught fire")

    for name, handler in (("slow", slow), ("silent", silent), ("broken", broken)):
        app.registry.add(CommandSpec(name, f"a {name} command for tests", handler))
    adapter = app.adapters["discord"]
    adapter.capabilities = replace(adapter.capabilities, ack_seconds=0.3)  # defer at 0.2 s


async def test_a_slow_answer_is_deferred_then_followed_up(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    release.clear()
    async with steward(config, _with_test_commands):
        asked = await fake.slash(bob, general, "slow")
        first = await asked.answered()
        assert first["type"] == 5 and is_ephemeral(first)  # "Steward is thinking…", to bob only
        assert not asked.followups
        release.set()
        await asked.wait(lambda r: r.followups or r.edits)
    assert "done at last" in asked.texts()


async def test_a_handler_that_says_nothing_is_acknowledged_silently(guild: Guild, config):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config, _with_test_commands):
        asked = await fake.slash(bob, general, "silent")
        await asked.answered()
        await fake.wait_request("DELETE", rf"/webhooks/\d+/{asked.token}/messages/@original")
    assert [body["type"] for body in asked.callbacks] == [5]
    assert not asked.followups


async def test_a_failure_is_a_private_apology_with_a_reference(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config, _with_test_commands):
        asked = await fake.slash(bob, general, "broken")
        await asked.wait(lambda r: any("went wrong" in t for t in r.texts()))
    [apology] = [t for t in asked.texts() if "went wrong" in t]
    assert "under ref" in apology
    assert "fire" not in apology and "Traceback" not in apology
    answers = [b for b in asked.callbacks if b["type"] == 4] + asked.followups
    assert all(is_ephemeral(body) for body in answers)
