"""Slack's payloads as the core's neutral events: messages and thread replies, edits and
deletions, shares, reactions, channel and workspace joins, slash commands, button clicks and
modal submits. Ids are Slack's own (a message is its channel and `ts`), so a retried event,
a history catch-up and an import all give the same event id."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapters.slack.directory import Directory
from adapters.slack.render import form_values
from bot.core.events import (
    Attachment,
    ButtonPressed,
    ChannelRef,
    CommandInvoked,
    FormSubmitted,
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReactionRemoved,
    ReplyPosted,
)
from bot.text.emoji_names import emoji_of

PLATFORM = "slack"
# what members write; other subtypes (joins, topic changes, pins) are not posts
POSTS = {None, "thread_broadcast", "file_share", "me_message"}


_ENTITIES = re.compile(r"&(amp|lt|gt);")
# `<@U123>`, `<@W123>` (an Enterprise Grid user), `<@U123|name>`; an export lowercases them
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", re.IGNORECASE)
_CHARACTERS = {"amp": "&", "lt": "<", "gt": ">"}
SLACKBOT = "USLACKBOT"  # writes tombstones ("This message was deleted.") in threads


def unescape(text: str) -> str:
    """Text as the member wrote it: Slack sends `&`, `<` and `>` as `&amp;`, `&lt;`, `&gt;`
    (its own `<@U…>`, `<#C…>` and links keep their brackets)."""
    return _ENTITIES.sub(lambda found: _CHARACTERS[found.group(1)], text)


def mentions(text: str) -> tuple[str, ...]:
    """The user ids `text` (as Slack sends it) mentions, upper-cased, in order, once each."""
    if "<@" not in text:
        return ()
    return tuple(dict.fromkeys(found.upper() for found in _MENTION.findall(text)))


def when(ts: str | float | None) -> datetime:
    """A Slack timestamp (`1764660000.000100`) as a UTC time."""
    return datetime.fromtimestamp(float(ts or 0), UTC)


def thread_of(message: dict[str, Any], ts: str | None = None) -> str | None:
    """The thread `message` (whose `ts` it is) replies in: its root's `ts`; None for a
    top-level message or a thread's root."""
    thread_ts = message.get("thread_ts")
    return thread_ts if thread_ts and thread_ts != (ts or message.get("ts")) else None


def message_event_id(channel_id: str, ts: str) -> str:
    """The event id of a message: its channel and `ts` (unique in a workspace)."""
    return f"{channel_id}:{ts}"


@dataclass
class Translator:
    """Maps Slack shapes to neutral ones; knows who the managers are and their channel."""

    directory: Directory
    managers: set[str] = field(default_factory=set)  # user ids ([slack] managers + the group)
    manager_group_id: str = ""
    admin_channel_id: str = ""
    now: Callable[[], datetime] = lambda: datetime.now(UTC)  # the core's clock, once started

    # ---- who and where ------------------------------------------------------------------
    def member(
        self, user_id: str, fallback: str = "", joined_at: datetime | None = None
    ) -> MemberRef:
        person = self.directory.person(user_id, fallback)
        manager = user_id in self.managers
        roles = (self.manager_group_id,) if manager and self.manager_group_id else ()
        return MemberRef(
            PLATFORM,
            user_id,
            person.name,
            is_manager=manager,
            is_bot=person.is_bot or user_id == SLACKBOT,
            roles=roles,
            joined_at=joined_at,
        )

    def channel(
        self, channel_id: str, thread_ts: str | None = None, fallback: str = ""
    ) -> ChannelRef:
        """A channel; a thread is the same channel with the root's `ts` as `thread_id`."""
        place = self.directory.place(channel_id, fallback)
        return ChannelRef(
            PLATFORM,
            channel_id,
            place.name,
            is_admin=bool(self.admin_channel_id) and channel_id == self.admin_channel_id,
            thread_id=thread_ts,
        )

    def _base(self, event_id: str, user_id: str, channel: ChannelRef, ts: Any) -> dict[str, Any]:
        return {
            "event_id": event_id,
            "member": self.member(user_id),
            "channel": channel,
            "at": when(ts),
        }

    # ---- messages -----------------------------------------------------------------------
    def message(self, event: dict[str, Any]) -> InboundEvent | None:
        """A member's message: a post, a thread reply, a share; an edit or a deletion. None
        for what is not a member's post (joins, topic changes, bots' own posts)."""
        subtype = event.get("subtype")
        if subtype == "message_changed":
            return self.edited(event)
        if subtype == "message_deleted":
            return self.deleted(event)
        return self.posted(event["channel"], event)

    def posted(self, channel_id: str, message: dict[str, Any]) -> InboundEvent | None:
        """A message as Slack stores it (an event, or a page of conversations.history)."""
        if message.get("subtype") not in POSTS or not message.get("user"):
            return None
        ts, thread_ts = message["ts"], thread_of(message)
        reply = thread_ts is not None
        where = self.channel(channel_id, thread_ts)
        base = self._base(message_event_id(channel_id, ts), message["user"], where, ts)
        raw = message.get("text") or ""
        text, mentioned = unescape(raw), mentions(raw)
        shared = _shared(message)
        if shared is not None and not reply:
            return MessageShared(
                **base,
                message_id=ts,
                source_channel_id=shared.get("channel_id") or channel_id,
                source_message_id=str(shared.get("ts")),
                source_author=self.member(shared["author_id"]) if shared.get("author_id") else None,
                text=text,
                mentions=mentioned,
            )
        if reply:
            parent = message.get("parent_user_id")
            return ReplyPosted(
                **base,
                message_id=ts,
                parent_id=thread_ts,
                text=text,
                parent_author=self.member(parent) if parent else None,
                mentions=mentioned,
            )
        return MessagePosted(**base, message_id=ts, text=text, mentions=mentioned)

    def edited(self, event: dict[str, Any]) -> MessageEdited | None:
        """A change of a message's text (None when only something else changed: a thread's
        reply count, an unfurl)."""
        new, old = event.get("message") or {}, event.get("previous_message") or {}
        if new.get("subtype") == "tombstone":  # a thread's first message deleted
            return self.deleted({**event, "deleted_ts": new.get("ts"), "previous_message": old})
        if not new.get("user") or new.get("text") == old.get("text"):
            return None
        edited_ts = (new.get("edited") or {}).get("ts") or event.get("event_ts") or event["ts"]
        channel_id, ts = event["channel"], new["ts"]
        where = self.channel(channel_id, thread_of(new))
        event_id = f"edit:{channel_id}:{ts}:{edited_ts}"
        return MessageEdited(
            **self._base(event_id, new["user"], where, edited_ts),
            message_id=ts,
            text=unescape(new.get("text") or ""),
        )

    def deleted(self, event: dict[str, Any]) -> MessageDeleted | None:
        """A deletion, counted as its author's (Slack does not say who deleted it)."""
        old = event.get("previous_message") or {}
        if not old.get("user") or old.get("subtype") == "tombstone":
            return None  # a tombstone's deletion: its message was counted deleted already
        channel_id, ts = event["channel"], event["deleted_ts"]
        where = self.channel(channel_id, thread_of(old, ts))
        at = event.get("event_ts") or event["ts"]
        return MessageDeleted(
            **self._base(f"delete:{channel_id}:{ts}", old["user"], where, at), message_id=ts
        )

    # ---- reactions, joins ---------------------------------------------------------------
    def reaction(self, event: dict[str, Any], added: bool) -> InboundEvent | None:
        """A reaction on a message (reactions on files are not counted), as the emoji itself
        ("✅" for `white_check_mark`; a custom emoji keeps its name); the id keeps Slack's."""
        item = event.get("item") or {}
        if item.get("type") != "message":
            return None
        channel_id, ts, user = item["channel"], item["ts"], event["user"]
        action = "add" if added else "remove"
        event_id = (
            f"reaction:{channel_id}:{ts}:{user}:{event['reaction']}:{action}:{event['event_ts']}"
        )
        author = event.get("item_user")
        kwargs = {
            **self._base(event_id, user, self.channel(channel_id), event["event_ts"]),
            "message_id": ts,
            "emoji": emoji_of(event["reaction"]),
            "message_author": self.member(author) if author else None,
        }
        return ReactionAdded(**kwargs) if added else ReactionRemoved(**kwargs)

    def channel_join(self, event: dict[str, Any], joined: bool) -> InboundEvent:
        """A member joined (or left) a channel."""
        channel_id, user = event["channel"], event["user"]
        at = event.get("event_ts") or self.now().timestamp()
        verb = "join" if joined else "leave"
        base = self._base(f"{verb}:{channel_id}:{user}:{at}", user, self.channel(channel_id), at)
        return MemberJoined(**base) if joined else MemberLeft(**base)

    def team_join(self, event: dict[str, Any], where: ChannelRef) -> MemberJoined:
        """A new member of the workspace, counted in its #general; joined now (Slack gives
        users no join date, so this moment is theirs)."""
        person = self.directory.remember_person(event["user"])
        at = when(event.get("event_ts") or self.now().timestamp())
        member = self.member(person.user_id, joined_at=at)
        return MemberJoined(
            event_id=f"team_join:{person.user_id}", member=member, channel=where, at=at
        )

    # ---- interactions -------------------------------------------------------------------
    def command(
        self,
        body: dict[str, Any],
        name: str,
        text: str,
        at: datetime,
        attachments: tuple[Attachment, ...] = (),
    ) -> CommandInvoked:
        """A slash command (its name and text as the core reads them)."""
        where = self.channel(body["channel_id"], fallback=body.get("channel_name", ""))
        member = self.member(body["user_id"], body.get("user_name", ""))
        return CommandInvoked(
            event_id=f"command:{body['trigger_id']}",
            member=member,
            channel=where,
            at=at,
            name=name,
            text=text,
            attachments=attachments,
        )

    def file_command(
        self, event: dict[str, Any], name: str, text: str, attachments: tuple[Attachment, ...]
    ) -> CommandInvoked:
        """A file shared with a command as its message (`import` in the managers' channel)."""
        channel_id, ts = event["channel"], event["ts"]
        return CommandInvoked(
            **self._base(
                message_event_id(channel_id, ts), event["user"], self.channel(channel_id), ts
            ),
            name=name,
            text=text,
            attachments=attachments,
        )

    def button(self, body: dict[str, Any], at: datetime) -> ButtonPressed:
        """A click on one of Steward's buttons."""
        action = body["actions"][0]
        channel_id, ts, thread_ts = click_place(body)
        user = body["user"]
        return ButtonPressed(
            event_id=f"click:{channel_id}:{ts}:{user['id']}:{action.get('action_ts', '')}",
            member=self.member(user["id"], user.get("name", "")),
            channel=self.channel(channel_id, thread_ts),
            at=at,
            message_id=ts,
            action_id=action.get("value") or action["action_id"],  # the id is made unique
        )

    def form(self, body: dict[str, Any], at: datetime) -> FormSubmitted:
        """A submitted modal; where it was opened from travels in its private metadata."""
        view, user = body["view"], body["user"]
        where = self.channel(*form_origin(view))
        return FormSubmitted(
            event_id=f"form:{view['id']}:{body['trigger_id']}",  # a corrected one is new
            member=self.member(user["id"], user.get("name", "")),
            channel=where,
            at=at,
            form_id=view["callback_id"],
            values=form_values(view),
        )


def _shared(message: dict[str, Any]) -> dict[str, Any] | None:
    """The message a message shares (Slack's "Share message"), or None."""
    for attachment in message.get("attachments") or []:
        if attachment.get("is_share") and attachment.get("ts"):
            return attachment
    return None


def click_place(body: dict[str, Any]) -> tuple[str, str, str | None]:
    """Where a click was: the channel, the clicked message's `ts`, and its thread (or None)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel_id = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
    ts = container.get("message_ts") or message.get("ts", "")
    return channel_id, ts, thread_of(message, ts)


def form_origin(view: dict[str, Any]) -> tuple[str, str | None]:
    """The channel (and thread) a modal was opened from, kept in its private metadata."""
    try:
        found = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        found = {}
    if not isinstance(found, dict):
        found = {}
    return str(found.get("channel") or ""), found.get("thread_ts")
