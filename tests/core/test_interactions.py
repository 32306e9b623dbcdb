"""The interaction contract: answered in time (deferred when slow), forms first, parents kept."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import func, select

from bot.core.capabilities import Capabilities
from bot.core.commands import CommandSpec
from bot.core.context import CommandContext, EventContext
from bot.core.events import MessagePosted, ReplyPosted, ThreadCreated
from bot.core.messages import Form, FormField
from bot.store.models import Interaction, Member
from tests.recording import Recorded
from tests.recording.adapter import Answered

SURVEY = '/survey create title:Meetup questions:"How was it? (1-5) | What next?"'


def _add_command(recorded: Recorded, name: str, handler) -> None:
    recorded.app.registry.add(CommandSpec(name, f"A {name} command for the test.", handler))


async def _slow(recorded: Recorded, finish) -> tuple[asyncio.Task, Answered, asyncio.Event]:
    """Run `/slow`, whose handler waits for the returned event and then calls `finish(ctx)`;
    return once the core has deferred it."""
    adapter = recorded.adapter
    adapter.capabilities = Capabilities(ack_seconds=0.03)  # deferred after 20 ms
    release = asyncio.Event()

    async def slow(ctx: CommandContext) -> None:
        await release.wait()
        await finish(ctx)

    _add_command(recorded, "slow", slow)
    running = asyncio.create_task(recorded.command("/slow", by="bob"))
    await asyncio.wait_for(adapter.deferrals.wait(), timeout=5)
    [answered] = adapter.interactions
    return running, answered, release


async def test_a_slow_command_is_deferred_then_answered(recorded: Recorded) -> None:
    running, answered, release = await _slow(recorded, lambda ctx: ctx.reply("Your report."))
    assert answered.deferred and answered.responses == []  # acknowledged, nothing said yet
    release.set()
    said = await running
    assert said.told("bob") == ["Your report."]
    assert [m.text for m in answered.responses] == ["Your report."]
    assert not answered.finished  # the follow-up was the answer


async def test_a_slow_handler_that_says_nothing_is_finished_after_its_defer(
    recorded: Recorded,
) -> None:
    running, answered, release = await _slow(recorded, lambda ctx: ctx.post("Done, quietly."))
    assert not answered.finished
    release.set()
    await running
    assert answered.deferred and answered.finished and answered.responses == []


async def test_a_quick_command_is_answered_without_a_defer(recorded: Recorded) -> None:
    said = await recorded.command("/help", by="bob")
    [answered] = recorded.adapter.interactions
    assert said.told("bob") and not answered.deferred and len(answered.responses) == 1


async def test_a_handler_that_says_nothing_is_acknowledged_silently(recorded: Recorded) -> None:
    async def announce(ctx: CommandContext) -> None:
        await ctx.post("Doors open at 18:00.")

    _add_command(recorded, "doors", announce)
    said = await recorded.command("/doors", by="bob")
    [answered] = recorded.adapter.interactions
    assert [p.text for p in said.public()] == ["Doors open at 18:00."]
    assert answered.finished and answered.responses == [] and not answered.deferred


def _rows(recorded: Recorded) -> tuple[int, int]:
    """How many interactions and members are stored."""
    return recorded.app.store.call(
        lambda s: (
            s.exec(select(func.count()).select_from(Interaction)).one(),
            s.exec(select(func.count()).select_from(Member)).one(),
        )
    )


@pytest.mark.parametrize(
    ("create", "label", "title"),
    [
        (SURVEY, "Respond", "Meetup"),
        ('/contest create title:"Best photo" closes:2d mode:vote', "Enter", "Enter contest #1"),
    ],
)
async def test_a_button_that_opens_a_form_opens_it_before_any_write(
    recorded: Recorded, create: str, label: str, title: str
) -> None:
    recorded.manager("mia")
    await recorded.command(create, by="mia", in_="managers")
    [post] = [p for p in recorded.public() if p.message.buttons]
    before = _rows(recorded)
    at_open: list[tuple[int, int]] = []
    recorded.adapter.before_form = lambda form: at_open.append(_rows(recorded))
    assert await recorded.click(post, label, by="dana") == []  # dana is new here
    assert at_open == [before]  # no interaction and no member row was written first
    assert recorded.form_for("dana").form.title.startswith(title)
    assert _rows(recorded)[0] == before[0] + 1  # the press is recorded once the form is open


async def test_a_form_after_an_answer_is_refused_with_an_apology(recorded: Recorded) -> None:
    async def late_form(ctx: EventContext) -> None:
        await ctx.reply("One moment.")
        await ctx.open_form(Form("late:1", "Too late", (FormField("a", "A"),)))

    recorded.app.on_button("late", late_form, opens_form=True)
    [help_post] = await recorded.command("/help", by="bob")
    said = await recorded.press(help_post, "late:1", by="bob")
    assert recorded.adapter.forms == []
    assert said.told("bob")[0] == "One moment."
    assert said.told("bob")[1].startswith("Sorry, something went wrong on our side")


async def test_a_reply_and_a_thread_message_reach_the_core_with_their_parent(
    recorded: Recorded,
) -> None:
    seen = []

    async def listen(ctx: EventContext) -> None:
        seen.append(ctx.event)

    recorded.app.listen(listen)
    general = recorded.channel("general")
    question = await recorded.post("Where is the meetup?", by="bob")
    await recorded.reply(question, "Room 4", by="eve")
    await recorded.thread(question, "Thanks!", by="bob")
    reply, started, in_thread = seen[1:]
    assert isinstance(reply, ReplyPosted) and reply.parent_id == question
    assert isinstance(started, ThreadCreated) and started.parent_message_id == question
    assert isinstance(in_thread, MessagePosted) and in_thread.text == "Thanks!"
    assert (in_thread.channel.parent_id, in_thread.channel.thread_id) == (
        general.channel_id,
        question,
    )
    assert in_thread.channel.home_id == general.channel_id


async def test_an_answer_to_a_thread_message_goes_in_that_thread(recorded: Recorded) -> None:
    async def echo(ctx: EventContext) -> None:
        if isinstance(ctx.event, MessagePosted) and ctx.event.text == "ping":
            await ctx.post("pong")

    recorded.app.listen(echo)
    question = await recorded.post("Where is the meetup?", by="bob")
    before = len(recorded.posts)
    await recorded.thread(question, "ping", by="bob")
    [pong] = recorded.posts[before:]
    assert pong.text == "pong" and pong.channel.thread_id == question
