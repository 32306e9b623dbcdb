"""A poll's results post: once, through the outbox, whatever happened to the poll's message."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.core.config import Settings
from bot.store.models import BotMessage
from tests.conftest import START, open_recorded
from tests.recording import Posted, Recorded

CREATE = '/poll create question:"Best AMA day?" options:"Mon | Wed | Fri"'


def results(posts: list[Posted]) -> list[Posted]:
    return [p for p in posts if not p.private and p.text.startswith("Results:")]


async def open_poll(recorded: Recorded, options: str = "") -> Posted:
    [poll] = (await recorded.command(f"{CREATE} {options}".strip())).public("poll")
    await recorded.click(poll, "Fri", by="bob")
    return poll


async def test_a_poll_whose_message_was_deleted_still_closes_and_is_announced(
    recorded: Recorded,
) -> None:
    poll = await open_poll(recorded)
    recorded.adapter.posts.remove(poll)  # deleted on the platform: it can no longer be edited
    said = await recorded.command("/poll close id:1")
    assert said.told("you") == ["Closed poll 1; the results are posted under it."]
    [posted] = results(said)
    assert "Fri: ██████████ 1 · 100%" in posted.plain
    said = await recorded.command("/poll close id:1")
    assert said.told("you")[0].startswith("Poll 1 is already closed.")
    assert results(said) == []


async def test_a_poll_whose_message_was_deleted_is_announced_at_its_closing_time(
    recorded: Recorded,
) -> None:
    recorded.adapter.posts.remove(await open_poll(recorded, "closes:1h"))
    said = await recorded.advance("1h")
    assert len(results(said)) == 1
    assert results(await recorded.advance("1d")) == []


async def test_a_poll_that_fell_due_while_steward_was_down_is_announced_once(
    settings: Settings,
) -> None:
    first = await open_recorded(settings)
    await open_poll(first, "closes:1h")
    await first.app.stop()
    first.app.store.close()

    second = await open_recorded(settings, start=START + timedelta(hours=5))
    said = await second.run_due()
    [posted] = results(said)
    assert posted.channel.name == "general" and "1 voter" in posted.plain
    assert results(await second.advance("1d")) == []
    await second.app.stop()
    second.app.store.close()


async def test_the_results_post_is_remembered_as_the_polls_results(recorded: Recorded) -> None:
    await open_poll(recorded)
    [posted] = results(await recorded.command("/poll close id:1"))
    rows = recorded.app.store.call(
        lambda s: list(s.exec(select(BotMessage).where(BotMessage.feature == "poll")).all())
    )
    assert sorted((r.role, r.ref_id) for r in rows) == [("poll", 1), ("results", 1)]
    [row] = [r for r in rows if r.role == "results"]
    assert (row.channel_id, row.platform_message_id) == (
        posted.channel.channel_id,
        posted.message_id,
    )
