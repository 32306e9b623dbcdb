"""Coalesced message edits: at most one edit per message per interval, the latest state wins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.core.clock import Clock
from bot.core.messages import Message, SentMessage

Render = Callable[[], Awaitable[Message]]
Edit = Callable[[SentMessage, Message], Awaitable[None]]
Wake = Callable[[], Awaitable[None]]


class CoalescedUpdates:
    """A due job that keeps live messages (poll counts, say) within the platform's rate limit.

    `request` edits at once when the message was not edited within `interval`; otherwise it
    remembers the request and the job edits once when the interval has passed, rendering
    the state as it is then. A burst of 200 votes in one second costs two edits.

    Renders are numbered as they start: one that finishes after a later-started render was
    already sent is dropped, so a slow render never overwrites a newer one. A render reads
    the database when it runs, not the request's state, so with several processes editing
    one message the last edit made shows the latest state that any of them committed.
    """

    name = "message-updates"

    def __init__(
        self, clock: Clock, edit: Edit, wake: Wake, interval: timedelta = timedelta(seconds=1)
    ) -> None:
        self.clock = clock
        self.edit = edit
        self.wake = wake
        self.interval = interval
        self._last_edit: dict[tuple[str, str, str], datetime] = {}
        self._pending: dict[tuple[str, str, str], tuple[SentMessage, Render]] = {}
        self._started: dict[tuple[str, str, str], int] = {}  # renders begun, per message
        self._shown: dict[tuple[str, str, str], int] = {}  # the newest render sent
        self.edits_made = 0

    async def request(self, sent: SentMessage, render: Render) -> None:
        """Ask for `sent` to show what `render` returns, now or within the interval."""
        key = (sent.platform, sent.channel_id, sent.message_id)
        now = self.clock.now()
        last = self._last_edit.get(key)
        if last is None or now - last >= self.interval:
            self._pending.pop(key, None)
            await self._edit(key, sent, render, now)
            return
        first_pending = key not in self._pending
        self._pending[key] = (sent, render)
        if first_pending:
            await self.wake()

    async def next_due(self, now: datetime) -> datetime | None:
        return min((self._last_edit[key] + self.interval for key in self._pending), default=None)

    async def run(self, now: datetime) -> None:
        due = [key for key in self._pending if self._last_edit[key] + self.interval <= now]
        for key in due:
            sent, render = self._pending.pop(key)
            await self._edit(key, sent, render, now)

    async def has_pending(self) -> bool:
        return bool(self._pending)

    async def _edit(self, key, sent: SentMessage, render: Render, now: datetime) -> None:
        self._last_edit[key] = now
        number = self._started[key] = self._started.get(key, 0) + 1
        message = await render()
        if self._shown.get(key, 0) > number:
            return  # a render begun later was sent meanwhile: this one is older
        self._shown[key] = number
        self.edits_made += 1
        await self.edit(sent, message)
