"""The listeners that hear recorded history (fetched after downtime, or imported)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING

from bot.core.context import EventContext
from bot.core.events import InboundEvent

if TYPE_CHECKING:
    from bot.core.services import CoreServices

log = logging.getLogger(__name__)
Handler = Callable[[EventContext], Awaitable[None]]
Channels = Callable[[str], Awaitable[Iterable[str]]]  # a platform's channel ids


class HistoryListeners:
    """Each listener with the channels whose history it needs (None: every channel)."""

    def __init__(self) -> None:
        self._listeners: list[tuple[Handler, Channels | None]] = []

    def add(self, handler: Handler, channels: Channels | None) -> None:
        self._listeners.append((handler, channels))

    async def channels(self, platform: str) -> frozenset[str] | None:
        """The home channels on `platform` whose history a listener wants: None for every
        channel, an empty set when no listener wants any."""
        wanted: set[str] = set()
        for _, channels in self._listeners:
            if channels is None:
                return None
            wanted.update(await channels(platform))
        return frozenset(wanted)

    async def tell(self, app: CoreServices, events: Iterable[InboundEvent]) -> None:
        """Hand newly recorded history to the listeners that want it, in order; a
        listener's failure is logged and the others still hear the event."""
        if not self._listeners:
            return
        wanted: dict[tuple[int, str], frozenset[str]] = {}
        for event in events:
            context = None
            for n, (listener, channels) in enumerate(self._listeners):
                if channels is not None:
                    key = (n, event.platform)
                    if key not in wanted:
                        wanted[key] = frozenset(await channels(event.platform))
                    if event.channel.home_id not in wanted[key]:
                        continue
                context = context or EventContext(app, event)
                try:
                    await listener(context)
                except Exception:
                    log.exception("a listener failed on fetched event %s", event.event_id)
