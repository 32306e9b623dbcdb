"""One batch of events into the interaction log: ids in bulk, one INSERT, coalesced updates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache

from sqlalchemy import Table, bindparam, update

from bot.core.directory import Directory
from bot.core.events import (
    ButtonPressed,
    ChannelRef,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessageShared,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
    ThreadCreated,
)
from bot.core.history_rules import EarliestTimes, drop_known_joins
from bot.core.interaction_tally import add as add_to_tally
from bot.core.interaction_tally import rows_tally
from bot.core.last_seen import LastSeen
from bot.core.reactions import cancel_reactions, settle_reactions
from bot.store.models import Interaction, Member
from bot.store.raw_sql import fetch, marks
from bot.store.upserts import insert_new_rows

Key = tuple[str, str]
Post = tuple[str, str, str]  # (platform, platform channel id, platform message id)
_LOG: Table = Interaction.__table__  # type: ignore[assignment]
_MEMBERS: Table = Member.__table__  # type: ignore[assignment]


@dataclass
class _Ids:
    members: dict[Key, int]
    channels: dict[Key, int] = field(default_factory=dict)


class BatchWriter:
    """Writes batches of events in the caller's transaction, one batch at a time.

    A batch of `history` (an import, a catch-up) follows bot.core.history_rules: join dates
    and first-seen times only move back, a leave does not mark anyone gone, and a join
    recorded already under another id is a repeat.
    """

    def __init__(
        self, directory: Directory, detail: Callable[[InboundEvent], str | None], store_text: bool
    ) -> None:
        self.directory = directory
        self.detail = detail
        self.store_text = store_text
        self.last_seen = LastSeen()
        self.earliest = EarliestTimes()

    def write(self, conn, events: list[InboundEvent], history: bool = False) -> list[bool]:
        """Insert the batch, skipping repeats; True for each event that was new."""
        self.last_seen.begin()
        ids = self._ids(conn, events)
        content_types = _content_types(conn, events)
        keys = [(e.member.platform, e.event_id) for e in events]
        rows: dict[Key, dict] = {}
        for key, event in zip(keys, events, strict=True):
            if key not in rows:
                rows[key] = self._row(event, ids, content_types)
        cancels = settle_reactions(conn, rows)
        if history:
            drop_known_joins(conn, rows)
        inserted = _insert(conn, list(rows.values()))
        counts = rows_tally(rows[key] for key in inserted)
        counts.subtract(cancel_reactions(conn, cancels, inserted))
        add_to_tally(conn, counts)
        fresh = []
        for key in keys:
            fresh.append(key in inserted)
            inserted.discard(key)  # a repeat inside the batch is not new either
        new = [e for e, is_new in zip(events, fresh, strict=True) if is_new]
        if history:
            self._touch_from_history(conn, new, ids)
        else:
            self._touch_members(conn, new, ids)
        return fresh

    def flush(self, conn) -> None:
        """Write what is held back in memory (the last-seen times within their minute)."""
        self.last_seen.begin()
        self.last_seen.flush(conn)

    def _ids(self, conn, events: list[InboundEvent]) -> _Ids:
        """Row ids for the batch's members, message authors and channels.

        Members are created on sight (first seen at their earliest event here); authors of
        what is replied or reacted to are only looked up.
        """
        members: dict[Key, tuple[MemberRef, datetime]] = {}
        authors: set[Key] = set()
        channels: dict[Key, ChannelRef] = {}
        for event in events:
            member, channel, at = event.member, event.channel, event.at
            key = (member.platform, member.user_id)
            found = members.get(key)
            if found is None or at < found[1]:
                members[key] = (member, at)
            if (target := _target(event)) is not None:
                authors.add((target.platform, target.user_id))
            key = (channel.platform, channel.home_id)
            known = channels.get(key)
            if known is None or not known.name:
                channels[key] = home_channel(channel)
        created: set[Key] = set()
        ids = _Ids(self.directory.member_ids(conn, members, created))
        for key in created:
            self.last_seen.stored(ids.members[key], members[key][1])
            self.earliest.created(ids.members[key], members[key][1])
        ids.members.update(self.directory.known_member_ids(conn, authors - ids.members.keys()))
        ids.channels = self.directory.channel_ids(conn, channels)
        return ids

    def _row(self, event: InboundEvent, ids: _Ids, content_types: dict[Post, str]) -> dict:
        parent = _parent(event)
        target = _target(event)
        member, channel = event.member, event.channel
        return {
            "platform": member.platform,
            "platform_event_id": event.event_id,
            "kind": event.kind.value,
            "member_id": ids.members[(member.platform, member.user_id)],
            "channel_id": ids.channels[(channel.platform, channel.home_id)],
            "message_id": _message(event),
            "parent_message_id": parent,
            "target_member_id": ids.members.get((target.platform, target.user_id))
            if target
            else None,
            "detail": self.detail(event),
            "text": getattr(event, "text", None) if self.store_text else None,
            "content_type": _content_type(event, parent, content_types) if parent else None,
            "created_at": event.at,
            "removed_at": None,
        }

    def _touch_members(self, conn, events: list[InboundEvent], ids: _Ids) -> None:
        """Last-seen times (coalesced), then joins and leaves: a statement for each kind."""
        touched = set()
        standing: dict[int, dict] = {}  # member row -> the join/leave columns to set
        for event in events:
            member = ids.members[(event.member.platform, event.member.user_id)]
            self.last_seen.seen(member, event.at)
            touched.add(member)
            if isinstance(event, MemberJoined):
                standing[member] = {"member": member, "joined": event.at, "left": None}
            elif isinstance(event, MemberLeft):
                standing.setdefault(member, {"member": member})["left"] = event.at
        self.last_seen.write_due(conn, touched)
        rejoined = [values for values in standing.values() if "joined" in values]
        left = [values for values in standing.values() if "joined" not in values]
        if rejoined:
            conn.execute(_SET_JOINED, rejoined)
        if left:
            conn.execute(_SET_LEFT, left)

    def _touch_from_history(self, conn, events: list[InboundEvent], ids: _Ids) -> None:
        """Last-seen times (held back until `flush`: history is written in long runs), and
        first-seen times and join dates moved back to the earliest on record (history_rules)."""
        seen, members = self.last_seen.seen, ids.members
        first: dict[int, datetime] = {}
        joined: dict[int, datetime] = {}
        for event in events:
            member, at = members[(event.member.platform, event.member.user_id)], event.at
            seen(member, at)
            if member not in first or at < first[member]:
                first[member] = at
            if type(event) is MemberJoined and (member not in joined or at < joined[member]):
                joined[member] = at
        self.earliest.write(conn, "first_seen_at", first)
        self.earliest.write(conn, "joined_at", joined)


_SET_JOINED = (
    update(_MEMBERS)
    .where(_MEMBERS.c.id == bindparam("member"))
    .values(joined_at=bindparam("joined"), left_at=bindparam("left"))
)
_SET_LEFT = (
    update(_MEMBERS).where(_MEMBERS.c.id == bindparam("member")).values(left_at=bindparam("left"))
)


def _insert(conn, rows: list[dict]) -> set[Key]:
    """Insert the rows, skipping platform event ids already stored; the keys that went in."""
    return insert_new_rows(conn, _LOG, rows, "platform", "platform_event_id")


def home_channel(channel: ChannelRef) -> ChannelRef:
    """The channel an event counts in: a thread's parent (known by id only), else itself."""
    if channel.home_id == channel.channel_id:
        return channel
    return ChannelRef(channel.platform, channel.home_id, "", channel.is_admin)


def _message(event: InboundEvent) -> str | None:
    """The message the event is (a thread: the thread's own id)."""
    if type(event) is ThreadCreated:
        return event.channel.thread_id or event.channel.channel_id
    return getattr(event, "message_id", None)


def _parent(event: InboundEvent) -> str | None:
    """The message this event is about: a reply's parent, a reaction's or a click's message,
    the original of a share, the message a thread was started from."""
    attribute = _parent_attribute(type(event))
    return getattr(event, attribute) if attribute else None


def _target(event: InboundEvent) -> MemberRef | None:
    """The author of the message the event is about, when the platform says."""
    attribute = _target_attribute(type(event))
    return getattr(event, attribute) if attribute else None


@cache
def _parent_attribute(kind: type) -> str | None:
    """Which attribute of an event of this class holds the message it is about."""
    if issubclass(kind, ReplyPosted):
        return "parent_id"
    if issubclass(kind, ReactionAdded | ReactionRemoved | ButtonPressed):
        return "message_id"
    if issubclass(kind, MessageShared):
        return "source_message_id"
    if issubclass(kind, ThreadCreated):
        return "parent_message_id"
    return None


@cache
def _target_attribute(kind: type) -> str | None:
    """Which attribute of an event of this class holds the author of what it is about."""
    found = {f.name for f in fields(kind)}
    return next(
        (a for a in ("message_author", "parent_author", "source_author") if a in found), None
    )


def _content_types(conn, events: list[InboundEvent]) -> dict[Post, str]:
    """Content types of the bot's posts that this batch's replies, reactions, clicks and
    shares are on, by (platform, channel, message id): a Slack `ts` is unique per channel."""
    parents = {_parent(e) for e in events if _maybe_on_a_bot_post(e)} - {None}
    if not parents:
        return {}
    sql = (
        "SELECT platform, channel_id, platform_message_id, content_type FROM botmessage "
        f"WHERE content_type IS NOT NULL AND platform_message_id IN ({marks(len(parents))})"
    )
    found = fetch(conn, sql, list(parents))
    return {(platform, channel, message): kind for platform, channel, message, kind in found}


def _content_type(event: InboundEvent, parent: str, types: dict[Post, str]) -> str | None:
    """The content type of the bot post `parent`, in the channel (or thread) of the event,
    or for a share in the channel the original is in."""
    if isinstance(event, MessageShared):
        return types.get((event.platform, event.source_channel_id, parent))
    channel = event.channel
    return types.get((event.platform, channel.channel_id, parent)) or types.get(
        (event.platform, channel.home_id, parent)
    )


def _maybe_on_a_bot_post(event: InboundEvent) -> bool:
    """Whether the message this event is about may be the bot's (its author is not a member)."""
    author = _target(event)
    return author is None or author.is_bot


def keys_of(events: list[InboundEvent]) -> tuple[set[Key], set[Key]]:
    """The members (actors and authors) and the channels a batch's rows point at."""
    members = {(e.member.platform, e.member.user_id) for e in events}
    members.update((t.platform, t.user_id) for t in map(_target, events) if t is not None)
    return members, {(e.channel.platform, e.channel.home_id) for e in events}
