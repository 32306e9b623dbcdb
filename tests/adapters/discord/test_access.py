"""Who may run a manager command, and where: refusals are private, the answer comes where
it is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.discord.harness import Guild, is_ephemeral, steward


@pytest.mark.parametrize(
    ("member", "channel", "expected"),
    [
        ("bob", "managers", "is for community managers"),
        ("alice", "general", "works only in the managers' channel"),
        ("alice", "managers", "Nothing scheduled"),
    ],
)
async def test_a_manager_command_is_refused_privately_unless_a_manager_asks_in_their_channel(
    guild: Guild, config: Path, member: str, channel: str, expected: str
) -> None:
    async with steward(config):
        asked = await guild.fake.slash(
            guild.member(member), guild.channel(channel), "calendar", {}, subcommand="list"
        )
        await asked.wait(lambda r: any(expected in text for text in r.texts()))
    answers = [b for b in asked.callbacks if b.get("type") == 4] + asked.followups
    assert answers and all(is_ephemeral(body) for body in answers)
    others = [t for t in asked.texts() if "is for community" in t or "works only" in t]
    assert bool(others) == (expected != "Nothing scheduled")
