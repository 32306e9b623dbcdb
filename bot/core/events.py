"""Neutral inbound events: what adapters turn platform payloads into."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class MemberRef:
    """A member as the platform names them, with what the adapter knows of their standing."""

    platform: str
    user_id: str
    name: str
    is_manager: bool = False
    is_bot: bool = False
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChannelRef:
    """A channel as the platform names it; `is_admin` marks the managers' private channel."""

    platform: str
    channel_id: str
    name: str
    is_admin: bool = False


class EventKind(StrEnum):
    MESSAGE = "message"
    REPLY = "reply"
    REACTION_ADDED = "reaction_added"
    REACTION_REMOVED = "reaction_removed"
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
    message_id: str
    text: str
    kind: EventKind = field(init=False, default=EventKind.MESSAGE)


@dataclass(frozen=True, kw_only=True)
class ReplyPosted(InboundEvent):
    message_id: str
    parent_id: str
    text: str
    parent_author: MemberRef | None = None
    kind: EventKind = field(init=False, default=EventKind.REPLY)


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
