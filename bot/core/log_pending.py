"""What waits on the interaction log: queued events, and how their outcomes reach callers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.events import InboundEvent

log = logging.getLogger("bot.core.interaction_log")

Outcome = list[bool | Exception]  # for each event: new or not, or why it was not recorded
Then = Callable[[InboundEvent, bool | Exception], None]  # told an event's outcome, on its loop


@dataclass(slots=True)
class Pending:
    events: Sequence[InboundEvent]
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future[list[bool]] | None = None  # set with the outcome, or else
    then: Then | None = None  # called with each event's outcome
    history: bool = False  # written by bot.core.history_rules (a catch-up)


def settle(batch: list[Pending], outcome: Outcome) -> None:
    """Hand each waiter its part of the outcome, on its own event loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Pending, Outcome]]] = {}
    start = 0
    for pending in batch:
        end = start + len(pending.events)
        by_loop.setdefault(pending.loop, []).append((pending, outcome[start:end]))
        start = end
    for loop, results in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(resolve, results)


def wake(room: asyncio.Future[None]) -> None:
    if not room.done():
        room.set_result(None)


def resolve(results: list[tuple[Pending, Outcome]]) -> None:
    """Tell each waiter its events' outcome: a future gets the list, or the first error."""
    for pending, part in results:
        if pending.then is not None:
            for event, fresh in zip(pending.events, part, strict=True):
                try:
                    pending.then(event, fresh)
                except Exception:
                    log.exception("interaction log: could not hand on %s", event.event_id)
            continue
        done = pending.done
        if done is None or done.done():
            continue
        failed = next((fresh for fresh in part if isinstance(fresh, Exception)), None)
        if failed is not None:
            done.set_exception(failed)
        else:
            done.set_result(part)  # type: ignore[arg-type]
