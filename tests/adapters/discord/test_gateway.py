"""The gateway: `[discord] gateway_url` is used for every connection, resumes included, and a
new session (not resumed) catches up on what was posted while disconnected."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.discord.client import StewardClient
from tests.adapters.discord.harness import Guild, steward
from tests.fakes.discord_server import wait_for


async def test_a_resume_goes_to_the_configured_gateway_not_the_one_ready_names(
    guild: Guild, config: Path
) -> None:
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    fake.resume_gateway_url = "ws://127.0.0.1:9/somewhere-else"  # nothing listens there
    async with steward(config) as running:
        await fake.drop(resumable=True)
        await wait_for(lambda: fake.resumes == 1, timeout=10)
        await fake.wait_ready()
        await fake.post(general, bob, "after the resume")
        await wait_for(lambda: running.count("message", bob) == 1)
    assert len(fake.identify_payloads) == 1


async def _identify_at_once(client: object, shard_id: int | None, *, initial: bool = False) -> None:
    return None


async def test_a_new_session_catches_up_on_what_was_posted_while_disconnected(
    guild: Guild, config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # discord.py waits 5 s before identifying again (Discord's identify rate limit); the
    # fake has no such limit, so the test skips the wait through the hook meant for it
    monkeypatch.setattr(StewardClient, "before_identify_hook", _identify_at_once)
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        await fake.post(general, bob, "before")
        await wait_for(lambda: running.count("message", bob) == 1)
        await fake.drop(resumable=False)
        await fake.post(general, bob, "while disconnected")
        await wait_for(lambda: len(fake.identify_payloads) == 2, timeout=15)
        await wait_for(lambda: running.count("message", bob) == 2, timeout=10)
