"""What the Discord adapter does once per start: register the commands (only when they
changed) and check that every channel it will work in lets it work there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from adapters.discord import health, lookup
from adapters.discord.command_tree import fingerprint
from adapters.discord.inbound import PLATFORM

if TYPE_CHECKING:
    from adapters.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)


async def sync_commands(adapter: DiscordAdapter) -> None:
    """Register the commands with Discord (on the guild: at once; else globally), unless
    they are what this database registered before and Discord still has them all (Discord
    rate-limits registering). On a guild, commands left globally by an earlier set-up
    without `guild_id` are removed, so none shows twice."""
    config, tree = adapter.config, adapter.client.tree
    guild = discord.Object(int(config.guild_id)) if config.guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
        tree.clear_commands(guild=None)
    key = f"commands:{adapter.client.application_id}:{config.guild_id or 'global'}"
    digest = fingerprint(tree, guild)
    app = adapter.require_app()
    ours = {command.name for command in tree.get_commands(guild=guild)}
    theirs = {command.name for command in await tree.fetch_commands(guild=guild)}
    if await app.recall(PLATFORM, key) == digest and theirs == ours:
        log.info("Discord: commands unchanged since the last start; not syncing")
        return
    await tree.sync(guild=guild)
    if guild is not None and await tree.fetch_commands():
        await tree.sync()  # the global list, now empty
    await app.keep(PLATFORM, key, digest)
    log.info("Discord: synced %d commands", len(ours))


async def check_channels(adapter: DiscordAdapter) -> None:
    """The manager role exists; the managers' channel, the configured channels and those
    scheduled posts go to exist and let Steward do its work there (told once, and logged)."""
    guild = adapter.require_guild()
    if not adapter.translator.manager_role_id:
        text = health.role_missing(adapter.config.manager_role)
        await adapter.tell_once("role:manager_role", text, every_start=True)
    for key, name, needed, purpose in _configured(adapter):
        channel = lookup.channel(guild, name)
        if channel is None:
            text = health.channel_missing(name, key)
            await adapter.tell_once(f"channel:{key}:{name}", text, every_start=True)
            continue
        await adapter.sender.check(channel, needed, purpose)
    for channel_id in sorted(await adapter.require_app().channels_in_use(PLATFORM)):
        channel = lookup.channel(guild, channel_id)
        if channel is None:
            text = health.post_channel_missing(channel_id)
            await adapter.tell_once(f"channel:in-use:{channel_id}", text, every_start=True)
            continue
        await adapter.sender.check(channel, health.TO_POST, "publish scheduled posts")


def _configured(adapter: DiscordAdapter) -> list[tuple[str, str, dict[str, str], str]]:
    """(config key, channel name or id, permissions needed, what for) of each one; the
    managers' channel by the id it was resolved to (it may have been renamed)."""
    config = adapter.config
    out = [("[discord] admin_channel", adapter.admin_channel, health.TO_POST, "tell managers")]
    if config.digest_channel:
        out.append(("[discord] digest_channel", adapter.digest_channel, health.TO_POST, "post"))
    for name in adapter.settings.inquiries.help_channels:
        out.append(("[inquiries] help_channels", name, health.TO_READ, "follow questions"))
    return out
