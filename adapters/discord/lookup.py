"""Finding a guild's channels, members and roles by name, mention or id."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

import discord

T = TypeVar("T", bound=Any)
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
    return _named(guild.text_channels, name_or_id.strip().lstrip("#"))


def role(guild: discord.Guild, name_or_id: str) -> discord.Role | None:
    """A role by id or `<@&id>`, else by name (exact, then any case)."""
    wanted = _id(name_or_id)
    if wanted is not None:
        return guild.get_role(wanted)
    return _named(guild.roles, name_or_id.strip().lstrip("@"))


def _named(items: Sequence[T], name: str) -> T | None:
    """The item called exactly `name`, else the first whose name differs only in case."""
    exact = next((item for item in items if item.name == name), None)
    if exact is not None:
        return exact
    folded = name.casefold()
    return next((item for item in items if item.name.casefold() == folded), None)


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
