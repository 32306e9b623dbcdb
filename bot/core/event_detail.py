"""What an interaction row's `detail` holds: the emoji of a reaction, the name of a command
or thread, the action of a click, the form submitted, the channel a share came from."""

from __future__ import annotations

from dataclasses import fields
from functools import cache

from bot.core.events import InboundEvent

ATTRIBUTES = ("emoji", "name", "action_id", "form_id", "source_channel_id")


def detail_of(event: InboundEvent) -> str | None:
    """The event's detail (at most 200 characters), or None for a plain message."""
    for attribute in _attributes(type(event)):
        value = getattr(event, attribute, None)
        if isinstance(value, str):
            return value[:200]
    return None


@cache
def _attributes(kind: type) -> tuple[str, ...]:
    """Which attributes of an event of this class may hold its detail, in order."""
    found = {f.name for f in fields(kind)}
    return tuple(a for a in ATTRIBUTES if a in found)
