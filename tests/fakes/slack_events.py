"""Builders of the inner events of the Events API, shaped like Slack's (the `event` of an
`event_callback`). Plain functions; FakeSlack's methods of the same names fill the team,
channel type and event timestamps from its workspace."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from tests.fakes.slack_blocks import rich_text_of

_SLACK_TOKEN = re.compile(r"<(?:[@#!][^<>]+|(?:https?|mailto):[^<>]+)>")


def escaped(text: str) -> str:
    """Text as Slack sends what a member typed: `&`, `<`, `>` as entities, while its own
    mentions and links (`<@U…>`, `<#C…|name>`, `<https://…|label>`) keep their brackets."""
    out, last = [], 0
    for token in _SLACK_TOKEN.finditer(text):
        out.append(_escape(text[last : token.start()]))
        out.append(token.group(0))
        last = token.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def channel_type_of(channel: str) -> str:
    return {"D": "im", "G": "group"}.get(channel[:1], "channel")


def message_body(
    user: str | None,
    text: str,
    ts: str,
    *,
    team: str = "T0FAKE",
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
    subtype: str | None = None,
    files: list | None = None,
    bot_id: str | None = None,
    blocks: list | None = None,
) -> dict:
    """A message as it sits inside events and history: a person's has client_msg_id and
    rich_text blocks; an app's has bot_id."""
    message: dict[str, Any] = {"type": "message", "text": escaped(text), "ts": ts}
    if subtype:
        message["subtype"] = subtype
    if user:
        message["user"] = user
    if bot_id:
        message["bot_id"] = bot_id
    elif subtype in (None, "thread_broadcast", "file_share"):
        message["client_msg_id"] = str(uuid.uuid4())
    if blocks is not None or (not bot_id and subtype in (None, "thread_broadcast")):
        message["blocks"] = blocks if blocks is not None else [rich_text_of(text)]
    message["team"] = team
    if thread_ts:
        message["thread_ts"] = thread_ts
        if thread_ts != ts and parent_user_id:
            message["parent_user_id"] = parent_user_id
    if files is not None:
        message.update(files=list(files), upload=False, display_as_bot=False)
    return message


def message_event(
    channel: str,
    user: str | None,
    text: str,
    ts: str,
    *,
    thread_ts: str | None = None,
    subtype: str | None = None,
    files: list | None = None,
    edited: str | None = None,
    previous_message: dict | None = None,
    deleted_ts: str | None = None,
    bot_id: str | None = None,
    team: str = "T0FAKE",
    channel_type: str | None = None,
    event_ts: str | None = None,
    parent_user_id: str | None = None,
    message: dict | None = None,
) -> dict:
    """A `message` event. Plain (or file_share when `files`, or any `subtype`): the message
    itself. `message_changed`: `message` (the new one, `edited` at that ts) and
    `previous_message`. `message_deleted`: `deleted_ts` and `previous_message`."""
    kind = channel_type or channel_type_of(channel)
    if subtype is None and files:
        subtype = "file_share"
    body = message_body(
        user,
        text,
        ts,
        team=team,
        thread_ts=thread_ts,
        files=files,
        parent_user_id=parent_user_id,
        bot_id=bot_id,
    )
    previous = previous_message or message_body(user, "", ts, team=team, bot_id=bot_id)
    if subtype == "message_changed":
        event_ts = event_ts or edited or ts
        new = dict(message) if message is not None else body
        new["edited"] = {"user": user or bot_id, "ts": edited or event_ts}
        if user:
            new.update(source_team=team, user_team=team)
        return {
            "type": "message",
            "subtype": subtype,
            "message": new,
            "previous_message": previous,
            "channel": channel,
            "hidden": True,
            "ts": event_ts,
            "event_ts": event_ts,
            "channel_type": kind,
        }
    if subtype == "message_deleted":
        event_ts = event_ts or ts
        return {
            "type": "message",
            "subtype": subtype,
            "previous_message": previous,
            "channel": channel,
            "hidden": True,
            "deleted_ts": deleted_ts or ts,
            "event_ts": event_ts,
            "ts": event_ts,
            "channel_type": kind,
        }
    if subtype:
        body = {"subtype": subtype, **body}
    return {**body, "channel": channel, "event_ts": event_ts or ts, "channel_type": kind}


def app_mention(
    channel: str,
    user: str,
    text: str,
    ts: str,
    *,
    team: str = "T0FAKE",
    thread_ts: str | None = None,
    event_ts: str | None = None,
) -> dict:
    """An `app_mention` (Slack sends it beside the `message` event when text has <@bot>)."""
    body = message_body(user, text, ts, team=team, thread_ts=thread_ts)
    return {**body, "type": "app_mention", "channel": channel, "event_ts": event_ts or ts}


def reaction_event(
    added: bool,
    user: str,
    reaction: str,
    channel: str,
    ts: str,
    item_user: str | None,
    *,
    event_ts: str | None = None,
) -> dict:
    """`reaction_added` / `reaction_removed` on a message."""
    event: dict[str, Any] = {
        "type": "reaction_added" if added else "reaction_removed", "user": user,
        "reaction": reaction.strip(":"), "item": {"type": "message", "channel": channel, "ts": ts},
    }  # fmt: skip
    if item_user:
        event["item_user"] = item_user
    event["event_ts"] = event_ts or f"{time.time():.6f}"
    return event


def member_joined_channel(
    user: str,
    channel: str,
    *,
    channel_type: str = "C",
    team: str = "T0FAKE",
    inviter: str | None = None,
    event_ts: str | None = None,
) -> dict:
    """`member_joined_channel` (channel_type "C" public, "G" private)."""
    event = {
        "type": "member_joined_channel",
        "user": user,
        "channel": channel,
        "channel_type": channel_type,
        "team": team,
    }
    if inviter:
        event["inviter"] = inviter
    return {**event, "event_ts": event_ts or f"{time.time():.6f}"}


def member_left_channel(
    user: str,
    channel: str,
    *,
    channel_type: str = "C",
    team: str = "T0FAKE",
    event_ts: str | None = None,
) -> dict:
    return {
        "type": "member_left_channel",
        "user": user,
        "channel": channel,
        "channel_type": channel_type,
        "team": team,
        "event_ts": event_ts or f"{time.time():.6f}",
    }


def team_join(user: dict, *, event_ts: str | None = None) -> dict:
    """`team_join`: a full user object (as users.info returns it)."""
    now = time.time()
    return {
        "type": "team_join",
        "user": user,
        "cache_ts": int(now),
        "event_ts": event_ts or f"{now:.6f}",
    }


def user_change(user: dict, *, event_ts: str | None = None) -> dict:
    now = time.time()
    return {
        "type": "user_change",
        "user": user,
        "cache_ts": int(now),
        "event_ts": event_ts or f"{now:.6f}",
    }


def file_shared(
    file_id: str, user_id: str, channel_id: str, *, event_ts: str | None = None
) -> dict:
    """`file_shared` (only the file id; the app calls files.info for more)."""
    return {
        "type": "file_shared",
        "channel_id": channel_id,
        "file_id": file_id,
        "user_id": user_id,
        "file": {"id": file_id},
        "event_ts": event_ts or f"{time.time():.6f}",
    }
