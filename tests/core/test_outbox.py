"""The outbox: an announcement survives a dead process, is retried when the platform fails,
is reported to the managers after the last try, and is never posted twice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.core.config import Settings
from bot.core.envelope import Destination
from bot.core.messages import Message
from bot.core.outbox_store import BACKOFF, STALE_CLAIM
from bot.store.models import OutboxItem
from tests.conftest import START, make_settings, open_recorded
from tests.features.polls.test_polls import CREATE, open_poll, results_posts
from tests.recording import Recorded


class Killed(BaseException):
    """The process dies here: nothing after this line runs, no cleanup."""


def statuses(recorded: Recorded) -> list[str]:
    return recorded.app.store.call(lambda s: list(s.exec(select(OutboxItem.status)).all()))


async def stop(recorded: Recorded) -> None:
    await recorded.app.stop()
    recorded.app.store.close()


def fail_sends(recorded: Recorded, when: Callable[[Message], bool], times: int, error=None):
    """Make the platform refuse the sends `when` picks, `times` times (then take them)."""
    send = recorded.adapter.send
    left = {"n": times}

    async def failing(to: Destination, message: Message):
        if when(message) and left["n"] > 0:
            left["n"] -= 1
            raise error or RuntimeError("503 Service Unavailable")
        return await send(to, message)

    recorded.adapter.send = failing  # type: ignore[method-assign]
    return left


def is_results(message: Message) -> bool:
    return message.text.startswith("Results:")


async def voted_poll(settings: Settings) -> Recorded:
    first = await open_recorded(settings)
    await first.click(await open_poll(first), "Wed", by="bob")
    return first


async def test_a_poll_closed_just_before_the_process_died_is_announced_once_at_the_next_start(
    settings: Settings,
) -> None:
    first = await voted_poll(settings)

    async def die(*item_ids):  # the close is committed; the process dies before posting
        raise Killed

    first.app.outbox.send_now = die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await first.command("/poll close id:1")
    assert results_posts(first.posts) == [] and statuses(first) == ["pending"]
    await stop(first)

    second = await open_recorded(settings, start=START + timedelta(minutes=3))
    said = await second.run_due()  # what a process does when it starts
    [posted] = [p for p in said if is_results(p.message)]
    assert posted.channel.name == "general" and "Wed: ██████████ 1 · 100%" in posted.plain
    assert posted.message.image is not None  # the chart is rendered again, not stored
    assert (await second.advance("2h")) == [] and statuses(second) == ["sent"]
    await stop(second)

    third = await open_recorded(settings, start=START + timedelta(hours=3))
    assert await third.run_due() == []
    await stop(third)


async def test_a_process_that_died_before_sending_left_its_claim_to_the_next_one(
    settings: Settings,
) -> None:
    first = await voted_poll(settings)

    async def die(item):  # claimed (rendering the chart), then the process died
        raise Killed

    first.app.outbox._render = die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await first.command("/poll close id:1")
    await stop(first)

    second = await open_recorded(settings, start=START + timedelta(minutes=1))
    assert await second.run_due() == []  # the claim may still be alive: not stale yet
    said = await second.advance(STALE_CLAIM)
    assert len([p for p in said if is_results(p.message)]) == 1
    assert not said.told("managers") and statuses(second) == ["sent"]
    await stop(second)


async def test_a_process_that_died_while_sending_is_never_posted_twice_and_managers_check(
    settings: Settings,
) -> None:
    first = await voted_poll(settings)
    send = first.adapter.send

    async def die_sending(to: Destination, message: Message):
        if is_results(message):
            raise Killed  # the platform may or may not have taken it
        return await send(to, message)

    first.adapter.send = die_sending  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await first.command("/poll close id:1")
    await stop(first)

    second = await open_recorded(settings, start=START + timedelta(minutes=1))
    said = await second.advance(STALE_CLAIM + timedelta(minutes=1))
    assert [p for p in said if is_results(p.message)] == []
    [notice] = said.public(channel="managers")
    assert notice.text.startswith("⚠️ Steward stopped while posting the results of poll 1")
    assert "in #general; it may or may not have gone out" in notice.text
    assert statuses(second) == ["unconfirmed", "sent"]
    assert await second.advance("1d") == []
    await stop(second)


async def test_a_platform_failure_is_retried_after_the_backoff(recorded: Recorded) -> None:
    poll = await open_poll(recorded)
    fail_sends(recorded, is_results, times=2)
    said = await recorded.command("/poll close id:1")
    [reply] = said.told("you")
    assert reply.startswith("Poll 1 is closed; its results could not be posted yet")
    assert results_posts(recorded.posts) == []
    assert "closed" in poll.plain  # the poll itself shows it closed at once

    assert await recorded.advance(BACKOFF[0] - timedelta(seconds=1)) == []
    assert await recorded.advance(timedelta(seconds=1)) == []  # the 2nd try fails too
    said = await recorded.advance(BACKOFF[1])
    assert len([p for p in said if is_results(p.message)]) == 1
    assert await recorded.advance("1d") == [] and len(results_posts(recorded.posts)) == 1


async def test_after_the_last_try_the_managers_are_told_what_could_not_be_posted_and_why(
    recorded: Recorded,
) -> None:
    await recorded.command(CREATE)
    fail_sends(recorded, is_results, times=99)
    await recorded.command("/poll close id:1")
    for delay in BACKOFF[:-1]:
        assert (await recorded.advance(delay)).public(channel="managers") == []
    said = await recorded.advance(BACKOFF[-1])
    [notice] = said.public(channel="managers")
    assert notice.text == (
        "⚠️ Could not post the results of poll 1 in #general after 4 tries: "
        "RuntimeError: 503 Service Unavailable"
    )
    assert results_posts(recorded.posts) == [] and statuses(recorded) == ["failed", "sent"]
    assert await recorded.advance("1d") == []


async def test_a_notice_to_the_managers_waits_for_the_platform_and_is_never_lost(
    recorded: Recorded,
) -> None:
    fail_sends(recorded, lambda m: m.text == "Heads up", times=1)
    assert await recorded.app.notify_managers(Message(text="Heads up")) == []
    said = await recorded.advance(BACKOFF[0])
    assert [p.text for p in said.public(channel="managers")] == ["Heads up"]


async def test_a_notice_that_never_goes_out_is_logged_not_reported_in_a_loop(
    recorded: Recorded, caplog: pytest.LogCaptureFixture
) -> None:
    fail_sends(recorded, lambda m: True, times=99)
    await recorded.app.notify_managers(Message(text="Heads up"))
    await recorded.advance(sum(BACKOFF, timedelta()) + timedelta(minutes=1))
    assert statuses(recorded) == ["failed"]
    assert "a notice to the managers could not be posted" in caplog.text


async def test_two_processes_due_at_once_post_the_announcement_once(any_db_url: str) -> None:
    settings = make_settings(any_db_url)
    first = await voted_poll(settings)

    async def die(*item_ids):
        raise Killed

    first.app.outbox.send_now = die  # type: ignore[method-assign]
    with pytest.raises(Killed):
        await first.command("/poll close id:1")
    await stop(first)

    later = START + timedelta(minutes=1)
    one, two = await open_recorded(settings, later), await open_recorded(settings, later)
    before = len(one.posts), len(two.posts)
    await asyncio.gather(*(app.outbox.send_now(1) for app in (one.app, two.app) * 3))
    await asyncio.gather(one.run_due(), two.run_due())
    new = one.posts[before[0] :] + two.posts[before[1] :]
    assert len([p for p in new if is_results(p.message)]) == 1
    assert statuses(one) == ["sent"]
    await stop(one)
    await stop(two)


async def test_each_announcement_is_keyed_by_its_feature_ref_and_role(recorded: Recorded) -> None:
    """The keys that keep an announcement from being enqueued twice stay as they are stored."""
    recorded.manager("mia")
    await recorded.command(CREATE)
    await recorded.command("/poll close id:1")
    survey = '/survey create title:"Meetup" questions:"How was it? (1-5)"'
    await recorded.command(survey, by="mia", in_="managers")
    await recorded.command("/survey close id:1", by="mia", in_="managers")
    await recorded.command('/contest create title:"Best photo" closes:2d', by="mia", in_="managers")
    for name in ("bob", "cy"):
        await recorded.command("/contest enter id:1", by=name)
    await recorded.command("/contest draw id:1", by="mia", in_="managers")
    await recorded.command("/contest reroll id:1", by="mia", in_="managers")
    keys = recorded.app.store.call(lambda s: list(s.exec(select(OutboxItem.key)).all()))
    assert sorted(keys) == [
        "contest:1:round:1",
        "contest:1:round:2",
        "poll:1:results",
        "survey:1:results",
    ]


async def test_send_now_racing_the_due_job_gets_the_post_which_goes_out_once(
    recorded: Recorded,
) -> None:
    from bot.core.outbox_store import notice

    entered, release = asyncio.Event(), asyncio.Event()
    send = recorded.adapter.send

    async def slow(to: Destination, message: Message):
        entered.set()  # the due job is handing it to the platform
        await release.wait()
        return await send(to, message)

    recorded.adapter.send = slow  # type: ignore[method-assign]
    [item_id] = await recorded.app.outbox.enqueue(notice("test", Message(text="Heads up")))
    job = asyncio.create_task(recorded.app.outbox.run(recorded.clock.now()))
    await entered.wait()
    caller = asyncio.create_task(recorded.app.outbox.send_one(item_id))  # the feature's call
    await asyncio.sleep(0)  # it has looked at the item (not waiting for time)
    release.set()
    sent, _ = await asyncio.gather(caller, job)
    assert sent is not None  # the caller is told it went out, though the job delivered it
    assert [p.text for p in recorded.posts if p.text == "Heads up"] == ["Heads up"]
    assert statuses(recorded) == ["sent"]
