"""Neutral inbound events: what adapters turn platform payloads into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class MemberRef:
    """A member as the platform names them, with what the adapter knows of their standing.

    `roles` holds the platform ids of the member's roles (RoleRef.role_id), never their
    names: names change and need not be unique. Where a platform's role id is its name (the
    console's `manager`), the id is that name. `joined_at` is kept as the member's join date
    when Steward first sees them (so a member who joined before Steward came counts from
    their real join date, for contest eligibility say).
    """

    platform: str
    user_id: str
    name: str
    is_manager: bool = False
    is_bot: bool = False
    roles: tuple[str, ...] = ()  # role platform ids
    joined_at: datetime | None = None  # when the platform says they joined (Discord does)


@dataclass(frozen=True)
class ChannelRef:
    """A channel by platform id, with its name as shown; `is_admin`: the managers' channel.

    A thread is a ChannelRef too: `parent_id` is the channel it hangs under (on Slack the
    thread id is the parent message's `ts` and `channel_id` stays the channel's).
    """

    platform: str
    channel_id: str
    name: str
    is_admin: bool = False
    parent_id: str | None = None
    thread_id: str | None = None

    @property
    def home_id(self) -> str:
        """The channel a thread belongs to (itself when not a thread)."""
        return self.parent_id or self.channel_id


@dataclass(frozen=True)
class RoleRef:
    """A role (a Discord role, a Slack user group) by platform id, with its name."""

    platform: str
    role_id: str
    name: str


class EventKind(StrEnum):
    MESSAGE = "message"
    REPLY = "reply"
    REACTION_ADDED = "reaction_added"
    REACTION_REMOVED = "reaction_removed"
    MESSAGE_EDITED = "message_edited"
    MESSAGE_DELETED = "message_deleted"
    MESSAGE_SHARED = "message_shared"
    THREAD_CREATED = "thread_created"
    MEMBER_JOINED = "member_joined"
    MEMBER_LEFT = "member_left"
    COMMAND = "command"
    BUTTON = "button"
    FORM = "form"


@dataclass(frozen=True, kw_only=True)
class InboundEvent:
    """What every inbound event has: where, who, when, and the platform's own id for it."""

    event_id: str
    member: MemberRef
    channel: ChannelRef
    at: datetime
    kind: EventKind = field(init=False, default=EventKind.MESSAGE)

    @property
    def platform(self) -> str:
        return self.member.platform


@dataclass(frozen=True, kw_only=True)
class MessagePosted(InboundEvent):
    """A member's post; `mentions`: the platform user ids of the members its text mentions,
    in order, without repeats."""

    message_id: str
    text: str
    mentions: tuple[str, ...] = ()
    kind: EventKind = field(init=False, default=EventKind.MESSAGE)


@dataclass(frozen=True, kw_only=True)
class ReplyPosted(InboundEvent):
    """A reply to `parent_id`; `mentions` as MessagePosted's (the parent's author only when
    the text names them)."""

    message_id: str
    parent_id: str
    text: str
    parent_author: MemberRef | None = None
    mentions: tuple[str, ...] = ()
    kind: EventKind = field(init=False, default=EventKind.REPLY)


@dataclass(frozen=True, kw_only=True)
class MessageEdited(InboundEvent):
    """A member changed the text of a message they posted earlier."""

    message_id: str
    text: str
    kind: EventKind = field(init=False, default=EventKind.MESSAGE_EDITED)


@dataclass(frozen=True, kw_only=True)
class MessageDeleted(InboundEvent):
    """A message was deleted (`member` is who deleted it when the platform says, else author)."""

    message_id: str
    kind: EventKind = field(init=False, default=EventKind.MESSAGE_DELETED)


@dataclass(frozen=True, kw_only=True)
class MessageShared(InboundEvent):
    """A message forwarded, crossposted or shared elsewhere; `message_id` is the new copy,
    `text` what the member wrote with it (a Slack share's comment) and `mentions` as
    MessagePosted's."""

    message_id: str
    source_channel_id: str
    source_message_id: str
    source_author: MemberRef | None = None
    text: str = ""
    mentions: tuple[str, ...] = ()
    kind: EventKind = field(init=False, default=EventKind.MESSAGE_SHARED)


@dataclass(frozen=True, kw_only=True)
class ThreadCreated(InboundEvent):
    """A thread was started; `channel` is the thread (its `parent_id` the channel)."""

    parent_message_id: str | None = None
    name: str = ""
    kind: EventKind = field(init=False, default=EventKind.THREAD_CREATED)


def reaction_event_id(message_id: str, member_id: str, emoji: str, added: bool, nth: int) -> str:
    """A deterministic id for a reaction change that has no platform id of its own.

    `nth` counts this member's changes of this emoji on this message (add, remove, add: 1, 2,
    3), so the same change delivered twice gets one id and a repeat after a removal a new one.
    """
    action = "add" if added else "remove"
    return f"reaction:{message_id}:{member_id}:{emoji}:{action}:{nth}"


@dataclass(frozen=True, kw_only=True)
class ReactionAdded(InboundEvent):
    message_id: str
    emoji: str
    message_author: MemberRef | None = None
    kind: EventKind = field(init=False, default=EventKind.REACTION_ADDED)


@dataclass(frozen=True, kw_only=True)
class ReactionRemoved(InboundEvent):
    message_id: str
    emoji: str
    message_author: MemberRef | None = None
    kind: EventKind = field(init=False, default=EventKind.REACTION_REMOVED)


@dataclass(frozen=True, kw_only=True)
class MemberJoined(InboundEvent):
    kind: EventKind = field(init=False, default=EventKind.MEMBER_JOINED)


@dataclass(frozen=True, kw_only=True)
class MemberLeft(InboundEvent):
    kind: EventKind = field(init=False, default=EventKind.MEMBER_LEFT)


@dataclass(frozen=True)
class Attachment:
    """A file that came with a command (a CSV or ICS import, say)."""

    filename: str
    data: bytes
    content_type: str = ""


@dataclass(frozen=True, kw_only=True)
class CommandInvoked(InboundEvent):
    """A slash command. Text platforms give `text` (`name:value` pairs); Discord gives `options`."""

    name: str
    text: str = ""
    options: dict[str, object] | None = None
    attachments: tuple[Attachment, ...] = ()
    kind: EventKind = field(init=False, default=EventKind.COMMAND)


@dataclass(frozen=True, kw_only=True)
class ButtonPressed(InboundEvent):
    message_id: str
    action_id: str
    kind: EventKind = field(init=False, default=EventKind.BUTTON)


@dataclass(frozen=True, kw_only=True)
class FormSubmitted(InboundEvent):
    form_id: str
    values: dict[str, str]
    kind: EventKind = field(init=False, default=EventKind.FORM)
