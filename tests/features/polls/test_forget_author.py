"""After /privacy forget, a poll its author wrote keeps its counts but not their question."""

from __future__ import annotations

from sqlmodel import select

from bot.features.polls.store import Poll
from tests.conftest import Community
from tests.features.calendar.support import number_of
from tests.features.polls.test_polls import last_block

REMOVED = "(removed at the author's request)"
MINE = '/poll create question:"Should quinn host the AMA?" options:"Yes | No"'


def questions(community: Community) -> list[str]:
    return community.app.store.call(lambda s: list(s.exec(select(Poll.question)).all()))


async def test_an_open_poll_loses_its_authors_question_and_keeps_its_votes(
    community: Community,
) -> None:
    await community.run(f":as quinn\n{MINE}\n:as bob\n:click 2 Yes\n:as carol\n:click 2 No")
    out = await community.run(":as quinn\n/privacy forget confirm:true\n:advance 2s")
    edited = last_block(out, "#2 (edited)")
    assert f"Steward [poll]: {REMOVED}" in edited
    assert "quinn" not in edited
    assert "[1: Yes · 1] [2: No · 1]" in edited
    assert "2 voters" in edited
    assert questions(community) == [REMOVED]


async def test_a_closed_poll_and_its_results_post_lose_the_question(
    community: Community,
) -> None:
    await community.run(f":as quinn\n{MINE} closes:1h\n:as bob\n:click 2 Yes")
    out = await community.run(":advance 1h")
    number = number_of(out, "Steward [poll]: Results: Should quinn host the AMA?")

    out = await community.run(":as quinn\n/privacy forget confirm:true\n:advance 2s")
    poll = last_block(out, "#2 (edited)")
    assert f"Steward [poll]: {REMOVED}" in poll
    assert "1 voter · closed" in poll
    edited = last_block(out, f"#{number} (edited)")
    assert f"Steward [poll]: Results: {REMOVED}" in edited
    assert "Yes: ██████████ 1 · 100%" in edited
    assert "Winner: Yes (1 vote)" in edited
    assert "quinn" not in poll + edited
    image = community.adapter.shown[int(number)].message.image
    assert image is not None and image.alt.endswith("of poll 1")
    assert questions(community) == [REMOVED]


async def test_others_polls_are_left_alone(community: Community) -> None:
    await community.run(f":as quinn\n{MINE}\n:as bob\n:click 2 Yes")
    out = await community.run(":as bob\n/privacy forget confirm:true\n:advance 2s")
    edited = last_block(out, "#2 (edited)")
    assert "Should quinn host the AMA?" in edited and "[1: Yes · 0]" in edited
    assert questions(community) == ["Should quinn host the AMA?"]
