"""Gateway events handed over without waiting: recorded in batches, then acted on in order.

A platform's gateway delivers messages, reactions and joins that need no answer. The adapter
hands each over (`deliver`) and goes on; the interaction log commits it with the others that
came meanwhile, and one task then calls the listeners for each new event in commit order, so
a busy server costs a queue entry per event rather than a waiting task.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from bot.core.events import InboundEvent
from bot.core.interaction_log import InteractionLog

log = logging.getLogger(__name__)


class Deliveries:
    """Events delivered and not yet acted on: `dispatch(event, None)` acts on a new one, and
    `failed(event)` tells of an error it raised (logging it)."""

    def __init__(
        self,
        interactions: InteractionLog,
        dispatch: Callable[[InboundEvent, None], Awaitable[None]],
        failed: Callable[[InboundEvent], Awaitable[None]],
    ) -> None:
        self._log = interactions
        self._dispatch = dispatch
        self._failed = failed
        self._ready: deque[InboundEvent] = deque()  # committed and new, not yet dispatched
        self._outstanding = 0  # delivered, not yet dispatched or dropped
        self._idle: asyncio.Event | None = None
        self._worker: asyncio.Task[None] | None = None

    async def deliver(self, event: InboundEvent) -> None:
        """Queue `event`; returns at once, or once there is room in the log's queue."""
        self._outstanding += 1
        try:
            room = self._log.submit(event, self._recorded)
        except BaseException:
            self._done_one()
            raise
        if room is not None:
            await room

    async def settled(self) -> None:
        """Wait until every event delivered so far is recorded and acted on."""
        while self._outstanding:
            if self._idle is None:
                self._idle = asyncio.Event()
            self._idle.clear()
            await self._idle.wait()

    @property
    def outstanding(self) -> int:
        """Events delivered and not yet acted on."""
        return self._outstanding

    def _recorded(self, event: InboundEvent, outcome: bool | Exception) -> None:
        """The log's word on `event` (on the loop, in commit order)."""
        if outcome is True:
            self._ready.append(event)
            if self._worker is None:
                self._worker = asyncio.get_running_loop().create_task(self._work())
            return
        if isinstance(outcome, Exception):
            log.error("event %s not recorded: %s", event.event_id, outcome)
        self._done_one()

    async def _work(self) -> None:
        try:
            while self._ready:
                event = self._ready.popleft()
                try:
                    await self._dispatch(event, None)
                except Exception:
                    await self._failed(event)
                finally:
                    self._done_one()
        finally:
            self._worker = None

    def _done_one(self) -> None:
        self._outstanding -= 1
        if not self._outstanding and self._idle is not None:
            self._idle.set()
