"""The due job that closes polls at their closing time (the database says which are due)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.poll_store import due_polls, next_closing
from bot.store.database import Store

log = logging.getLogger(__name__)
ClosePoll = Callable[[int, datetime], Awaitable[bool]]


class PollClosingJob:
    """Closes every open poll whose closing time has come, each exactly once."""

    name = "poll-closing"

    def __init__(self, store: Store, close: ClosePoll) -> None:
        self.store = store
        self.close = close

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.store.run(next_closing)

    async def run(self, now: datetime) -> None:
        for poll_id in await self.store.run(due_polls, now):
            try:
                await self.close(poll_id, now)
            except Exception:  # one poll's failure must not keep the others open
                log.exception("closing poll %s failed", poll_id)
