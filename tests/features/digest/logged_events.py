"""Events as members make them, recorded through the real interaction log, and who the
digest counts, in plain Python: what the digest's figure tests share."""

from __future__ import annotations

from datetime import datetime

from bot.core.directory import Directory
from bot.core.events import (
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessageDeleted,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.core.interaction_log import InteractionLog
from bot.store.database import Store
from bot.store.models import Member

P = "discord"
GENERAL = ChannelRef(P, "c1", "general")
HELP = ChannelRef(P, "c2", "help")
MANAGERS = ChannelRef(P, "c9", "managers", is_admin=True)


class Events:
    """Events as members make them, with ids of their own."""

    def __init__(self) -> None:
        self.made: list[InboundEvent] = []

    def _base(self, who: MemberRef, where: ChannelRef, at: datetime) -> dict:
        return {"event_id": f"e{len(self.made)}", "member": who, "channel": where, "at": at}

    def _add(self, event: InboundEvent) -> InboundEvent:
        self.made.append(event)
        return event

    def say(self, who: MemberRef, at: datetime, where: ChannelRef = GENERAL) -> str:
        base = self._base(who, where, at)
        self._add(MessagePosted(**base, message_id=base["event_id"], text="hi"))
        return base["event_id"]

    def reply(self, who: MemberRef, at: datetime, to: str, where: ChannelRef = GENERAL) -> None:
        base = self._base(who, where, at)
        self._add(ReplyPosted(**base, message_id=base["event_id"], parent_id=to, text="yes"))

    def react(self, who: MemberRef, at: datetime, to: str, emoji: str = "👍", **kw) -> None:
        where = kw.get("where", GENERAL)
        self._add(ReactionAdded(**self._base(who, where, at), message_id=to, emoji=emoji))

    def unreact(self, who: MemberRef, at: datetime, to: str, emoji: str = "👍", **kw) -> None:
        where = kw.get("where", GENERAL)
        self._add(ReactionRemoved(**self._base(who, where, at), message_id=to, emoji=emoji))

    def click(self, who: MemberRef, at: datetime, action: str, where=GENERAL) -> None:
        base = self._base(who, where, at)
        self._add(ButtonPressed(**base, message_id="poll", action_id=action))

    def share(self, who: MemberRef, at: datetime, where: ChannelRef = GENERAL) -> None:
        base = self._base(who, where, at)
        self._add(
            MessageShared(
                **base, message_id=base["event_id"], source_channel_id="c2", source_message_id="x"
            )
        )

    def other(self, who: MemberRef, at: datetime, kind: str, where=GENERAL) -> None:
        base = self._base(who, where, at)
        made = {
            "join": lambda: MemberJoined(**base),
            "leave": lambda: MemberLeft(**base),
            "delete": lambda: MessageDeleted(**base, message_id="gone"),
            "command": lambda: CommandInvoked(**base, name="stats me"),
        }
        self._add(made[kind]())


async def recorded_store(url: str, events: Events) -> Store:
    """A store holding `events`, written by the real interaction log."""
    store = Store.open(url, migrate=False)  # the fixtures' databases are migrated
    log = InteractionLog(store, Directory())
    log.start()
    await log.record_many(events.made)
    await log.stop()
    return store


def counted_at(member: Member, end: datetime) -> bool:
    """Here at `end`: not a bot, joined before (or no date known), not gone by then."""
    joined = member.joined_at or member.first_seen_at
    rejoined = member.joined_at is not None and member.left_at is not None
    gone = member.left_at is not None and member.left_at < end
    if rejoined and member.left_at < member.joined_at:
        gone = False
    return not member.is_bot and (joined is None or joined < end) and not gone
