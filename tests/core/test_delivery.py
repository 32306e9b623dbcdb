"""Delivered gateway events: queued without waiting, recorded once, acted on in order."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.core.config import Settings
from bot.core.context import EventContext
from bot.core.events import CommandInvoked, MessagePosted
from tests.conftest import Recorded, open_recorded
from tests.recording.community import Said
from tests.store.test_ingest import kinds
from tests.store.test_log_failures import BROKEN


def listening(recorded: Recorded) -> list[str]:
    """The texts of the messages the app's listeners are called with, in order."""
    heard: list[str] = []

    async def listener(context: EventContext) -> None:
        heard.append(context.event.text)  # type: ignore[attr-defined]

    recorded.app.listen(listener)
    return heard


def said(recorded: Recorded, text: str, who: str = "you") -> MessagePosted:
    """A message as a gateway delivers it (not fed through the harness, which waits)."""
    base = recorded._base(who, "general")
    recorded.adapter.members[base["member"].user_id] = base["member"]  # a name to tell
    return MessagePosted(**base, message_id=f"M-{base['event_id']}", text=text)


async def test_a_delivered_burst_is_recorded_once_and_heard_in_arrival_order(
    recorded: Recorded,
) -> None:
    heard = listening(recorded)
    events = [said(recorded, f"hello {n}", who=f"member{n % 7}") for n in range(300)]
    again = [events[5], events[200]]  # the gateway delivers two of them twice
    await asyncio.gather(*(recorded.app.deliver(e) for e in [*events, *again]))
    await recorded.app.deliveries.settled()
    assert heard == [f"hello {n}" for n in range(300)]
    assert len(kinds(recorded.app.store)) == 300
    assert recorded.app.deliveries.outstanding == 0


async def test_deliver_returns_before_the_event_is_committed(recorded: Recorded) -> None:
    heard = listening(recorded)
    await recorded.app.deliver(said(recorded, "hi"))
    assert heard == []  # queued: the listener runs once its batch is committed
    await recorded.app.deliveries.settled()
    assert heard == ["hi"]


async def test_the_member_behind_an_event_a_listener_fails_on_gets_the_apology(
    recorded: Recorded,
) -> None:
    heard = listening(recorded)

    async def breaks(context: EventContext) -> None:
        if context.event.member.name == "bob":
            raise RuntimeError("a feature's bug")

    recorded.app.listen(breaks)
    for who in ("ann", "bob", "cy"):
        await recorded.app.deliver(said(recorded, f"from {who}", who=who))
    await recorded.app.deliveries.settled()
    assert heard == ["from ann", "from bob", "from cy"]  # the others go on
    [apology] = Said(recorded.posts).told("bob")
    assert "something went wrong on our side" in apology
    assert Said(recorded.posts).told("ann") == []


async def test_an_event_that_cannot_be_stored_is_dropped_alone(recorded: Recorded) -> None:
    heard = listening(recorded)
    broken = said(recorded, "broken", who="zed")
    broken = replace(broken, member=replace(broken.member, name=BROKEN))  # no database stores it
    events = [said(recorded, "first"), broken, said(recorded, "last", who="cy")]
    await asyncio.gather(*(recorded.app.deliver(e) for e in events))
    await recorded.app.deliveries.settled()
    assert heard == ["first", "last"]
    assert len(kinds(recorded.app.store)) == 2


async def test_stopping_records_and_acts_on_everything_delivered(settings: Settings) -> None:
    recorded = await open_recorded(settings)
    heard = listening(recorded)
    recorded.app.interactions.max_queued = 10  # the rest wait for room
    events = [said(recorded, f"hello {n}") for n in range(40)]
    await asyncio.gather(*(recorded.app.deliver(e) for e in events))
    await recorded.app.stop()
    assert heard == [f"hello {n}" for n in range(40)]
    assert len(kinds(recorded.app.store)) == 40
    recorded.app.store.close()


async def test_a_command_delivered_is_handled_and_answered_before_deliver_returns(
    recorded: Recorded,
) -> None:
    command = CommandInvoked(**recorded._base("bob", "general"), name="stats", text="members")
    recorded.adapter.members[command.member.user_id] = command.member
    await recorded.app.deliver(command, recorded.adapter.responder(command))
    [answer] = Said(recorded.posts).told("bob")
    assert answer.startswith("`/stats members` is for community managers.")
