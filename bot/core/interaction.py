"""One interaction (a command, a button press, a form submit) and its deadline.

A platform wants every interaction acknowledged within `Capabilities.ack_seconds` (Discord and
Slack: 3 s). The adapter hands the core a `Responder`; the core answers through it, defers it
when the handler is still busy at two thirds of the deadline (the answer then follows), and
acknowledges it silently when the handler said nothing. A form can only be the first response.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextvars import ContextVar
from typing import Protocol

from bot.core.events import InboundEvent
from bot.core.messages import Form, Message

log = logging.getLogger(__name__)

DEFER_SHARE = 2 / 3  # defer once this share of the platform's deadline has gone by


class Responder(Protocol):
    """The platform's handle on one interaction (Discord `Interaction`, Slack `ack`/`respond`)."""

    async def defer(self) -> None:
        """Acknowledge now; the answer follows later (Discord: a deferred response)."""

    async def respond(self, message: Message) -> None:
        """Answer the member privately: the first response, or a follow-up after a defer."""

    async def open_form(self, form: Form) -> None:
        """Open `form` as the first response (a Discord modal, a Slack view via trigger_id)."""

    async def finish(self) -> None:
        """The handler is done and said nothing to the member: acknowledge silently, or after
        a defer take the "working on it" away."""

    # Optionally `async def refuse(self, message)`: why what the member sent was not taken,
    # when the platform shows that apart from an answer (Slack: over the form, which keeps
    # the member's answers); without it a refusal is an answer like any other.


class FormTooLate(RuntimeError):
    """A handler tried to open a form after the interaction was already answered."""


class Interaction:
    """The core's side of one interaction: what was said, and the deferral timer."""

    def __init__(self, event: InboundEvent, responder: Responder, ack_seconds: float) -> None:
        self.event = event
        self.responder = responder
        self.acknowledged = False
        self.deferred = False
        self.answered = False  # a response or a form was given (not only a defer)
        self._lock = asyncio.Lock()
        self._deferring: asyncio.Task[None] | None = None  # once the timer has gone off
        self._timer = asyncio.get_running_loop().call_later(  # a timer, not a task per click
            ack_seconds * DEFER_SHARE, self._defer_soon
        )

    async def respond(self, message: Message, refusal: bool = False) -> None:
        """Answer the member (after a defer, as a follow-up); a `refusal` goes to the
        responder's `refuse` when it has one."""
        answer = getattr(self.responder, "refuse", None) if refusal else None
        async with self._lock:
            await (answer or self.responder.respond)(message)
            self.acknowledged = self.answered = True

    async def open_form(self, form: Form) -> None:
        """Open `form`; only possible before anything else was sent or deferred."""
        async with self._lock:
            if self.acknowledged:
                raise FormTooLate(
                    f"form {form.form_id!r} must be the first response to the interaction"
                )
            await self.responder.open_form(form)
            self.acknowledged = self.answered = True

    async def close(self) -> None:
        """The handler is done: stop the timer; if nothing was said, acknowledge silently
        (deferred already: the responder takes its "working on it" away)."""
        self._timer.cancel()
        if self._deferring is not None:  # a defer under way is let finish
            with contextlib.suppress(asyncio.CancelledError):
                await self._deferring
        async with self._lock:
            if not self.answered:
                self.acknowledged = self.answered = True
                await self.responder.finish()

    def _defer_soon(self) -> None:
        self._deferring = asyncio.ensure_future(self._defer())

    async def _defer(self) -> None:
        async with self._lock:
            if self.acknowledged:
                return
            log.debug("deferring %s %s", self.event.kind.value, self.event.event_id)
            await self.responder.defer()
            self.acknowledged = self.deferred = True


current: ContextVar[Interaction | None] = ContextVar("steward_interaction", default=None)


def for_event(event: InboundEvent) -> Interaction | None:
    """The interaction being handled for `event`, if one is."""
    interaction = current.get()
    if interaction is None or interaction.event.event_id != event.event_id:
        return None
    return interaction
