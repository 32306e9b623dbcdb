"""A poll's results post: once, through the outbox, whatever happened to the poll's message."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.core.config import Settings
from bot.store.models import BotMessage
from tests.conftest import START, open_recorded
from tests.features.polls.test_polls import open_poll, results_posts
from tests.recording import Posted, Recorded


async def voted_poll(recorded: Recorded, options: str = "") -> Posted:
    """The Mon/Wed/Fri poll (with extra options), with bob's vote for Fri."""
    poll = await open_poll(recorded, options)
    await recorded.click(poll, "Fri", by="bob")
    return poll


async def test_a_poll_whose_message_was_deleted_still_closes_and_is_announced(
    recorded: Recorded,
) -> None:
    poll = await voted_poll(recorded)
    recorded.adapter.posts.remove(poll)  # deleted on the platform: it can no longer be edited
    said = await recorded.command("/poll close id:1")
    assert said.told("you") == ["Closed poll 1; the results are posted under it."]
    [posted] = results_posts(said)
    assert "Fri: ██████████ 1 · 100%" in posted.plain
    said = await recorded.command("/poll close id:1")
    assert said.told("you")[0].startswith("Poll 1 is already closed.")
    assert results_posts(said) == []


async def test_a_poll_whose_message_was_deleted_is_announced_at_its_closing_time(
    recorded: Recorded,
) -> None:
    recorded.adapter.posts.remove(await voted_poll(recorded, "closes:1h"))
    said = await recorded.advance("1h")
    assert len(results_posts(said)) == 1
    assert results_posts(await recorded.advance("1d")) == []


async def test_a_poll_that_fell_due_while_steward_was_down_is_announced_once(
    settings: Settings,
) -> None:
    first = await open_recorded(settings)
    await voted_poll(first, "closes:1h")
    await first.app.stop()
    first.app.store.close()

    second = await open_recorded(settings, start=START + timedelta(hours=5))
    said = await second.run_due()
    [posted] = results_posts(said)
    assert posted.channel.name == "general" and "1 voter" in posted.plain
    assert results_posts(await second.advance("1d")) == []
    await second.app.stop()
    second.app.store.close()


async def test_the_results_post_is_remembered_as_the_polls_results(recorded: Recorded) -> None:
    await voted_poll(recorded)
    [posted] = results_posts(await recorded.command("/poll close id:1"))
    rows = recorded.app.store.call(
        lambda s: list(s.exec(select(BotMessage).where(BotMessage.feature == "poll")).all())
    )
    assert sorted((r.role, r.ref_id) for r in rows) == [("poll", 1), ("results", 1)]
    [row] = [r for r in rows if r.role == "results"]
    assert (row.channel_id, row.platform_message_id) == (
        posted.channel.channel_id,
        posted.message_id,
    )
