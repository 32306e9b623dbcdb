"""The help channels of each platform, by id: `[inquiries] help_channels` names resolved once."""

from __future__ import annotations

import logging
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
        if adapter is None:
            stored = await self.app.store.run(_stored_channels, platform)
            found = {name: stored.get(name.lstrip("#")) for name in names}
        else:
            found = {name: await adapter.find_channel(name) for name in names}
        ids = {c.channel_id if not isinstance(c, str) else c for c in found.values() if c}
        missing = [name for name, channel in found.items() if not channel]
        return frozenset(ids), ", ".join(missing)


def _stored_channels(session: Session, platform: str) -> dict[str, str]:
    """The platform's stored channels: their ids by id and by name."""
    rows = session.exec(
        select(Channel.platform_channel_id, Channel.name).where(Channel.platform == platform)
    )
    found = {}
    for channel_id, name in rows:
        found[channel_id] = channel_id
        if name:
            found.setdefault(name, channel_id)
    return found
