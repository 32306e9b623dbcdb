"""Voters are told who can see their vote: a named poll says its author and managers can."""

from __future__ import annotations

from tests.conftest import Community
from tests.features.polls.test_polls import CREATE, last_block

NOTICE = "Votes are not anonymous: the poll's author and managers can see who voted."


async def test_a_named_poll_tells_voters_the_author_sees_their_names(
    community: Community,
) -> None:
    out = await community.run(CREATE)
    assert NOTICE in last_block(out, "#2 [general] Steward [poll]")
    out = await community.run(":as bob\n:click 2 Wed\n:advance 1s")
    assert NOTICE in last_block(out, "#2 (edited)")
    out = await community.run(":as you\n/poll results id:1")  # the author, a plain member
    assert "Wed: bob" in last_block(out, "Steward → you (private): Poll 1")
    out = await community.run(":advance 1d")
    assert NOTICE in last_block(out, "#2 (edited)")  # still true after it closes


async def test_an_anonymous_poll_makes_no_such_claim(community: Community) -> None:
    out = await community.run(CREATE + " anonymous:true")
    poll = last_block(out, "#2 [general] Steward [poll]")
    assert "anonymous" in poll and "can see who voted" not in poll
