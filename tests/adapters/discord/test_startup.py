"""Starting on Discord: what stops the start, in one line that says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import StartupError
from tests.adapters.discord.harness import Guild, steward, write_config


async def test_a_guild_the_bot_is_not_in_stops_the_start(guild: Guild, tmp_path: Path):
    config = write_config(
        tmp_path / "steward.toml", guild.fake, tmp_path / "s.db", guild_id="123456789012345678"
    )
    with pytest.raises(StartupError, match="not in guild 123456789012345678"):
        async with steward(config):
            pass
