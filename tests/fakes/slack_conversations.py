"""The fake Slack's read methods: conversations.*, users.* and usergroups.*."""

from __future__ import annotations

import copy
import time
from typing import Any

from tests.fakes.slack_api import ApiMixin, Params, SlackError, decode_cursor, encode_cursor
from tests.fakes.slack_state import ts_key

TYPE_SCOPES = {
    "public_channel": "channels",
    "private_channel": "groups",
    "im": "im",
    "mpim": "mpim",
}


def is_top_level(message: dict) -> bool:
    """What conversations.history lists: no thread replies, except those broadcast."""
    thread_ts = message.get("thread_ts")
    return (
        not thread_ts or thread_ts == message["ts"] or message.get("subtype") == "thread_broadcast"
    )


def in_window(message: dict, p: Params) -> bool:
    """Between `oldest` and `latest` (exclusive unless `inclusive`)."""
    ts, inclusive = ts_key(message["ts"]), p.flag("inclusive")
    oldest = ts_key(p["oldest"]) if p.get("oldest") else None
    latest = ts_key(p["latest"]) if p.get("latest") else None
    if oldest is not None and (ts < oldest or (ts == oldest and not inclusive)):
        return False
    return latest is None or ts < latest or (ts == latest and inclusive)


class ConversationsMixin(ApiMixin):
    """Channels, their members and history; users and user groups."""

    def _conversation_type(self, channel_id: str) -> str:
        ch = self.channels[channel_id]
        if ch["is_im"] or ch["is_mpim"]:
            return "im" if ch["is_im"] else "mpim"
        return "private_channel" if ch["is_private"] else "public_channel"

    def _visible(self, channel_id: str, p: Params, user: str | None = None) -> bool:
        ch = self.channels[channel_id]
        if p.flag("exclude_archived") and ch["is_archived"]:
            return False
        if user:
            return self.is_member(channel_id, user)
        return not ch["is_private"] or ch["bot_member"]

    def api_conversations_list(self, p: Params) -> dict:
        types = str(p.get("types") or "public_channel").split(",")
        for kind in types:
            self.require(f"{TYPE_SCOPES.get(kind.strip(), 'channels')}:read")
        ids = [
            cid
            for cid in self.channels
            if self._conversation_type(cid) in types and self._visible(cid, p)
        ]
        chunk, cursor = self.page(ids, p, "team")
        channels = [self.channel_payload(cid) for cid in chunk]
        return {"channels": channels, "response_metadata": {"next_cursor": cursor}}

    def api_users_conversations(self, p: Params) -> dict:
        types = str(p.get("types") or "public_channel").split(",")
        user = p.get("user") or self.bot_user_id
        ids = [
            cid
            for cid in self.channels
            if self._conversation_type(cid) in types and self._visible(cid, p, user)
        ]
        chunk, cursor = self.page(ids, p, "team")
        channels = [self.channel_payload(cid) for cid in chunk]
        return {"channels": channels, "response_metadata": {"next_cursor": cursor}}

    def api_conversations_info(self, p: Params) -> dict:
        channel_id = self.channel_for(p)
        self.require(f"{self.scope_prefix(channel_id)}:read")
        return {
            "channel": self.channel_payload(channel_id, num_members=p.flag("include_num_members"))
        }

    def api_conversations_members(self, p: Params) -> dict:
        channel_id = self.channel_for(p)
        self.require(f"{self.scope_prefix(channel_id)}:read")
        members = [u for u in self.members_of(channel_id)]
        chunk, cursor = self.page(members, p, "user")
        return {"members": chunk, "response_metadata": {"next_cursor": cursor}}

    def api_conversations_open(self, p: Params) -> dict:
        if p.get("channel"):
            channel_id = self.channel_for(p)
            return {"no_op": True, "already_open": True, "channel": {"id": channel_id}}
        users = [u.strip() for u in str(p.get("users") or "").split(",") if u.strip()]
        if not users:
            raise SlackError("users_list_not_supplied")
        if any(u not in self.users for u in users):
            raise SlackError("user_not_found")
        if len(users) > 1:
            self.require("mpim:write")
            channel_id = self._open_mpim(users)
            return {"channel": self.channel_payload(channel_id)}
        self.require("im:write")
        existed = any(ch["is_im"] and ch["user"] == users[0] for ch in self.channels.values())
        channel_id = self.open_dm(users[0])
        channel = self.channel_payload(channel_id) if p.flag("return_im") else {"id": channel_id}
        return (
            {"no_op": True, "already_open": True, "channel": channel}
            if existed
            else {"channel": channel}
        )

    def _open_mpim(self, users: list[str]) -> str:
        wanted = set(users)
        for cid, ch in self.channels.items():
            if ch["is_mpim"] and set(ch["members"]) == wanted:
                return cid
        names = "--".join(self.users[u]["name"] for u in users)
        cid = self.add_channel(f"mpdm-{self.bot_name}--{names}-1", private=True, members=users)
        self.channels[cid].update(is_mpim=True)
        self.channels["G" + cid[1:]] = self.channels.pop(cid) | {"id": "G" + cid[1:]}
        self.messages["G" + cid[1:]] = self.messages.pop(cid)
        return "G" + cid[1:]

    def api_conversations_join(self, p: Params) -> dict:
        channel_id = self.channel_for(p)
        self.require("channels:join")
        ch = self.channels[channel_id]
        if ch["is_private"]:
            raise SlackError("method_not_supported_for_channel_type")
        if ch["is_archived"]:
            raise SlackError("is_archived")
        was_member, ch["bot_member"] = ch["bot_member"], True
        out: dict[str, Any] = {"channel": self.channel_payload(channel_id)}
        if was_member:
            out["warning"] = "already_in_channel"
            out["response_metadata"] = {"warnings": ["already_in_channel"]}
        return out

    def _shown(self, message: dict, p: Params) -> dict:
        out = copy.deepcopy(message)
        if not p.flag("include_all_metadata"):
            out.pop("metadata", None)
        return out

    def api_conversations_history(self, p: Params) -> dict:
        channel_id = self.channel_for(p, history=True)
        found = [m for m in self.messages[channel_id] if is_top_level(m) and in_window(m, p)]
        found.reverse()
        if p.get("cursor"):
            before = ts_key(decode_cursor(p["cursor"], "next_ts"))
            found = [m for m in found if ts_key(m["ts"]) <= before]
        limit = min(p.int("limit", 100) or 100, 999)
        chunk, rest = found[:limit], found[limit:]
        out: dict[str, Any] = {
            "messages": [self._shown(m, p) for m in chunk], "has_more": bool(rest),
            "pin_count": 0, "channel_actions_ts": None, "channel_actions_count": 0,
        }  # fmt: skip
        if rest:
            out["response_metadata"] = {"next_cursor": encode_cursor("next_ts", rest[0]["ts"])}
        return out

    def api_conversations_replies(self, p: Params) -> dict:
        channel_id = self.channel_for(p, history=True)
        message = self.find(channel_id, str(p.get("ts") or ""))
        if message is None:
            raise SlackError("thread_not_found")
        root = self.find(channel_id, message.get("thread_ts") or message["ts"]) or message
        replies = [m for m in self.replies_of(channel_id, root["ts"]) if in_window(m, p)]
        items = [root, *replies]
        chunk, cursor = self.page(items, p, "thread", default=1000)
        out: dict[str, Any] = {
            "messages": [self._shown(m, p) for m in chunk],
            "has_more": bool(cursor),
        }
        if cursor:
            out["response_metadata"] = {"next_cursor": cursor}
        return out

    # users and user groups
    def _user_payload(self, user_id: str) -> dict:
        user = copy.deepcopy(self.users[user_id])
        if "users:read.email" not in self.scopes:
            user["profile"].pop("email", None)
        return user

    def api_users_list(self, p: Params) -> dict:
        self.require("users:read")
        chunk, cursor = self.page(list(self.users), p, "user", default=1000)
        members = [self._user_payload(u) for u in chunk]
        return {
            "members": members,
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": cursor},
        }

    def api_users_info(self, p: Params) -> dict:
        self.require("users:read")
        user_id = p.get("user")
        if user_id not in self.users:
            raise SlackError("user_not_found")
        return {"user": self._user_payload(user_id)}

    def api_usergroups_list(self, p: Params) -> dict:
        self.require("usergroups:read")
        groups = []
        for group in self.usergroups.values():
            shown = copy.deepcopy(group)
            if not p.flag("include_users"):
                shown.pop("users")
            if not p.flag("include_count"):
                shown.pop("user_count")
                shown.pop("channel_count")
            groups.append(shown)
        return {"usergroups": groups}

    def api_usergroups_users_list(self, p: Params) -> dict:
        self.require("usergroups:read")
        group = self.usergroups.get(p.get("usergroup") or "")
        if group is None:
            raise SlackError("no_such_subteam")
        return {"users": list(group["users"])}
