"""The fake Slack's workspace: users, channels, user groups, messages and files, with builders
for the Slack-shaped objects the Web API returns."""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tests.fakes.slack_objects import CREATED, file_object, file_urls, user_object

DEFAULT_SCOPES = frozenset({
    "channels:read", "groups:read", "im:read", "mpim:read", "channels:history",
    "groups:history", "im:history", "mpim:history", "channels:join", "chat:write", "im:write",
    "mpim:write", "users:read", "users:read.email", "usergroups:read", "files:read",
    "files:write", "reactions:read", "reactions:write", "team:read", "commands",
})  # fmt: skip
PLACEHOLDER_BASE = "http://127.0.0.1:0"


@dataclass
class Call:
    """One Web API call as the fake received it (params: query, form and JSON body merged)."""

    method: str
    params: dict[str, Any]
    token: str | None


def ts_key(ts: str) -> Decimal:
    return Decimal(str(ts))


class SlackState:
    """One workspace, one bot; the stores tests read (`messages`, `files`) and seed."""

    def __init__(
        self,
        *,
        bot_token: str = "xoxb-fake",
        app_token: str = "xapp-fake",
        signing_secret: str = "fake-secret",
        team_id: str = "T0FAKE",
        bot_user_id: str = "UBOT0001",
        bot_id: str = "BBOT0001",
        app_id: str = "A0FAKEAPP",
        team_domain: str = "fake-team",
        bot_name: str = "steward",
    ) -> None:
        self.bot_token, self.app_token, self.signing_secret = bot_token, app_token, signing_secret
        self.team_id, self.bot_user_id, self.bot_id = team_id, bot_user_id, bot_id
        self.app_id = app_id
        self.team_domain, self.team_name, self.bot_name = team_domain, "Fake Team", bot_name
        self.verification_token = "fake-verification-token"
        self.http_base = PLACEHOLDER_BASE
        self.scopes: set[str] = set(DEFAULT_SCOPES)
        self.calls: list[Call] = []
        self.users: dict[str, dict] = {}
        self.channels: dict[str, dict] = {}  # internal records; see channel_payload
        self.usergroups: dict[str, dict] = {}
        self.messages: dict[str, list[dict]] = {}
        self.files: dict[str, dict] = {}
        self.file_data: dict[str, bytes] = {}
        self._counter = 0
        self._last_us = 0
        self._created = CREATED
        self._add_builtin_users()
        self.general_id = self.add_channel("general", general=True)

    # ids and timestamps
    def new_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}0{self._counter:08X}"

    def next_ts(self) -> str:
        """A message timestamp "1764660000.000100": strictly increasing, near the real time."""
        self._last_us = max(int(time.time() * 1_000_000), self._last_us + 1)
        return f"{self._last_us // 1_000_000}.{self._last_us % 1_000_000:06d}"

    def _see_ts(self, ts: str) -> None:
        micros = int(ts_key(ts) * 1_000_000)
        self._last_us = max(self._last_us, micros)

    # users
    def _add_builtin_users(self) -> None:
        bot = user_object(self.team_id, self.bot_user_id, self.bot_name, is_bot=True)
        bot["profile"].update(bot_id=self.bot_id, api_app_id=self.app_id, always_active=True)
        self.users[self.bot_user_id] = bot
        slackbot = user_object(self.team_id, "USLACKBOT", "slackbot", real_name="Slackbot")
        slackbot.update(color="757575", tz=None, tz_label="Pacific Standard Time", tz_offset=0)
        self.users["USLACKBOT"] = slackbot

    def add_user(
        self,
        name: str,
        *,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "UTC",
        real_name: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        is_admin: bool = False,
    ) -> str:
        """A workspace member (or app bot user); its "U…" id."""
        user_id = self.new_id("U")
        names = {"real_name": real_name, "display_name": display_name}
        user = user_object(
            self.team_id, user_id, name, is_bot=is_bot, deleted=deleted, tz=tz, **names
        )
        user.update(is_admin=is_admin)
        if is_bot:
            user["profile"].update(bot_id=self.new_id("B"), api_app_id=self.new_id("A"))
        elif email or not deleted:
            user["profile"]["email"] = email or f"{user['name']}@example.com"
        self.users[user_id] = user
        return user_id

    def humans(self) -> list[str]:
        return [
            u
            for u, d in self.users.items()
            if not d["is_bot"] and not d["deleted"] and u != "USLACKBOT"
        ]

    # channels
    def add_channel(
        self,
        name: str,
        *,
        private: bool = False,
        bot_member: bool = True,
        members: Any = (),
        general: bool = False,
        archived: bool = False,
    ) -> str:
        """A channel; a public one without `members` has every active human in it."""
        channel_id = self.new_id("C")
        explicit = list(members) if members or private else None
        self.channels[channel_id] = {
            "id": channel_id, "name": name, "is_private": private, "is_im": False,
            "is_mpim": False, "is_general": general, "is_archived": archived,
            "members": explicit, "bot_member": bot_member, "user": None,
            "created": self._created, "creator": next(iter(self.humans()), self.bot_user_id),
            "topic": "", "purpose": "",
        }  # fmt: skip
        self.messages[channel_id] = []
        return channel_id

    def open_dm(self, user_id: str) -> str:
        """The bot's direct-message channel with `user_id` ("D…"), opened if need be."""
        for cid, ch in self.channels.items():
            if ch["is_im"] and ch["user"] == user_id:
                return cid
        cid = self.new_id("D")
        self.channels[cid] = {
            "id": cid, "name": cid, "is_private": True, "is_im": True, "is_mpim": False,
            "is_general": False, "is_archived": False, "members": [user_id],
            "bot_member": True, "user": user_id, "created": int(time.time()),
            "creator": user_id, "topic": "", "purpose": "",
        }  # fmt: skip
        self.messages[cid] = []
        return cid

    def members_of(self, channel_id: str) -> list[str]:
        ch = self.channels[channel_id]
        found = list(ch["members"]) if ch["members"] is not None else self.humans()
        if ch["bot_member"] and self.bot_user_id not in found:
            found.append(self.bot_user_id)
        return found

    def is_member(self, channel_id: str, user_id: str) -> bool:
        if user_id == self.bot_user_id:
            return bool(self.channels[channel_id]["bot_member"])
        return user_id in self.members_of(channel_id)

    def set_member(self, channel_id: str, user_id: str, member: bool = True) -> None:
        """Put `user_id` in (or out of) a channel; the bot's user id sets `bot_member`."""
        ch = self.channels[channel_id]
        if user_id == self.bot_user_id:
            ch["bot_member"] = member
            return
        listed = [u for u in self.members_of(channel_id) if u != self.bot_user_id]
        ch["members"] = [u for u in listed if u != user_id] + ([user_id] if member else [])

    def channel_type(self, channel_id: str) -> str:
        """The `channel_type` of a message event: channel, group, im or mpim."""
        ch = self.channels.get(channel_id)
        if ch is None:
            return {"D": "im", "G": "group"}.get(channel_id[:1], "channel")
        if ch["is_im"] or ch["is_mpim"]:
            return "im" if ch["is_im"] else "mpim"
        return "group" if ch["is_private"] else "channel"

    def channel_payload(self, channel_id: str, *, num_members: bool = False) -> dict:
        ch = self.channels[channel_id]
        if ch["is_im"]:
            return {
                "id": channel_id, "created": ch["created"], "is_archived": False, "is_im": True,
                "is_org_shared": False, "context_team_id": self.team_id,
                "updated": ch["created"] * 1000, "user": ch["user"], "is_user_deleted":
                self.users.get(ch["user"], {}).get("deleted", False), "priority": 0,
            }  # fmt: skip
        text = {"value": "", "creator": "", "last_set": 0}
        out = {
            "id": channel_id, "name": ch["name"], "is_channel": not ch["is_mpim"],
            "is_group": False, "is_im": False, "is_mpim": ch["is_mpim"],
            "is_private": ch["is_private"], "created": ch["created"],
            "is_archived": ch["is_archived"], "is_general": ch["is_general"], "unlinked": 0,
            "name_normalized": ch["name"], "is_shared": False, "is_org_shared": False,
            "is_pending_ext_shared": False, "pending_shared": [],
            "context_team_id": self.team_id, "updated": ch["created"] * 1000,
            "parent_conversation": None, "creator": ch["creator"], "is_ext_shared": False,
            "shared_team_ids": [self.team_id], "pending_connected_team_ids": [],
            "is_member": ch["bot_member"], "topic": {**text, "value": ch["topic"]},
            "purpose": {**text, "value": ch["purpose"]}, "previous_names": [],
        }  # fmt: skip
        if num_members or not ch["is_private"]:
            out["num_members"] = len(self.members_of(channel_id))
        return out

    # user groups
    def add_usergroup(self, handle: str, name: str, user_ids: Any) -> str:
        group_id = self.new_id("S")
        self.usergroups[group_id] = {
            "id": group_id, "team_id": self.team_id, "is_usergroup": True, "is_subteam": True,
            "name": name, "description": "", "handle": handle, "is_external": False,
            "date_create": self._created, "date_update": self._created, "date_delete": 0,
            "auto_type": None, "auto_provision": False, "enterprise_subteam_id": "",
            "created_by": next(iter(self.humans()), self.bot_user_id), "updated_by": None,
            "deleted_by": None, "prefs": {"channels": [], "groups": []},
            "users": list(user_ids), "user_count": len(list(user_ids)), "channel_count": 0,
        }  # fmt: skip
        return group_id

    # files
    def add_file(
        self,
        name: str,
        data: bytes,
        mimetype: str | None = None,
        *,
        user: str | None = None,
        title: str | None = None,
        file_id: str | None = None,
    ) -> dict:
        """A hosted file; its url_private(_download) need the bot token to download."""
        file_id = file_id or self.new_id("F")
        self.files[file_id] = file_object(
            self.team_id,
            file_id,
            name,
            len(data),
            mimetype,
            user=user or self.bot_user_id,
            title=title,
        )
        self.file_data[file_id] = data
        self._file_urls(self.files[file_id])
        return self.files[file_id]

    def _file_urls(self, f: dict) -> None:
        file_urls(f, http_base=self.http_base, team_id=self.team_id, team_domain=self.team_domain)

    # messages
    def store(self, channel_id: str, message: dict) -> dict:
        """Keep a message in its channel's history (sorted by ts) and count thread replies."""
        self._see_ts(message["ts"])
        history = self.messages.setdefault(channel_id, [])
        if any(m["ts"] == message["ts"] for m in history):
            raise ValueError(f"a message with ts {message['ts']} exists in {channel_id}")
        history.append(message)
        history.sort(key=lambda m: ts_key(m["ts"]))
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            self.refresh_thread(channel_id, thread_ts)
        return message

    def find(self, channel_id: str, ts: str) -> dict | None:
        return next((m for m in self.messages.get(channel_id, []) if m["ts"] == ts), None)

    def replies_of(self, channel_id: str, thread_ts: str) -> list[dict]:
        return [
            m
            for m in self.messages.get(channel_id, [])
            if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts
        ]

    def refresh_thread(self, channel_id: str, thread_ts: str) -> None:
        """A thread root's reply_count, reply_users and latest_reply, as Slack keeps them."""
        root = self.find(channel_id, thread_ts)
        if root is None:
            return
        replies = self.replies_of(channel_id, thread_ts)
        if not replies:
            for key in (
                "thread_ts",
                "reply_count",
                "reply_users_count",
                "latest_reply",
                "reply_users",
                "is_locked",
                "subscribed",
            ):
                root.pop(key, None)
            return
        users = list(dict.fromkeys(m.get("user") or m.get("bot_id") for m in replies))
        root.update(
            thread_ts=thread_ts,
            reply_count=len(replies),
            reply_users_count=len(users),
            latest_reply=replies[-1]["ts"],
            reply_users=users[:5],
            is_locked=False,
            subscribed=False,
        )
