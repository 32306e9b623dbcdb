"""The console keeps the interaction contract: defers shown, forms first, threads with parents."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.core.commands import CommandSpec
from bot.core.context import CommandContext, EventContext
from bot.core.events import MessagePosted, ThreadCreated
from tests.conftest import Community


async def test_a_slow_command_shows_that_steward_is_working_then_answers(
    community: Community,
) -> None:
    adapter = community.adapter
    adapter.capabilities = replace(adapter.capabilities, ack_seconds=0.03)
    release = asyncio.Event()

    async def slow(ctx: CommandContext) -> None:
        await release.wait()
        await ctx.reply("Your export is ready.")

    community.app.registry.add(CommandSpec("slow", "A slow command for the test.", slow))
    deferred = asyncio.Event()
    write = adapter.write

    def watching(text: str) -> None:
        write(text)
        if "working on it" in text:
            deferred.set()

    adapter.write = watching  # type: ignore[method-assign]
    running = asyncio.create_task(community.run("/slow"))
    await asyncio.wait_for(deferred.wait(), timeout=5)
    assert "Your export is ready" not in community.adapter.out.getvalue()
    release.set()
    out = await running
    working = out.index("(Steward is working on it for you…)")
    assert working < out.index("Steward → you (private): Your export is ready.")


async def test_a_thread_message_reaches_the_core_under_its_parent(community: Community) -> None:
    seen = []

    async def listen(ctx: EventContext) -> None:
        seen.append(ctx.event)

    community.app.listen(listen)
    out = await community.run(
        "Where is the meetup?\n:as bob\n:thread 1 Room 4\n:thread 1 Bring a badge"
    )
    assert "bob started a thread on #1" in out
    assert out.count("started a thread") == 1
    assert "#2 [general] bob 🧵#1: Room 4" in out
    started, first, second = seen[1:]
    parent = community.adapter.message_id(1)
    assert isinstance(started, ThreadCreated) and started.parent_message_id == parent
    for event in (first, second):
        assert isinstance(event, MessagePosted)
        assert (event.channel.parent_id, event.channel.thread_id) == ("general", parent)
    assert (first.text, second.text) == ("Room 4", "Bring a badge")


async def test_a_survey_form_is_prompted_then_its_answers_are_saved(community: Community) -> None:
    out = await community.run(
        ':as mia manager\n:in managers\n/survey create title:Meetup questions:"What next?"'
    )
    number = out.split("[survey]")[0].rsplit("#", 1)[1].split()[0]
    out = await community.run(f":as dana\n:click {number} Respond\nMore workshops")
    assert "── Meetup (for dana; answer each line, :cancel to stop)" in out
    saved = "Steward → dana (private): Thank you! Your response to survey #1 (Meetup) is saved."
    assert out.index("── Meetup (for dana;") < out.index("1. What next?") < out.index(saved)
    assert "1 response · one response each" in out
