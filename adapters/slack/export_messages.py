"""One day file's messages as the events the live Slack adapter gives the same things (the
live `Translator` makes them, so ids match: a message is its channel and `ts`), in time
order, with a `Skipped` for each record that is not a member's doing (or has no valid time),
and BadExport naming the file and the message for one Slack never writes so (a user id or a
text that is a number: the file is not a Slack export's)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from heapq import heappop, heappush
from typing import Any, TypeVar

from adapters.slack.inbound import PLATFORM, POSTS, Translator, when
from bot.core.events import ChannelRef, InboundEvent, MemberRef, ReactionAdded
from bot.core.export_files import BadExport, Item, Skipped
from bot.text.emoji_names import emoji_of
from bot.text.json_kinds import json_kind

Message = dict[str, Any]
T = TypeVar("T")

JOINS = {"channel_join": True, "channel_leave": False}
TOMBSTONE = Skipped(
    "deleted messages (a tombstone kept for their thread; the replies are imported)"
)
UNNAMED_REACTORS = Skipped("reactions whose reactors the export does not name")
NO_TS = Skipped("messages without a valid ts (no time to record them at)")
NO_AUTHOR = Skipped("messages without a user or a bot (no one to attribute them to)")
NO_EDIT_TS = Skipped("edits without a valid ts (their message is imported unedited)")
LOST_REACTIONS = Skipped("reactions on deleted or unattributed messages")
UNTIMED_REACTIONS = Skipped("reactions on messages without a valid ts")
# Slack's `ts`: seconds since 1970 and a sequence number ("1704103200.000200"); fromtimestamp
# takes up to year 9999, ten digits up to 2286
TS = re.compile(r"\d{1,10}(?:\.\d{1,6})?", re.ASCII)
MAX_REACTORS = 10**6  # one reaction's count: no workspace has this many members
# what Slack writes each of these as, when a message has it (ids are strings, always)
SHAPE = (
    *((key, str) for key in ("user", "subtype", "text", "bot_id", "thread_ts", "parent_user_id")),
    ("username", str),
    ("attachments", list),
    ("reactions", list),
    ("edited", dict),
    ("bot_profile", dict),
)
SHARED_IDS = ("channel_id", "author_id")  # a shared message's (its ts may be a number)
AGAIN = "export it again from Slack"
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


def valid_ts(ts: object) -> float | None:
    """A Slack `ts` as seconds, or None for what is not one (none, a number, "1e30", "nan")."""
    if type(ts) is not str or not TS.fullmatch(ts):
        return None
    return float(ts)


def by_time(
    messages: list[Message],
) -> tuple[list[tuple[float, int, Message]], list[tuple[int, Message]]]:
    """The messages with a valid `ts`, oldest first (as numbers: "9.5" before "10.0"; a
    tie keeps the file's order), and those without one, each with its place in the file."""
    timed, untimed = [], []
    for number, message in enumerate(messages, 1):
        at = valid_ts(message.get("ts"))
        if at is None:
            untimed.append((number, message))
        else:
            timed.append((at, number, message))
    timed.sort(key=_first)
    return timed, untimed


def _first(entry: tuple[float, int, Message]) -> float:
    return entry[0]


def misshapen(message: Message) -> str:
    """What in `message` Slack never writes so ("" when nothing): a user id that is a number,
    a text that is a number, attachments that are a string, …"""
    for key, kind in SHAPE:
        value = message.get(key)
        if value is not None and type(value) is not kind:
            return f'has "{key}" as {json_kind(value)}, not {json_kind(kind())}'
    for attachment in message.get("attachments") or ():
        if type(attachment) is not dict:
            return f"has an attachment that is {json_kind(attachment)}, not an object"
        if attachment.get("is_share"):
            for key in SHARED_IDS:
                value = attachment.get(key)
                if value is not None and type(value) is not str:
                    return f'shares a message whose "{key}" is {json_kind(value)}, not a string'
    return ""


@dataclass
class Day:
    """A channel's day of messages (the day file `file`), translated."""

    translator: Translator
    channel_id: str
    file: str  # its path in the export, to name it when a message is not Slack's
    where: ChannelRef = field(init=False)  # the channel itself (a reaction's place)

    def __post_init__(self) -> None:
        self.where = self.translator.channel(self.channel_id)

    def items(self, messages: list[Message]) -> Iterator[Item]:
        """Each message's events, oldest first; an edit at its own time (one after the
        day's last message comes at the end). BadExport naming the file and the message
        when a message is not shaped as Slack writes one."""
        timed, untimed = by_time(messages)
        for number, message in untimed:
            yield NO_TS
            yield from self._guarded(number, message, _lost, message, UNTIMED_REACTIONS)
        later: list[tuple[float, int, InboundEvent]] = []  # edits, by their time
        for at, number, message in timed:
            while later and later[0][0] <= at:
                yield heappop(later)[2]
            problem = misshapen(message)
            if problem:
                raise BadExport(self.file, f"{_which(number, message)} {problem}; {AGAIN}")
            items, edit = self._guarded(number, message, self._items, message)
            yield from items
            if edit is not None:
                heappush(later, (edit.at.timestamp(), number, edit))
        while later:
            yield heappop(later)[2]

    def _guarded(self, number: int, message: Message, make: Callable[..., T], *args: Any) -> T:
        """`make(*args)`, any error in it a BadExport naming the file and the message (the
        `number`th of the file)."""
        try:
            return make(*args)
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as error:
            which = _which(number, message)
            raise BadExport(
                self.file, f"{which} is not shaped as Slack writes one ({error}); {AGAIN}"
            ) from None

    def _items(self, message: Message) -> tuple[list[Item], InboundEvent | None]:
        """A message's items (with its reactions'), and its edit, which comes at its time."""
        subtype = message.get("subtype")
        if subtype in POSTS or subtype == "bot_message":
            event, edit = self._post(message, subtype)
            if event is None:
                return [NO_AUTHOR, *_lost(message)], None
            items: list[Item] = [event]
            if isinstance(edit, Skipped):
                items.append(edit)
                edit = None
            return [*items, *self._reactions(message, event)], edit
        if subtype in JOINS:
            if not message.get("user"):
                return [NO_AUTHOR, *_lost(message)], None
            return [self._join(message, JOINS[subtype]), *self._reactions(message, None)], None
        if subtype == "tombstone":
            return [TOMBSTONE, *_lost(message)], None
        return [_skipped(subtype), *self._reactions(message, None)], None

    def _post(
        self, message: Message, subtype: str | None
    ) -> tuple[InboundEvent | None, InboundEvent | Skipped | None]:
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
            if isinstance(edit, InboundEvent):
                edit = replace(edit, member=bot)
        return event, edit

    def _bot(self, message: Message) -> MemberRef | None:
        """A bot's post's author: kept apart from members (is_bot)."""
        bot_id = message.get("user") or message.get("bot_id")
        if not bot_id:
            return None
        name = (message.get("bot_profile") or {}).get("name")
        if not name or type(name) is not str:
            name = message.get("username")
        return MemberRef(
            PLATFORM, bot_id, name or self.translator.directory.person(bot_id).name, is_bot=True
        )

    def _edit(self, message: Message) -> InboundEvent | Skipped | None:
        """The last edit of a message (the live shape: `edit:{channel}:{ts}:{edited ts}`)."""
        edited_ts = message["edited"].get("ts")
        if valid_ts(edited_ts) is None:
            return NO_EDIT_TS
        change = {"channel": self.channel_id, "ts": edited_ts, "message": message}
        return self.translator.edited(change)

    def _join(self, message: Message, joined: bool) -> InboundEvent:
        join = {"channel": self.channel_id, "user": message["user"], "event_ts": message["ts"]}
        return self.translator.channel_join(join, joined)

    def _reactions(self, message: Message, event: InboundEvent | None) -> list[Item]:
        """One ReactionAdded per reactor named, at the message's time (an export gives no
        reaction's time); a Skipped for each one counted but not named."""
        reactions = message.get("reactions")
        if not reactions:
            return []
        ts, user = message["ts"], message.get("user")
        if event is not None:
            at, author = event.at, event.member
        else:
            at, author = when(ts), self.translator.member(user) if user else None
        prefix = f"reaction:{self.channel_id}:{ts}:"
        items: list[Item] = []
        for reaction in reactions:
            found = _reactors(reaction)
            if found is None:
                continue
            name, named, unnamed = found
            emoji = emoji_of(name)
            for reactor in named:
                items.append(
                    ReactionAdded(
                        event_id=f"{prefix}{reactor}:{name}:add:export",
                        member=self.translator.member(reactor),
                        channel=self.where,
                        at=at,
                        message_id=ts,
                        emoji=emoji,
                        message_author=author,
                    )
                )
            items.extend([UNNAMED_REACTORS] * unnamed)
        return items


def _which(number: int, message: Message) -> str:
    """A message as a manager finds it in its file: by its ts, else by its place."""
    ts = message.get("ts")
    return f"message {ts}" if valid_ts(ts) is not None else f"item {number} of the file"


def _reactors(reaction: object) -> tuple[str, list[str], int] | None:
    """A reaction's name, the reactors it names, and how many more it counts (one listed
    by what is not a user id among them); None for a reaction without a name."""
    if type(reaction) is not dict:
        return None
    name = reaction.get("name")
    if not name or type(name) is not str:
        return None
    users = reaction.get("users")
    users = users if type(users) is list else []
    named = [user for user in users if type(user) is str]
    count = reaction.get("count")
    unnamed = len(users) - len(named) + (max(count - len(users), 0) if type(count) is int else 0)
    if unnamed > MAX_REACTORS:
        raise ValueError(f"a reaction counted {count:,} times, more than a workspace has members")
    return name, named, unnamed


def _lost(message: Message, reason: Skipped = LOST_REACTIONS) -> list[Item]:
    """A Skipped for each reactor of a message not imported (their reactions go with it)."""
    reactions = message.get("reactions")
    if type(reactions) is not list:
        return []
    lost = 0
    for reaction in reactions:
        found = _reactors(reaction)
        if found is not None:
            lost += len(found[1]) + found[2]
    return [reason] * lost


def _skipped(subtype: str) -> Skipped:
    found = _RECORDS.get(subtype)
    if found is None:
        found = _RECORDS[subtype] = Skipped(f"{subtype} records (not a member's post)")
    return found
