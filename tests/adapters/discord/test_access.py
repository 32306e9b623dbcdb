"""Who may run a manager command, and where: refusals are private, the answer comes where
it is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.adapters.discord.harness import (
    Guild,
    bot_posts,
    is_ephemeral,
    shown_text,
    steward,
    write_config,
)


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


async def test_managers_channel_and_role_given_by_id_survive_a_rename(guild: Guild, tmp_path):
    fake, managers = guild.fake, guild.channel("managers")
    config = write_config(
        tmp_path / "steward.toml",
        fake,
        tmp_path / "s.db",
        admin_channel=managers,
        manager_role=guild.manager_role,
    )
    async with steward(config):
        pass
    fake.channels[managers]["name"] = "mods-only"
    fake.roles[guild.manager_role]["name"] = "Moderators"
    async with steward(config):  # names are looked up again: the ids still match
        asked = await fake.slash(guild.member("alice"), managers, "calendar", {}, subcommand="list")
        await asked.wait(lambda r: any("Nothing scheduled" in t for t in r.texts()), timeout=10)


async def test_a_manager_role_that_does_not_exist_is_told_to_the_managers(guild: Guild, tmp_path):
    fake = guild.fake
    config = write_config(
        tmp_path / "steward.toml", fake, tmp_path / "s.db", manager_role="Stewards"
    )
    async with steward(config):
        pass
    posts = bot_posts(fake, guild.channel("managers"))
    notices = [shown_text(m) for m in posts if "manager_role" in shown_text(m)]
    assert len(notices) == 1
    assert "'Stewards'" in notices[0]


async def test_a_managers_channel_and_role_renamed_after_a_start_keep_working(guild: Guild, config):
    fake, managers = guild.fake, guild.channel("managers")
    async with steward(config):  # the configuration names them: managers, Community Manager
        pass
    fake.channels[managers]["name"] = "mods-only"
    fake.roles[guild.manager_role]["name"] = "Moderators"
    async with steward(config):
        asked = await fake.slash(guild.member("alice"), managers, "calendar", {}, subcommand="list")
        await asked.wait(lambda r: any("Nothing scheduled" in t for t in r.texts()), timeout=10)
    told = [shown_text(m) for m in bot_posts(fake, managers) if "now called" in shown_text(m)]
    assert len(told) == 2
    assert any("#managers" in t and "#mods-only" in t for t in told)
    assert any("@Community Manager" in t and "@Moderators" in t for t in told)
    assert not [m for m in bot_posts(fake, managers) if "cannot find" in shown_text(m)]


async def test_the_digest_channel_is_known_by_id_and_survives_a_rename(guild: Guild, tmp_path):
    fake, announcements = guild.fake, guild.channel("announcements")
    config = write_config(
        tmp_path / "steward.toml", fake, tmp_path / "s.db", digest_channel="#announcements"
    )
    async with steward(config) as running:
        assert running.adapter.digest_channel == announcements
    fake.channels[announcements]["name"] = "news"
    async with steward(config) as running:
        assert running.adapter.digest_channel == announcements
    told = [shown_text(m) for m in bot_posts(fake, guild.channel("managers"))]
    assert any("digest_channel" in t and "#news" in t for t in told)
