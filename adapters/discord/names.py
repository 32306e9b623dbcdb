"""The managers' role and channel, by the name or id the configuration gives, kept by id: a
name that no longer matches after a rename still finds what it found before."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord

from adapters.discord import lookup
from adapters.discord.inbound import PLATFORM

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
    found = find(configured)
    kept = await app.recall(PLATFORM, key)
    if found is None and kept:
        found = find(kept)
        if found is not None:
            text = _renamed(key, configured, found.name, sigil)
            notices.append((f"renamed:{key}:{found.id}:{found.name}", text))
    if found is not None and str(found.id) != kept:
        await app.keep(PLATFORM, key, str(found.id))
    return found


def _renamed(key: str, configured: str, now: str, sigil: str) -> str:
    return (
        f"ℹ️ [discord] {key} names {sigil}{configured.lstrip(sigil)}, which is now called "
        f"{sigil}{now}: Steward goes on using it. Fix: put the new name (or its id) in the "
        "configuration."
    )
