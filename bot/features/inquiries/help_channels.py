"""The help channels of each platform, by id: `[inquiries] help_channels` names resolved once."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.store.models import Channel

if TYPE_CHECKING:
    from bot.core.services import CoreServices

log = logging.getLogger(__name__)
LOOK_AGAIN = timedelta(minutes=10)  # a help channel not found is looked up again this late


class HelpChannels:
    """Names and ids from the settings, as the platform's channel ids (looked up once; a
    name not found is looked up again LOOK_AGAIN later, and logged when first missed)."""

    def __init__(self, app: CoreServices) -> None:
        self.app = app
        self._found: dict[str, tuple[frozenset[str], datetime | None]] = {}

    async def on(self, platform: str) -> frozenset[str]:
        """The help channels' ids on `platform`."""
        now = self.app.clock.now()
        known = self._found.get(platform)
        if known is not None and (known[1] is None or now - known[1] < LOOK_AGAIN):
            return known[0]
        ids, missing = await self._look_up(platform)
        if missing and (known is None or known[0] != ids):
            log.warning("inquiries: help channel(s) %s not found on %s", missing, platform)
        self._found[platform] = (ids, now if missing else None)
        return ids

    async def _look_up(self, platform: str) -> tuple[frozenset[str], str]:
        """Through the platform's adapter; without one (a history import), among the
        channels stored, by id or name."""
        names = self.app.settings.inquiries.help_channels
        adapter = self.app.adapters.get(platform)
        stored = await self.app.store.run(_stored_channels, platform) if adapter is None else ()
        ids, missing = set(), []
        for name in names:
            if adapter is None:
                picked = among(name, stored)
                channel_id = picked[0] if picked else None
            else:
                channel = await adapter.find_channel(name)
                channel_id = channel.channel_id if channel else None
            if channel_id is None:
                missing.append(name)
            else:
                ids.add(channel_id)
        return frozenset(ids), ", ".join(missing)


def among(name_or_id: str, channels: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The (id, name) of `channels` that `name_or_id` names: by id (also as `<#id>` or
    `<#id|name>`), else by name in any case, with or without `#` (as the adapters find them)."""
    key = name_or_id.strip()
    if key.startswith("<#") and key.endswith(">"):
        key = key[2:-1].partition("|")[0]
    key = key.removeprefix("#")
    folded = key.casefold()
    listed = list(channels)
    by_id = next((c for c in listed if c[0] == key), None)
    return by_id or next((c for c in listed if c[1].casefold() == folded), None)


def help_channels_in(names: Iterable[str], channels: Iterable[tuple[str, str]]) -> list[str]:
    """The names of `channels` ((id, name) pairs) that the help channel settings name."""
    listed = list(channels)
    return sorted({found[1] for name in names if (found := among(name, listed))})


def _stored_channels(session: Session, platform: str) -> list[tuple[str, str]]:
    """The platform's stored channels, as (id, name)."""
    rows = session.exec(
        select(Channel.platform_channel_id, Channel.name).where(Channel.platform == platform)
    )
    return [(channel_id, name or "") for channel_id, name in rows]
