"""Voters are told who can see their vote: a named poll says its author and managers can."""

from __future__ import annotations

from tests.features.polls.test_polls import open_poll
from tests.recording import Recorded

NOTICE = "Votes are not anonymous: the poll's author and managers can see who voted."


async def test_a_named_poll_tells_voters_the_author_sees_their_names(
    recorded: Recorded,
) -> None:
    poll = await open_poll(recorded)
    assert NOTICE in poll.plain
    await recorded.click(poll, "Wed", by="bob")
    await recorded.advance("1s")
    assert poll.edits >= 1 and NOTICE in poll.plain
    [reply] = (await recorded.command("/poll results id:1")).told("you")  # the author, a member
    assert "Wed: bob" in reply
    await recorded.advance("1d")
    assert "closed" in poll.plain and NOTICE in poll.plain  # still true after it closes


async def test_an_anonymous_poll_makes_no_such_claim(recorded: Recorded) -> None:
    poll = await open_poll(recorded, "anonymous:true")
    assert "anonymous" in poll.plain and "can see who voted" not in poll.plain
