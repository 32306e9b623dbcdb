"""Fixtures: a local fake Discord with a small guild, and a config file pointing at it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.discord.harness import Guild, populate, restored_endpoints, write_config
from tests.fakes.discord_server import FakeDiscord


@pytest.fixture
async def guild() -> AsyncIterator[Guild]:
    fake = FakeDiscord()
    shown = populate(fake)
    await fake.start()
    with restored_endpoints():
        try:
            yield shown
        finally:
            await fake.stop()


@pytest.fixture
def config(guild: Guild, tmp_path: Path) -> Path:
    return write_config(tmp_path / "steward.toml", guild.fake, tmp_path / "steward.db")
