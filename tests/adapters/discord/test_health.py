"""Self-health: a permission Steward lacks is reported once, naming it and the channel."""

from __future__ import annotations

from pathlib import Path

import discord

from tests.adapters.discord.harness import Guild, bot_posts, shown_text, steward, write_config
from tests.fakes.discord_server import wait_for

SEND = discord.Permissions(send_messages=True).value


async def test_a_missing_permission_is_one_warning_in_the_managers_channel(
    guild: Guild, tmp_path: Path
) -> None:
    fake = guild.fake
    announcements = guild.channel("announcements")
    fake.deny(announcements, SEND)
    config = write_config(
        tmp_path / "steward.toml", fake, tmp_path / "s.db", digest_channel="announcements"
    )
    async with steward(config) as running:
        managers = guild.channel("managers")

        def warnings() -> list[dict]:
            return [m for m in bot_posts(fake, managers) if "Send Messages" in shown_text(m)]

        [warning] = await wait_for(warnings)
        sent = running.app.send("discord", announcements, _message("hello"))
        try:
            await sent
        except PermissionError as exc:
            assert "Send Messages" in str(exc)
        else:
            raise AssertionError("a post where Steward may not send must fail, not vanish")
    assert "#announcements" in shown_text(warning)
    assert "Server Settings" in shown_text(warning)
    assert len(warnings()) == 1
    assert not bot_posts(fake, announcements)


def _message(text: str):
    from bot.core.messages import Message

    return Message(text=text)


async def test_a_scheduled_posts_channel_without_permission_is_told_at_the_next_start(
    guild: Guild, config: Path
) -> None:
    fake, managers = guild.fake, guild.channel("managers")
    announcements = guild.channel("announcements")
    options = {"when": "+1d", "channel": announcements, "type": "video", "text": "Demo day"}
    async with steward(config):
        alice = guild.member("alice")
        added = await fake.slash(alice, managers, "calendar", options, subcommand="add")
        await added.answered()
    fake.deny(announcements, SEND)
    async with steward(config):
        pass
    told = [shown_text(m) for m in bot_posts(fake, managers) if "lacks" in shown_text(m)]
    assert len(told) == 1
    assert "#announcements" in told[0] and "publish scheduled posts" in told[0]
