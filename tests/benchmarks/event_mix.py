"""A busy server's events: 60 % messages, 20 % replies, 17.5 % reactions, 2.5 % joins.

Replies and reactions point at earlier messages (one in ten at a calendar post of the bot's,
so their content type is looked up); joins are members new to the community. Ids are the
Discord adapter's: a message's snowflake (time-ordered) is its event's id, a reaction's id is
made from its message, member and emoji (`reaction_event_id`), a join's from member and time.
The same events come as the interaction rows a raw insert writes, with the row ids an existing
community has.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from bot.core.events import (
    InboundEvent,
    MemberJoined,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReplyPosted,
    reaction_event_id,
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
    """`count` events in the realistic mix, made again on each pass (the same each time), so
    a million of them never sit in memory at once; the members who joined are known up front."""

    who: People
    bot_posts: list[str]
    count: int
    seed: int = 8
    joined: list[MemberRef] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.joined = [event.member for event, _ in self.pairs() if type(event) is MemberJoined]

    def waves(self, size: int) -> Iterator[list[tuple[InboundEvent, tuple]]]:
        """The events and their rows, `size` at a time, in arrival order."""
        pairs = self.pairs()
        while wave := list(islice(pairs, size)):
            yield wave

    def pairs(self) -> Iterator[tuple[InboundEvent, tuple]]:
        """Each event with its interaction row, times 5 ms apart from START."""
        rng, who = random.Random(self.seed), self.who
        bots = [
            _Said(message, BOT, None, n % len(who.channels), CONTENT_TYPES[n % len(CONTENT_TYPES)])
            for n, message in enumerate(self.bot_posts)
        ]
        recent: deque[_Said] = deque(maxlen=RECENT)  # what members said lately
        reactions: dict[str, set[tuple[int, str]]] = {}  # by message: (member, emoji)
        channel_rows = {channel: n + 1 for n, channel in enumerate(who.channels)}
        joined = 0
        for n in range(self.count):
            member_index = rng.randrange(len(who.members))
            at = START + timedelta(milliseconds=5 * n)
            snowflake = discord_id(at, n)
            base = {
                "event_id": snowflake,
                "member": who.members[member_index],
                "channel": who.channels[rng.randrange(len(who.channels))],
                "at": at,
            }
            row = {"member_id": member_index + 1, "channel_id": channel_rows[base["channel"]]}
            draw = rng.random()
            if draw < 0.6 or not recent:
                event = MessagePosted(**base, message_id=snowflake, text="hello there")
                row |= {"message_id": snowflake}
                if len(recent) == RECENT:  # no longer reacted to: forget who reacted
                    reactions.pop(recent[0].message_id, None)
                recent.append(_Said(snowflake, base["member"], member_index + 1, row["channel_id"]))
            elif draw < 0.975:
                on = bots[rng.randrange(len(bots))] if rng.random() < 0.1 else _pick(rng, recent)
                base["channel"] = who.channels[on.channel - 1] if on.author_row else base["channel"]
                row |= {
                    "channel_id": channel_rows[base["channel"]],
                    "target_member_id": on.author_row,
                    "content_type": on.content_type,
                }
                if draw < 0.8:
                    event = ReplyPosted(
                        **base,
                        message_id=snowflake,
                        parent_id=on.message_id,
                        parent_author=on.author,
                        text="agreed",
                    )
                    row |= {"message_id": snowflake, "parent_message_id": on.message_id}
                else:
                    emoji = rng.choice(EMOJI)
                    given = reactions.setdefault(on.message_id, set())
                    if (member_index, emoji) in given:
                        emoji = f"{emoji}{n}"  # a member reacts once with one emoji
                    given.add((member_index, emoji))
                    base["event_id"] = reaction_event_id(
                        on.message_id, base["member"].user_id, emoji, True, 1
                    )
                    event = ReactionAdded(
                        **base, message_id=on.message_id, emoji=emoji, message_author=on.author
                    )
                    row |= {"message_id": on.message_id, "parent_message_id": on.message_id}
                    row |= {"detail": emoji}
            else:
                joined += 1
                base["member"] = MemberRef(PLATFORM, f"j{n}", f"joiner{n}")
                base["event_id"] = f"join:j{n}:{at.timestamp()}"  # as the adapter names it
                event = MemberJoined(**base)
                row |= {"member_id": len(who.members) + joined}
            yield event, _as_row(event, row)


RECENT = 500  # replies and reactions mostly follow what was just said
DISCORD_EPOCH_MS = 1_420_070_400_000


def discord_id(at: datetime, n: int) -> str:
    """A Discord snowflake for something made at `at` (`n` tells apart those of one ms)."""
    return str((int(at.timestamp() * 1000) - DISCORD_EPOCH_MS) << 22 | (n & 0x3FFFFF))


@dataclass(frozen=True)
class _Said:
    message_id: str
    author: MemberRef
    author_row: int | None
    channel: int
    content_type: str | None = None


def _pick(rng: random.Random, recent: deque[_Said]) -> _Said:
    return recent[rng.randrange(len(recent))]


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
