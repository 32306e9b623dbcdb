"""Finding a guild's channels, members and roles by name, mention or id."""

from __future__ import annotations

import re

import discord

_ID = re.compile(r"<[#@][!&]?(\d+)>|(\d{15,21})")


def _id(text: str) -> int | None:
    found = _ID.fullmatch(text.strip())
    return int(found.group(1) or found.group(2)) if found else None


def channel(
    guild: discord.Guild, name_or_id: str
) -> discord.abc.GuildChannel | discord.Thread | None:
    """A text channel or thread by id or `<#id>`, else a text channel by name (`#` optional;
    an exact name first, then one that differs only in case)."""
    wanted = _id(name_or_id)
    if wanted is not None:
        return guild.get_channel_or_thread(wanted)
    name = name_or_id.strip().lstrip("#")
    texts = guild.text_channels
    return next((c for c in texts if c.name == name), None) or next(
        (c for c in texts if c.name.casefold() == name.casefold()), None
    )


def role(guild: discord.Guild, name_or_id: str) -> discord.Role | None:
    """A role by id or `<@&id>`, else by name (exact, then any case)."""
    wanted = _id(name_or_id)
    if wanted is not None:
        return guild.get_role(wanted)
    name = name_or_id.strip().lstrip("@")
    roles = guild.roles
    return next((r for r in roles if r.name == name), None) or next(
        (r for r in roles if r.name.casefold() == name.casefold()), None
    )


async def member(guild: discord.Guild, name_or_id: str) -> discord.Member | None:
    """A member by id or `<@id>` (asked of Discord when not cached), else by name."""
    wanted = _id(name_or_id)
    if wanted is None:
        return guild.get_member_named(name_or_id.strip().lstrip("@"))
    found = guild.get_member(wanted)
    if found is not None:
        return found
    try:
        return await guild.fetch_member(wanted)
    except (discord.NotFound, discord.Forbidden):
        return None
