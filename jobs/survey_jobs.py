"""Closing surveys at their closing time."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.survey_store import due_to_close, next_closing

if TYPE_CHECKING:
    from bot.app import Steward

log = logging.getLogger(__name__)

Close = Callable[["Steward", int, datetime], Awaitable[bool]]


class SurveyCloser:
    """A due job: closes every open survey whose `closes_at` has come (the database says which)."""

    name = "survey-closing"

    def __init__(self, app: Steward, close: Close) -> None:
        self.app = app
        self.close = close

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(next_closing)

    async def run(self, now: datetime) -> None:
        for survey_id in await self.app.store.run(due_to_close, now):
            try:
                await self.close(self.app, survey_id, now)
            except Exception:  # one failing post must not keep the others open
                log.exception("closing survey #%s failed", survey_id)
