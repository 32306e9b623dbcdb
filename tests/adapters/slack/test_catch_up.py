"""Nothing lost across downtime on Slack: what was posted while Steward was stopped (new
threads, replies in older ones and every page of a busy channel) is recorded at the next
start, exactly once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from adapters.slack.history import THREAD_DAYS
from bot.core.app import Steward
from bot.core.events import InboundEvent, MessagePosted, ReplyPosted
from tests.adapters.slack.harness import Workspace, deliver, steward, wait_for

BUSY = 250  # more than one page of conversations.history (Steward asks for 200)


async def _post_live(run, space: Workspace, channel: str, name: str, text: str) -> str:
    """`name` posts in `channel` while Steward runs (the message event, delivered); its ts."""
    fake, where, who = space.fake, space.channel(channel), space.person(name)
    ts = fake.add_message(where, who, text)
    await deliver(run, fake, fake.event(fake.message_event(where, who, text, ts)), "event")
    return ts


async def test_messages_and_thread_replies_posted_while_away_are_recorded_once(
    space: Workspace, config: Path
) -> None:
    fake, general, help_ = space.fake, space.channel("general"), space.channel("help")
    bob, carol, dave = space.person("bob"), space.person("carol"), space.person("dave")
    async with steward(config) as run:
        before = await _post_live(run, space, "general", "bob", "before the restart")
        await _post_live(run, space, "help", "carol", "how do I export?")
        await wait_for(lambda: run.count("message") == 2)
    fake.add_message(general, bob, "while away 1")
    root = fake.add_message(general, carol, "a thread while away")
    fake.add_message(general, bob, "first reply", thread_ts=root)
    fake.add_message(general, dave, "second reply", thread_ts=root)
    fake.add_message(general, bob, "while away 2")
    fake.add_message(general, carol, "a late answer to the old post", thread_ts=before)
    for n in range(BUSY):
        fake.add_message(help_, carol, f"busy day {n}")
    fake.calls.clear()
    async with steward(config) as run:
        assert run.count("message", bob) == 3
        assert run.count("message", carol) == 2 + BUSY
        assert run.count("reply") == 3
        assert run.count("reply", bob) == run.count("reply", dave) == 1
        assert run.count("reply", carol) == 1  # in a thread started before the downtime
    pages = [p for p in fake.called("conversations.history") if p["channel"] == help_]
    assert len(pages) == 2 and pages[1].get("cursor")
    assert sorted(p["ts"] for p in fake.called("conversations.replies")) == [before, root]
    async with steward(config) as run:
        assert (run.count("message"), run.count("reply")) == (5 + BUSY, 3)


async def test_a_failed_catch_up_is_made_good_at_the_next_start(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(config) as run:
        await _post_live(run, space, "general", "bob", "before the restart")
        await wait_for(lambda: run.count("message") == 1)
    fake.add_message(general, bob, "while away 1")
    fake.add_message(general, bob, "while away 2")
    fake.fail_next("conversations.history", "internal_error", status=200)  # no retry
    async with steward(config) as run:
        assert run.count("message", bob) == 1
        live = await _post_live(run, space, "general", "carol", "a live one after the failure")
        await wait_for(lambda: run.count("message") == 2)
    async with steward(config) as run:
        assert run.count("message", bob) == 3
        assert run.count("message") == 4
    fake.calls.clear()
    async with steward(config) as run:
        assert run.count("message") == 4
    (read,) = fake.called("conversations.history")  # caught up: from the newest again
    assert Decimal(read["oldest"]) == Decimal(live) - THREAD_DAYS * 86_400


def _fetched(seen: list[InboundEvent]) -> Callable[[Steward], None]:
    """A `prepare` that keeps in `seen` what the catch-up hands the core to record."""

    def prepare(app: Steward) -> None:
        record = app.record_history

        async def keep(events: Sequence[InboundEvent]) -> int:
            seen.extend(events)
            return await record(events)

        app.record_history = keep  # type: ignore[method-assign]

    return prepare


async def test_mentions_in_messages_posted_while_away_reach_the_core(
    space: Workspace, config: Path
) -> None:
    fake, help_ = space.fake, space.channel("help")
    bob, carol = space.person("bob"), space.person("carol")
    async with steward(config) as run:
        await _post_live(run, space, "help", "dave", "before the restart")
        await wait_for(lambda: run.count("message") == 1)
    root = fake.add_message(help_, bob, f"<@{carol}> how do I export?")
    fake.add_message(help_, carol, f"<@{bob}|bob> Settings, then Export", thread_ts=root)
    seen: list[InboundEvent] = []
    async with steward(config, _fetched(seen)) as run:
        assert run.count("message", bob) == run.count("reply", carol) == 1
    [asked] = [e for e in seen if isinstance(e, MessagePosted)]
    [answer] = [e for e in seen if isinstance(e, ReplyPosted)]
    assert (asked.mentions, answer.mentions) == ((carol,), (bob,))
