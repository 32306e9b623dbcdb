"""One day file's messages as the events the live Slack adapter gives the same things (the
live `Translator` makes them, so ids match: a message is its channel and `ts`), in time
order, with a `Skipped` for each record that is not a member's doing."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from heapq import heappop, heappush
from typing import Any

from adapters.slack.inbound import PLATFORM, Translator, when
from bot.core.events import ChannelRef, InboundEvent, MemberRef, ReactionAdded
from bot.core.export_files import Item, Skipped
from bot.text.emoji_names import emoji_of

Message = dict[str, Any]

POSTS = frozenset({None, "thread_broadcast", "file_share", "me_message"})  # members' posts
JOINS = {"channel_join": True, "channel_leave": False}
TOMBSTONE = Skipped(
    "deleted messages (a tombstone kept for their thread; the replies are imported)"
)
UNNAMED_REACTORS = Skipped("reactions whose reactors the export does not name")
NO_TS = Skipped("messages without a valid ts (no time to record them at)")
NO_AUTHOR = Skipped("messages without a user or a bot (no one to attribute them to)")
_RECORDS: dict[str, Skipped] = {}  # other subtypes' reasons, made once each


@dataclass
class ExportTranslator(Translator):
    """The live Translator, remembering each member and each channel it made: an export's
    directory does not change while it is read, and a workspace's history names the same
    few hundred people over and over (a thread, a place per reply, is made afresh)."""

    _members: dict[str, MemberRef] = field(default_factory=dict, init=False, repr=False)
    _channels: dict[str, ChannelRef] = field(default_factory=dict, init=False, repr=False)

    def member(
        self, user_id: str, fallback: str = "", joined_at: datetime | None = None
    ) -> MemberRef:
        if fallback or joined_at is not None:
            return super().member(user_id, fallback, joined_at)
        found = self._members.get(user_id)
        if found is None:
            found = self._members[user_id] = super().member(user_id)
        return found

    def channel(
        self, channel_id: str, thread_ts: str | None = None, fallback: str = ""
    ) -> ChannelRef:
        if thread_ts is not None or fallback:
            return super().channel(channel_id, thread_ts, fallback)
        found = self._channels.get(channel_id)
        if found is None:
            found = self._channels[channel_id] = super().channel(channel_id)
        return found


def by_time(messages: list[Message]) -> tuple[list[tuple[float, Message]], int]:
    """The messages with a valid `ts`, oldest first (as numbers: "9.5" before "10.0"; a
    tie keeps the file's order), and how many had none."""
    timed, untimed = [], 0
    for message in messages:
        ts = message.get("ts")
        try:
            at = float(ts)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            untimed += 1
            continue
        if type(ts) is str and math.isfinite(at):
            timed.append((at, message))
        else:
            untimed += 1
    timed.sort(key=_first)
    return timed, untimed


def _first(pair: tuple[float, Message]) -> float:
    return pair[0]


@dataclass
class Day:
    """A channel's day of messages, translated."""

    translator: Translator
    channel_id: str
    where: ChannelRef = field(init=False)  # the channel itself (a reaction's place)

    def __post_init__(self) -> None:
        self.where = self.translator.channel(self.channel_id)

    def items(self, messages: list[Message]) -> Iterator[Item]:
        """Each message's events, oldest first; an edit at its own time (one after the
        day's last message comes at the end)."""
        timed, untimed = by_time(messages)
        for _ in range(untimed):
            yield NO_TS
        later: list[tuple[float, int, InboundEvent]] = []  # edits, by their time
        for number, (at, message) in enumerate(timed):
            while later and later[0][0] <= at:
                yield heappop(later)[2]
            subtype = message.get("subtype")
            if subtype in POSTS or subtype == "bot_message":
                event, edit = self._post(message, subtype)
                if event is None:
                    yield NO_AUTHOR
                    continue
                yield event
                if edit is not None:
                    heappush(later, (edit.at.timestamp(), number, edit))
            elif subtype in JOINS:
                if not message.get("user"):
                    yield NO_AUTHOR
                    continue
                event = self._join(message, JOINS[subtype])
                yield event
            elif subtype == "tombstone":
                yield TOMBSTONE
                continue
            else:
                yield _skipped(subtype)
                event = None
            if message.get("reactions"):
                yield from self._reactions(message, event)
        while later:
            yield heappop(later)[2]

    def _post(
        self, message: Message, subtype: str | None
    ) -> tuple[InboundEvent | None, InboundEvent | None]:
        """A post (a bot's, as a bot's), and its edit when it was edited."""
        user = message.get("user")
        bot = None
        if subtype == "bot_message" or (
            message.get("bot_id") and user not in self.translator.directory.people
        ):
            bot = self._bot(message)
            if bot is None:
                return None, None
            message = {**message, "subtype": None, "user": bot.user_id}
        elif not user:
            return None, None
        event = self.translator.posted(self.channel_id, message)
        if event is None:
            return None, None
        edit = self._edit(message) if message.get("edited") else None
        if bot is not None:
            event = replace(event, member=bot)
            edit = edit and replace(edit, member=bot)
        return event, edit

    def _bot(self, message: Message) -> MemberRef | None:
        """A bot's post's author: kept apart from members (is_bot)."""
        bot_id = message.get("user") or message.get("bot_id")
        if not bot_id:
            return None
        profile = message.get("bot_profile") or {}
        name = profile.get("name") or message.get("username")
        return MemberRef(
            PLATFORM, bot_id, name or self.translator.directory.person(bot_id).name, is_bot=True
        )

    def _edit(self, message: Message) -> InboundEvent | None:
        """The last edit of a message (the live shape: `edit:{channel}:{ts}:{edited ts}`)."""
        edited = message["edited"]
        edited_ts = edited.get("ts") if isinstance(edited, dict) else None
        if type(edited_ts) is not str:
            return None
        try:
            float(edited_ts)
        except ValueError:
            return None
        change = {"channel": self.channel_id, "ts": edited_ts, "message": message}
        return self.translator.edited(change)

    def _join(self, message: Message, joined: bool) -> InboundEvent:
        join = {"channel": self.channel_id, "user": message["user"], "event_ts": message["ts"]}
        return self.translator.channel_join(join, joined)

    def _reactions(self, message: Message, event: InboundEvent | None) -> Iterator[Item]:
        """One ReactionAdded per reactor named, at the message's time (an export gives no
        reaction's time); a Skipped for each one counted but not named."""
        ts, user = message["ts"], message.get("user")
        if event is not None:
            at, author = event.at, event.member
        else:
            at, author = when(ts), self.translator.member(user) if user else None
        prefix = f"reaction:{self.channel_id}:{ts}:"
        reactions = message["reactions"]
        for reaction in reactions if isinstance(reactions, list) else ():
            name = reaction.get("name") if isinstance(reaction, dict) else None
            if not name or not isinstance(name, str):
                continue
            users = reaction.get("users")
            users = users if isinstance(users, list) else []
            emoji = emoji_of(name)
            for reactor in users:
                if type(reactor) is not str:
                    continue
                yield ReactionAdded(
                    event_id=f"{prefix}{reactor}:{name}:add:export",
                    member=self.translator.member(reactor),
                    channel=self.where,
                    at=at,
                    message_id=ts,
                    emoji=emoji,
                    message_author=author,
                )
            count = reaction.get("count")
            if type(count) is int:
                for _ in range(count - len(users)):
                    yield UNNAMED_REACTORS


def _skipped(subtype: str) -> Skipped:
    found = _RECORDS.get(subtype)
    if found is None:
        found = _RECORDS[subtype] = Skipped(f"{subtype} records (not a member's post)")
    return found
