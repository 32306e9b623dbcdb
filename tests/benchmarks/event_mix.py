"""A busy server's events: 60 % messages, 20 % replies, 17.5 % reactions, 2.5 % joins.

Replies and reactions point at earlier messages (one in ten at a calendar post of the bot's,
so their content type is looked up); joins are members new to the community. The same events
come as the interaction rows a raw insert writes, with the row ids an existing community has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.events import (
    InboundEvent,
    MemberJoined,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReplyPosted,
)
from tests.benchmarks.community import CONTENT_TYPES, PLATFORM, People, sqlite_time
from tests.conftest import START

EMOJI = ("👍", "🎉", "❤️", "😂", "👀")
ROW_COLUMNS = (
    "platform",
    "platform_event_id",
    "kind",
    "member_id",
    "channel_id",
    "message_id",
    "parent_message_id",
    "target_member_id",
    "detail",
    "content_type",
    "created_at",
)
BOT = MemberRef(PLATFORM, "steward", "Steward", is_bot=True)


@dataclass
class Mix:
    """The events in arrival order, their interaction rows, and the members who joined."""

    events: list[InboundEvent] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    joined: list[MemberRef] = field(default_factory=list)


@dataclass(frozen=True)
class _Said:
    message_id: str
    author: MemberRef
    author_row: int | None
    channel: int
    content_type: str | None = None


def event_mix(who: People, bot_posts: list[str], count: int, seed: int = 8) -> Mix:
    """`count` events in the realistic mix, with times 5 ms apart from START."""
    rng = random.Random(seed)
    mix = Mix()
    said = [
        _Said(message, BOT, None, n % len(who.channels), CONTENT_TYPES[n % len(CONTENT_TYPES)])
        for n, message in enumerate(bot_posts)
    ]
    bot_count, reactions = len(said), set()
    for n in range(count):
        member_index = rng.randrange(len(who.members))
        base = {
            "event_id": f"e{n}",
            "member": who.members[member_index],
            "channel": who.channels[rng.randrange(len(who.channels))],
            "at": START + timedelta(milliseconds=5 * n),
        }
        row = {"member_id": member_index + 1, "channel_id": who.channels.index(base["channel"]) + 1}
        draw = rng.random()
        if draw < 0.6 or len(said) == bot_count:
            event = MessagePosted(**base, message_id=f"m{n}", text="hello there")
            row |= {"message_id": f"m{n}"}
            said.append(_Said(f"m{n}", base["member"], member_index + 1, row["channel_id"]))
        elif draw < 0.975:
            on = said[rng.randrange(bot_count)] if rng.random() < 0.1 else _member_said(rng, said)
            base["channel"] = who.channels[on.channel - 1] if on.author_row else base["channel"]
            row |= {
                "channel_id": who.channels.index(base["channel"]) + 1,
                "target_member_id": on.author_row,
                "content_type": on.content_type,
            }
            if draw < 0.8:
                event = ReplyPosted(
                    **base,
                    message_id=f"m{n}",
                    parent_id=on.message_id,
                    parent_author=on.author,
                    text="agreed",
                )
                row |= {"message_id": f"m{n}", "parent_message_id": on.message_id}
            else:
                emoji = rng.choice(EMOJI)
                if (member_index, on.message_id, emoji) in reactions:
                    emoji = f"{emoji}{n}"  # a member reacts once with one emoji
                reactions.add((member_index, on.message_id, emoji))
                event = ReactionAdded(
                    **base, message_id=on.message_id, emoji=emoji, message_author=on.author
                )
                row |= {"message_id": on.message_id, "parent_message_id": on.message_id}
                row |= {"detail": emoji}
        else:
            joiner = MemberRef(PLATFORM, f"j{n}", f"joiner{n}")
            mix.joined.append(joiner)
            base["member"] = joiner
            event = MemberJoined(**base)
            row |= {"member_id": len(who.members) + len(mix.joined)}
        mix.events.append(event)
        mix.rows.append(_as_row(event, row))
    return mix


def _member_said(rng: random.Random, said: list[_Said]) -> _Said:
    """A recent member message (replies and reactions mostly follow what was just said)."""
    recent = said[-500:]
    found = recent[rng.randrange(len(recent))]
    return found if found.author_row else said[-1]


def _as_row(event: InboundEvent, values: dict) -> tuple:
    row = {column: None for column in ROW_COLUMNS}
    row |= values
    row |= {
        "platform": event.platform,
        "platform_event_id": event.event_id,
        "kind": event.kind.value,
        "created_at": sqlite_time(event.at),
    }
    return tuple(row[column] for column in ROW_COLUMNS)
