"""Where a history catch-up starts, kept across starts until the channel is caught up, and
what a failing fetch had read before it failed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime

import pytest

from bot.core.events import ChannelRef, InboundEvent, MemberRef, MessagePosted
from bot.core.history import caught_up, record_fetched, starting_point

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class FakeCore:
    """Just what a catch-up asks of the core: what is recorded and what an adapter keeps."""

    def __init__(self) -> None:
        self.newest: str | None = None
        self.state: dict[tuple[str, str], str] = {}
        self.recorded: list[InboundEvent] = []

    async def last_message_id(self, platform: str, channel_id: str) -> str | None:
        return self.newest

    async def recall(self, platform: str, key: str) -> str | None:
        return self.state.get((platform, key))

    async def keep(self, platform: str, key: str, value: str) -> None:
        self.state[(platform, key)] = value

    async def record_history(self, events: Sequence[InboundEvent]) -> int:
        self.recorded += events
        return len(events)


def _message(n: int) -> MessagePosted:
    member = MemberRef("test", "U1", "bob")
    channel = ChannelRef("test", "C1", "general")
    return MessagePosted(
        event_id=str(n), member=member, channel=channel, at=T, message_id=str(n), text="hi"
    )


async def test_an_unfinished_catch_up_starts_from_its_older_point_until_caught_up() -> None:
    core = FakeCore()
    assert await starting_point(core, "test", "C1") is None  # nothing recorded: no catch-up
    core.newest = "99"
    assert await starting_point(core, "test", "C1") == "99"
    core.newest = "1200"  # a live message recorded while that catch-up failed
    assert await starting_point(core, "test", "C1") == "99"  # by number, not by text
    assert await starting_point(core, "test", "C2") == "1200"  # kept per channel
    await caught_up(core, "test", "C1")
    assert await starting_point(core, "test", "C1") == "1200"


async def test_what_was_read_before_a_fetch_failed_is_recorded() -> None:
    core = FakeCore()

    async def fetched() -> AsyncIterator[InboundEvent | None]:
        yield _message(1)
        yield None  # the bot's own post
        yield _message(2)
        raise ConnectionError("the platform went away")

    with pytest.raises(ConnectionError):
        await record_fetched(core, fetched())
    assert [e.event_id for e in core.recorded] == ["1", "2"]
