"""Coalesced live-message edits: a slow, older render never overwrites a newer one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.clock import VirtualClock
from bot.core.message_updates import CoalescedUpdates
from bot.core.messages import Message, SentMessage
from tests.conftest import START

POST = SentMessage("console", "C1", "M1")


async def test_a_render_that_finishes_late_does_not_overwrite_a_newer_edit() -> None:
    clock = VirtualClock(START)
    shown: list[str] = []

    async def edit(_sent: SentMessage, message: Message) -> None:
        shown.append(message.text)

    async def nothing() -> None:
        return None

    updates = CoalescedUpdates(clock, edit, nothing)
    slow = asyncio.Event()

    async def old_state() -> Message:
        await slow.wait()  # a slow database read of the state before the vote
        return Message(text="Pizza · 1")

    async def new_state() -> Message:
        return Message(text="Pizza · 2")

    first = asyncio.ensure_future(updates.request(POST, old_state))
    await asyncio.sleep(0)  # the first render has begun
    clock.advance(timedelta(seconds=2))
    await updates.request(POST, new_state)
    slow.set()
    await first
    assert shown == ["Pizza · 2"]
    assert updates.edits_made == 1
