"""The managers' role and channel, by the name or id the configuration gives, kept by id: a
name that no longer matches after a rename still finds what it found before."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord import lookup
from adapters.discord.inbound import PLATFORM
from bot.core import kept_names

if TYPE_CHECKING:
    from bot.core.adapter import Core


async def resolve(
    app: Core, guild: discord.Guild, key: str, configured: str, notices: list[tuple[str, str]]
) -> Any:
    """The role (`manager_role`) or channel (`admin_channel`, `digest_channel`) that
    `configured` names, else the one found at an earlier start (renamed since: a notice
    says so); None if neither."""
    find: Callable[[str], Any] = (
        (lambda text: lookup.role(guild, text))
        if key == "manager_role"
        else (lambda text: lookup.channel(guild, text))
    )
    sigil = "@" if key == "manager_role" else "#"
    found, renamed = await kept_names.resolve(
        app, PLATFORM, key, configured, find, lambda item: str(item.id)
    )
    if renamed:
        notices.append(
            kept_names.renamed_notice(PLATFORM, key, configured, str(found.id), found.name, sigil)
        )
    return found
