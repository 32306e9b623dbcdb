"""Steward on Discord in a test: the local fake Discord, and Steward started as `steward run
--config` starts it (the same settings loader, the same app, `serve`), on an offset clock."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import discord
import yarl
from discord.gateway import DiscordWebSocket
from sqlmodel import func, select

from adapters.discord import DiscordAdapter
from bot.bootstrap import platform_app
from bot.cli.options import load_cli_settings, open_store
from bot.cli.serve import serve
from bot.core.app import Steward
from bot.core.clock import OffsetClock
from bot.store.models import Interaction, Member
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
    lines = ["[storage]", f'url = "sqlite:///{db}"', "", "[discord]"]
    lines += [f"{key} = {_toml(value)}" for key, value in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@dataclass
class Running:
    """One Steward process, in-process: its app, clock and the task serving it."""

    app: Steward
    clock: OffsetClock
    task: asyncio.Task

    @property
    def adapter(self) -> DiscordAdapter:
        return self.app.adapters["discord"]  # type: ignore[return-value]

    async def advance(self, delta: timedelta) -> None:
        """Move the clock on and let the scheduler run what fell due."""
        self.clock.advance(delta)
        await self.app.work_added()

    async def stop(self) -> None:
        """Stop as SIGTERM does: the serving task is cancelled and shuts down cleanly."""
        if not self.task.done():
            self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task

    def count(self, kind: str, member_id: str | None = None) -> int:
        """Interactions of `kind` recorded (by the member with that Discord id)."""
        query = select(func.count()).select_from(Interaction).where(Interaction.kind == kind)
        if member_id is not None:
            query = query.join(Member, Member.id == Interaction.member_id).where(
                Member.platform_user_id == member_id
            )
        with self.app.store.session() as session:
            return session.exec(query).one()


@contextlib.asynccontextmanager
async def steward(
    config: Path, prepare: Callable[[Steward], None] | None = None
) -> AsyncIterator[Running]:
    """Steward running on `config` until the block ends (then stopped as by SIGTERM);
    `prepare(app)` runs before it starts (a test's own command, say)."""
    settings = load_cli_settings(config, None)
    clock = OffsetClock()
    app = platform_app(settings, clock, open_store(settings))
    if prepare is not None:
        prepare(app)
    task = asyncio.create_task(serve(app, real_time=True))
    running = Running(app, clock, task)
    adapter = running.adapter
    await wait_for(lambda: adapter.settled.is_set() or task.done(), timeout=15)
    if task.done():
        task.result()
    try:
        yield running
    finally:
        await running.stop()


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
