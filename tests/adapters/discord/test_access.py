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
        fake.channels[managers]["name"] = "mods-only"
        fake.roles[guild.manager_role]["name"] = "Moderators"
        await fake.dispatch("CHANNEL_UPDATE", fake.channel_payload(managers))
        await fake.drop(resumable=False)  # a new session: names are looked up again
        await fake.wait_ready(timeout=15)
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
