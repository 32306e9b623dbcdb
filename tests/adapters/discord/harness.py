"""Steward on Discord in a test: the local fake Discord, and Steward started as `steward run
--config` starts it (the same settings loader, the same app, `serve`), on an offset clock."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import discord
import yarl
from discord.gateway import DiscordWebSocket

from bot.core.app import Steward
from tests.adapters import running
from tests.fakes.discord_server import FakeDiscord, InteractionRecord, wait_for

MANAGER_ROLE = "Community Manager"


@dataclass
class Guild:
    """The fake guild's ids: channels and members by name."""

    fake: FakeDiscord
    channels: dict[str, str]
    members: dict[str, str]
    manager_role: str

    def channel(self, name: str) -> str:
        return self.channels[name]

    def member(self, name: str) -> str:
        return self.members[name]


def populate(fake: FakeDiscord) -> Guild:
    """general, help, announcements, managers; alice the manager; bob, carol and dave."""
    role = fake.add_role(MANAGER_ROLE)
    channels = {"general": fake.general_id}
    for name in ("help", "announcements", "managers"):
        channels[name] = fake.add_channel(name)
    members = {"alice": fake.add_member("alice", roles=[role])}
    for name in ("bob", "carol", "dave"):
        members[name] = fake.add_member(name)
    return Guild(fake, channels, members, role)


@contextlib.contextmanager
def restored_endpoints():
    """The adapter points discord.py at the fake; put the library's defaults back after."""
    base, gateway = discord.http.Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(str(gateway))


def write_config(path: Path, fake: FakeDiscord, db: Path, **discord_keys: object) -> Path:
    """A steward.toml for the fake guild (what a manager writes, pointed at the fake)."""
    keys = {
        "enabled": True,
        "token": "fake-token",
        "guild_id": fake.guild_id,
        "admin_channel": "managers",
        "manager_role": MANAGER_ROLE,
        "api_base_url": fake.api_base_url,
        "gateway_url": fake.gateway_url,
        **discord_keys,
    }
    return running.write_config(path, db, "discord", keys)


def steward(
    config: Path, prepare: Callable[[Steward], None] | None = None
) -> contextlib.AbstractAsyncContextManager[running.Running]:
    """Steward on Discord, running on `config` until the block ends."""
    return running.steward(config, "discord", prepare)


def buttons(message: dict) -> dict[str, str]:
    """A posted message's buttons: label -> custom id, in order."""
    return {
        button["label"]: button["custom_id"]
        for row in message.get("components", [])
        for button in row.get("components", [])
        if button.get("type") == 2
    }


def shown_text(message: dict) -> str:
    """Everything a member reads in a message: content, embed titles, texts and fields (with
    Discord's markdown escapes read as the characters they show)."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds", []):
        parts += [embed.get("title") or "", embed.get("description") or ""]
        for field in embed.get("fields", []):
            parts += [field["name"], field["value"]]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return re.sub(r"\\(.)", r"\1", "\n".join(p for p in parts if p))


def bot_posts(fake: FakeDiscord, channel_id: str) -> list[dict]:
    """The messages the bot posted in a channel, oldest first (as they read now)."""
    return [m for m in fake.messages.get(channel_id, []) if m["author"]["id"] == fake.bot_id]


def is_ephemeral(body: dict) -> bool:
    """An interaction callback or follow-up that only the member sees (flag 64)."""
    data = body.get("data", body)
    return bool(int(data.get("flags") or 0) & 64)


def answer_fields(record: InteractionRecord) -> dict[str, str]:
    """The embed fields of every answer to an interaction (callbacks and follow-ups)."""
    bodies = [body.get("data") or {} for body in record.callbacks] + record.followups
    bodies += record.edits
    return {
        field["name"]: field["value"]
        for body in bodies
        for embed in body.get("embeds") or []
        for field in embed.get("fields", [])
    }


async def open_poll(
    guild: Guild, member: str, channel: str, question: str, options: str
) -> tuple[dict, InteractionRecord]:
    """`member` runs `/poll create` in `channel`: the public poll post, and the command's
    interaction (for its private answers)."""
    fake, where = guild.fake, guild.channel(channel)
    asked = {"question": question, "options": options}
    created = await fake.slash(guild.member(member), where, "poll", asked, subcommand="create")
    await created.answered()
    posts = await wait_for(lambda: [p for p in bot_posts(fake, where) if p["content"] == question])
    return posts[0], created
