"""Closing contests on time: entries close, then winners are drawn (or votes tallied)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.features.contests import store as contest_store
from bot.features.contests.outcome import close_contest

if TYPE_CHECKING:
    from bot.core.app import Steward

log = logging.getLogger(__name__)


class ContestClosing:
    """A due job: every open contest whose closing time has come is closed and decided."""

    name = "contest-closing"

    def __init__(self, app: Steward) -> None:
        self.app = app
        self.failed: set[int] = set()  # not retried until restart, so a bad one cannot spin

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(contest_store.next_closing, self.failed)

    async def run(self, now: datetime) -> None:
        for contest_id in await self.app.store.run(contest_store.due_contests, now, self.failed):
            try:
                await close_contest(self.app, contest_id, now)
            except Exception:
                self.failed.add(contest_id)
                log.exception("closing contest %s failed; retried after a restart", contest_id)
