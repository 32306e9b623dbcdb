"""The due job that closes things (polls, surveys) at their closing time.

The database says what is due: `next_closing(session)` gives the earliest closing time of
anything still open, `due(session, now)` the ids whose time has come.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.store.database import Store

log = logging.getLogger(__name__)

NextClosing = Callable[..., datetime | None]
DueIds = Callable[..., list[int]]
Close = Callable[[int, datetime], Awaitable[object]]


class ClosingJob:
    """Closes every open item whose closing time has come; one failure keeps no other open."""

    def __init__(
        self, name: str, store: Store, next_closing: NextClosing, due: DueIds, close: Close
    ) -> None:
        self.name = name
        self.store = store
        self.next_closing = next_closing
        self.due = due
        self.close = close

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.store.run(self.next_closing)

    async def run(self, now: datetime) -> None:
        for item_id in await self.store.run(self.due, now):
            try:
                await self.close(item_id, now)
            except Exception:
                log.exception("%s: closing #%s failed", self.name, item_id)
