"""The bolt listeners: every event, slash command, button click and modal submission
Steward subscribes to, handed to the adapter. Events are acknowledged by bolt before they
are handled; an interaction's ack is the core's to give (through the responder)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from adapters.slack.responder import CLICK, COMMAND, SUBMIT, SlackResponder

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

ANY = re.compile(".*")


def register(bolt: AsyncApp, adapter: SlackAdapter) -> None:
    """Route what Slack sends to `adapter`."""
    bolt.event("message")(_event(adapter.message))
    bolt.event("reaction_added")(_event(lambda e: adapter.reaction(e, added=True)))
    bolt.event("reaction_removed")(_event(lambda e: adapter.reaction(e, added=False)))
    bolt.event("member_joined_channel")(_event(lambda e: adapter.channel_join(e, joined=True)))
    bolt.event("member_left_channel")(_event(lambda e: adapter.channel_join(e, joined=False)))
    bolt.event("team_join")(_event(adapter.team_join))
    for name in ("channel_created", "channel_rename", "group_rename", "user_change"):
        bolt.event(name)(_event(adapter.directory_changed))
    bolt.event("subteam_members_changed")(_event(adapter.group_changed))

    @bolt.command(re.compile(r"^/.+"))
    async def on_command(ack: Any, body: dict[str, Any]) -> None:
        responder = SlackResponder(adapter, COMMAND, body, ack)
        await adapter.command(body, responder)

    @bolt.action(ANY)
    async def on_click(ack: Any, body: dict[str, Any]) -> None:
        responder = SlackResponder(adapter, CLICK, body, ack)
        await adapter.click(body, responder)

    @bolt.view(ANY)
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        responder = SlackResponder(adapter, SUBMIT, body, ack)
        await adapter.submit(body, responder)


def _event(handler: Any) -> Any:
    async def listener(event: dict[str, Any]) -> None:
        await handler(event)

    return listener
