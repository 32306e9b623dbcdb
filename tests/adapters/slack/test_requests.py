"""Slack's requests as Steward takes them: only correctly signed and fresh ones, a retried
event counted once, every interaction acknowledged within Slack's 3 seconds, and a form
opened on the click's trigger id before the click is acknowledged."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.core.app import Steward
from bot.core.commands import CommandSpec
from bot.core.context import CommandContext
from bot.core.messages import Message
from tests.adapters.slack.harness import (
    FakeSlack,
    Workspace,
    bot_posts,
    buttons,
    deliver,
    endpoint,
    private_answers,
    shown_text,
    steward,
    wait_for,
)

ANSWERS = ("chat.postMessage", "chat.postEphemeral")


async def private_answer(fake: FakeSlack, answer: Any) -> str:
    """The first private answer a command got (in its ack, or through the response_url)."""
    [shown, *_] = await wait_for(lambda: private_answers(fake, answer))
    return shown


def followed_up(fake: FakeSlack) -> list[str]:
    """The texts Steward sent through response_urls."""
    return [e.get("text", "") for e in fake.ephemerals if e.get("response_url")]


async def test_unsigned_badly_signed_and_stale_requests_are_refused(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    bob, carol = space.person("bob"), space.person("carol")
    async with steward(config) as run:
        url = endpoint(run)
        said = fake.add_message(general, bob, "let me in")
        event = fake.event(fake.message_event(general, bob, "let me in", said))
        forged = (
            {"signed": False},
            {"secret": "not-the-signing-secret"},
            {"timestamp": time.time() - 360},
        )
        answers_before = sum(len(fake.called(m)) for m in ANSWERS)
        for options in forged:
            stats = fake.command("/stats", "me", user_id=bob, channel_id=general)
            refused = [
                await fake.post_http(url, event, kind="event", **options),
                await fake.post_http(url, stats, kind="command", **options),
            ]
            assert [r.status for r in refused] == [401, 401], (options, refused)
        welcome = fake.add_message(general, carol, "welcome")
        honest = fake.event(fake.message_event(general, carol, "welcome", welcome))
        assert (await fake.post_http(url, honest)).status == 200
        await wait_for(lambda: run.count("message", carol) == 1)
        assert run.count("message", bob) == 0
        assert run.count("command") == 0
        assert sum(len(fake.called(m)) for m in ANSWERS) == answers_before
        assert not fake.ephemerals


async def test_an_event_slack_retries_is_counted_once(space: Workspace, any_config: Path):
    fake, general = space.fake, space.channel("general")
    bob, carol = space.person("bob"), space.person("carol")
    async with steward(any_config) as run:
        said = fake.add_message(general, bob, "first!")
        event = fake.event(fake.message_event(general, bob, "first!", said))
        await deliver(run, fake, event, "event")
        retry = {"retry_num": 1} if run.adapter.config.mode == "http" else {"retry_attempt": 1}
        await deliver(run, fake, event, "event", retry_reason="http_timeout", **retry)
        later = fake.add_message(general, carol, "second")  # handled after the retry
        await deliver(
            run, fake, fake.event(fake.message_event(general, carol, "second", later)), "event"
        )
        await wait_for(lambda: run.count("message", carol) == 1)
        assert run.count("message", bob) == 1
        stats = fake.command("/stats", "me", user_id=bob, channel_id=general)
        shown = await private_answer(fake, await deliver(run, fake, stats, "command"))
    assert "*Messages*\n1 · 1" in shown, shown  # the last 7 days · the last 30


def _with_a_slow_command(release: asyncio.Event) -> Callable[[Steward], None]:
    """`/slow` answers once `release` is set; the deadline is 0.3 s (the core defers at 0.2 s
    instead of 2 s, to keep the test short)."""

    def prepare(app: Steward) -> None:
        async def slow(ctx: CommandContext) -> None:
            await release.wait()
            await ctx.reply(Message(text="done at last"))

        app.registry.add(CommandSpec("slow", "a slow command for tests", slow))
        adapter = app.adapters["slack"]
        adapter.capabilities = replace(adapter.capabilities, ack_seconds=0.3)

    return prepare


async def test_a_slow_command_is_acknowledged_in_time_then_answered(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    release = asyncio.Event()
    async with steward(config, _with_a_slow_command(release)) as run:
        asked = fake.command("/slow", "", user_id=bob, channel_id=general)
        answer = await deliver(run, fake, asked, "command")
        assert answer.status == 200 and answer.elapsed < 3
        assert not release.is_set() and not followed_up(fake)  # still working on it
        release.set()
        await wait_for(lambda: followed_up(fake))
    assert followed_up(fake) == ["done at last"]
    [private] = fake.ephemerals
    assert private["response_type"] == "ephemeral"


async def test_an_answer_the_response_url_refuses_reaches_the_member_another_way(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    release = asyncio.Event()
    async with steward(config, _with_a_slow_command(release)) as run:
        asked = fake.command("/slow", "", user_id=bob, channel_id=general)
        await deliver(run, fake, asked, "command")
        fake.response_urls.clear()  # expired (Slack keeps one 30 minutes, for 5 answers)
        release.set()
        await wait_for(lambda: fake.called("chat.postEphemeral"))
    [sent] = fake.called("chat.postEphemeral")
    assert (sent["channel"], sent["user"], sent["text"]) == (general, bob, "done at last")


def _with_views_open_taking_a_while(app: Steward) -> None:
    """views.open answers after 0.2 s (Slack under load): an ack sent before it would come
    back before the view is open."""
    client = app.adapters["slack"].client
    views_open = client.views_open

    async def slow_views_open(**kwargs: Any) -> Any:
        await asyncio.sleep(0.2)  # the network's latency, not a wait for a condition
        return await views_open(**kwargs)

    client.views_open = slow_views_open


async def test_respond_opens_the_survey_form_on_the_clicks_trigger_before_the_ack(
    space: Workspace, config: Path
) -> None:
    fake, general, managers = space.fake, space.channel("general"), space.channel("managers")
    alice, bob = space.person("alice"), space.person("bob")
    async with steward(config, _with_views_open_taking_a_while) as run:
        create = 'create title:"Meetup feedback" questions:"How was it (1-5) | What next"'
        survey = fake.command("/survey", f"{create} channel:#general", user_id=alice,
                              channel_id=managers)  # fmt: skip
        made = await deliver(run, fake, survey, "command")
        assert made.status == 200, made
        [post] = await wait_for(lambda: bot_posts(fake, general))
        assert "Meetup feedback" in shown_text(post)
        click = fake.block_actions(
            user_id=bob, channel_id=general, message_ts=post["ts"],
            action_id=buttons(post)["Respond"],
        )  # fmt: skip
        answer = await deliver(run, fake, click, "interactive")
        assert answer.status == 200
        opened = [v for v in fake.views if v.get("trigger_id") == click["trigger_id"]]
        assert opened, fake.views  # there when the ack came: views.open went first
        await wait_for(lambda: run.count("button", bob) == 1)
    labels = [b["label"]["text"] for b in opened[0]["view"]["blocks"] if b["type"] == "input"]
    assert labels == ["How was it (1-5)", "What next"]
