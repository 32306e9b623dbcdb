"""After /privacy forget, a poll its author wrote keeps its counts but not their question."""

from __future__ import annotations

from sqlmodel import select

from bot.features.polls.store import Poll
from tests.features.polls.test_polls import results_posts
from tests.recording import Posted, Recorded

REMOVED = "(removed at the author's request)"
MINE = '/poll create question:"Should quinn host the AMA?" options:"Yes | No"'


def questions(recorded: Recorded) -> list[str]:
    return recorded.app.store.call(lambda s: list(s.exec(select(Poll.question)).all()))


async def _mine(recorded: Recorded, options: str = "") -> Posted:
    """quinn opens the poll that names them; its post."""
    [poll] = (await recorded.command(f"{MINE} {options}".strip(), by="quinn")).public("poll")
    return poll


async def test_an_open_poll_loses_its_authors_question_and_keeps_its_votes(
    recorded: Recorded,
) -> None:
    poll = await _mine(recorded)
    await recorded.click(poll, "Yes", by="bob")
    await recorded.click(poll, "No", by="carol")
    await recorded.advance("1s")
    assert poll.text == "Should quinn host the AMA?"
    await recorded.command("/privacy forget confirm:true", by="quinn")
    await recorded.advance("2s")
    assert poll.text == REMOVED and "quinn" not in poll.plain
    assert poll.labels == ["Yes · 1", "No · 1"]
    assert "2 voters" in poll.plain
    assert questions(recorded) == [REMOVED]


async def test_a_closed_poll_and_its_results_post_lose_the_question(
    recorded: Recorded,
) -> None:
    poll = await _mine(recorded, "closes:1h")
    await recorded.click(poll, "Yes", by="bob")
    [results] = results_posts(await recorded.advance("1h"))
    assert results.text.startswith("Results: Should quinn host the AMA?")

    await recorded.command("/privacy forget confirm:true", by="quinn")
    await recorded.advance("2s")
    assert poll.text == REMOVED and "1 voter · closed" in poll.plain
    assert results.edits == 1 and results.text.startswith(f"Results: {REMOVED}")
    assert results.fields["Yes"] == "██████████ 1 · 100%"
    assert "Winner: Yes (1 vote)" in results.plain
    assert "quinn" not in poll.plain + results.plain
    image = results.message.image
    assert image is not None and image.alt.endswith("of poll 1") and "quinn" not in image.alt
    assert questions(recorded) == [REMOVED]


async def test_others_polls_are_left_alone(recorded: Recorded) -> None:
    poll = await _mine(recorded)
    await recorded.click(poll, "Yes", by="bob")
    await recorded.advance("1s")
    assert poll.labels[0] == "Yes · 1"
    await recorded.command("/privacy forget confirm:true", by="bob")
    await recorded.advance("2s")
    assert poll.text == "Should quinn host the AMA?" and poll.labels[0] == "Yes · 0"
    assert questions(recorded) == ["Should quinn host the AMA?"]
