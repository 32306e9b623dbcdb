"""The fake Discord's guild state and the Discord-shaped objects built from it."""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH = 1420070400000
VIEW, SEND, HISTORY, ATTACH, EMBED = 1 << 10, 1 << 11, 1 << 16, 1 << 15, 1 << 14
REACT, ADMIN, SEND_IN_THREADS, CREATE_THREADS = 1 << 6, 1 << 3, 1 << 38, 1 << 35
MESSAGE_CONTENT_INTENT = 1 << 15
MEMBERS_INTENT = 1 << 1
ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    VIEW | SEND | HISTORY | ATTACH | EMBED | REACT | SEND_IN_THREADS | CREATE_THREADS
    | (1 << 0) | (1 << 18) | (1 << 20) | (1 << 21) | (1 << 26) | (1 << 31)
)  # fmt: skip
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | (1 << 13) | (1 << 17) | (1 << 28) | (1 << 34) | (1 << 36)
THREAD_TYPES = (10, 11, 12)
USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class Recorded:
    """One REST request as the fake received it (path without the /api/v10 prefix)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, str, bytes]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat()


def snowflake_time(snowflake: str | int) -> datetime:
    return datetime.fromtimestamp(((int(snowflake) >> 22) + DISCORD_EPOCH) / 1000, UTC)


class FakeState:
    """Guild, channels, roles, members and messages, with builders for Discord payloads."""

    def __init__(
        self,
        *,
        app_id: str = "900000000000000001",
        bot_id: str = "900000000000000001",
        guild_id: str = "800000000000000001",
        message_content_allowed: bool = True,
    ) -> None:
        self.app_id, self.bot_id, self.guild_id = app_id, bot_id, guild_id
        self.message_content_allowed = message_content_allowed
        self.members_allowed = True  # the Server Members intent is switched on for the app
        self.guild_name = "Fake Guild"
        self.owner_id = "800000000000000099"  # not a member: the bot is never the owner
        self.channels: dict[str, dict] = {}
        self.roles: dict[str, dict] = {}
        self.members: dict[str, dict] = {}
        self.users: dict[str, dict] = {}
        self.dm_channels: dict[str, dict] = {}
        self.messages: dict[str, list[dict]] = {}
        self.reaction_users: dict[tuple[str, str], list[str]] = {}
        self.files_store: dict[str, tuple[bytes, str]] = {}
        self.http_base = "http://127.0.0.1:0"
        self._last_id = 0
        self.roles[guild_id] = self._role(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0)
        self.bot_role_id = self.add_role("Steward", permissions=BOT_PERMISSIONS)
        self.roles[self.bot_role_id]["managed"] = True
        self.roles[self.bot_role_id]["tags"] = {"bot_id": bot_id}
        self._add_user(bot_id, "steward", bot=True)
        self.members[bot_id] = self._member(bot_id, [self.bot_role_id], None)
        self.general_id = self.add_channel("general")

    # ids and users
    def snowflake(self, moment: datetime | None = None) -> str:
        """A new id from `moment` (default now), always larger than the last one."""
        ms = int(moment.timestamp() * 1000) if moment else int(time.time() * 1000)
        value = max((ms - DISCORD_EPOCH) << 22, self._last_id + 1)
        self._last_id = value
        return str(value)

    def _add_user(self, user_id: str, name: str, *, bot: bool = False) -> dict:
        user = {
            "id": user_id, "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot, "system": False, "public_flags": 0, "flags": 0,
        }  # fmt: skip
        self.users[user_id] = user
        return user

    @property
    def bot_user(self) -> dict:
        return {**self.users[self.bot_id], "verified": True, "mfa_enabled": False}

    def _member(self, user_id: str, roles: list[str], joined_at: datetime | None) -> dict:
        return {
            "user": self.users[user_id], "roles": roles, "joined_at": iso(joined_at),
            "nick": None, "avatar": None, "banner": None, "deaf": False, "mute": False,
            "flags": 0, "pending": False, "premium_since": None,
            "communication_disabled_until": None,
        }  # fmt: skip

    def _role(self, role_id: str, name: str, permissions: int, position: int) -> dict:
        return {
            "id": role_id, "name": name, "permissions": str(permissions), "position": position,
            "color": 0, "colors": {"primary_color": 0, "secondary_color": None,
            "tertiary_color": None}, "hoist": False, "managed": False, "mentionable": False,
            "icon": None, "unicode_emoji": None, "flags": 0,
        }  # fmt: skip

    # builders for tests
    def add_channel(
        self, name: str, *, type: int = 0, parent_id: str | None = None, overwrites: Any = ()
    ) -> str:
        """A guild channel (0 text, 2 voice, 4 category, 5 news, 11 thread, 15 forum); its id."""
        channel_id = self.snowflake()
        channel: dict[str, Any] = {
            "id": channel_id, "type": type, "guild_id": self.guild_id, "name": name,
            "position": len(self.channels), "parent_id": parent_id, "nsfw": False,
            "topic": None, "rate_limit_per_user": 0, "last_message_id": None, "flags": 0,
            "permission_overwrites": [self._overwrite(o) for o in overwrites],
        }  # fmt: skip
        if type == 15:
            channel.update(
                available_tags=[], default_reaction_emoji=None, default_sort_order=None,
                default_forum_layout=0, default_thread_rate_limit_per_user=0,
            )  # fmt: skip
        if type == 2:
            channel.update(bitrate=64000, user_limit=0, rtc_region=None)
        if type in THREAD_TYPES:
            channel.update(self._thread_fields(self.bot_id))
        self.channels[channel_id] = channel
        self.messages.setdefault(channel_id, [])
        return channel_id

    def _thread_fields(self, owner_id: str) -> dict:
        now = iso()
        return {
            "owner_id": owner_id, "message_count": 0, "member_count": 1,
            "total_message_sent": 0, "applied_tags": [],
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
            "archive_timestamp": now, "locked": False, "create_timestamp": now},
        }  # fmt: skip

    def _overwrite(self, spec: Any) -> dict:
        if isinstance(spec, dict):
            return spec
        target, allow, deny = spec
        kind = 0 if str(target) in self.roles else 1
        return {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}

    def add_role(self, name: str, *, permissions: int = 0) -> str:
        role_id = self.snowflake()
        self.roles[role_id] = self._role(role_id, name, permissions, len(self.roles))
        return role_id

    def _role_ids(self, roles: Any) -> list[str]:
        by_name = {r["name"]: rid for rid, r in self.roles.items()}
        return [str(by_name.get(str(r), r)) for r in roles]

    def add_member(
        self, name: str, *, roles: Any = (), joined_at: datetime | None = None, bot: bool = False
    ) -> str:
        """A guild member (roles by id or name); returns the user id."""
        user_id = self.snowflake()
        self._add_user(user_id, name, bot=bot)
        self.members[user_id] = self._member(user_id, self._role_ids(roles), joined_at)
        return user_id

    def deny(self, channel_id: str, permission: int) -> None:
        """Deny `permission` to the bot's member on that channel (an overwrite)."""
        overwrites = self.channels[channel_id].setdefault("permission_overwrites", [])
        for ow in overwrites:
            if ow["id"] == self.bot_id and ow["type"] == 1:
                ow["deny"] = str(int(ow["deny"]) | permission)
                ow["allow"] = str(int(ow["allow"]) & ~permission)
                return
        overwrites.append({"id": self.bot_id, "type": 1, "allow": "0", "deny": str(permission)})

    def open_dm(self, user_id: str) -> str:
        """The DM channel between the bot and `user_id` (made on first use); its id."""
        for channel_id, channel in self.dm_channels.items():
            if channel["recipients"][0]["id"] == user_id:
                return channel_id
        channel_id = self.snowflake()
        self.dm_channels[channel_id] = {
            "id": channel_id, "type": 1, "last_message_id": None, "flags": 0,
            "recipients": [self.users[user_id]],
        }  # fmt: skip
        self.messages.setdefault(channel_id, [])
        return channel_id

    # permissions
    def permissions_for(self, user_id: str, channel_id: str | None) -> int:
        """The member's permissions in the channel, as Discord computes them."""
        if channel_id in self.dm_channels:
            return EVERYONE_PERMISSIONS
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = int(self.roles[self.guild_id]["permissions"])
        for role_id in member["roles"]:
            perms |= int(self.roles.get(role_id, {}).get("permissions", 0))
        if perms & ADMIN or user_id == self.owner_id:
            return ALL_PERMISSIONS
        channel = self.channels.get(channel_id or "")
        if channel is None:
            return perms
        overwrites = list(channel.get("permission_overwrites", []))
        if channel["type"] in THREAD_TYPES and channel.get("parent_id") in self.channels:
            parent = self.channels[channel["parent_id"]]
            overwrites = parent.get("permission_overwrites", []) + overwrites
        for targets in ({self.guild_id}, set(member["roles"]) - {self.guild_id}, {user_id}):
            allow = deny = 0
            for ow in overwrites:
                if ow["id"] in targets:
                    allow, deny = allow | int(ow["allow"]), deny | int(ow["deny"])
            perms = (perms & ~deny) | allow
        return perms if perms & VIEW else 0

    # payloads
    def channel_payload(self, channel_id: str) -> dict | None:
        if channel_id in self.dm_channels:
            return copy.deepcopy(self.dm_channels[channel_id])
        channel = self.channels.get(channel_id)
        return None if channel is None else {**copy.deepcopy(channel), "guild_id": self.guild_id}

    def guild_payload(self) -> dict:
        return {
            "id": self.guild_id, "name": self.guild_name, "icon": None, "splash": None,
            "discovery_splash": None, "banner": None, "description": None,
            "owner_id": self.owner_id, "afk_channel_id": None, "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0,
            "roles": [copy.deepcopy(r) for r in self.roles.values()], "emojis": [],
            "stickers": [], "features": [], "application_id": None, "system_channel_id": None,
            "system_channel_flags": 0, "rules_channel_id": None,
            "public_updates_channel_id": None, "safety_alerts_channel_id": None,
            "max_members": 500000, "vanity_url_code": None, "premium_tier": 0,
            "premium_subscription_count": 0, "preferred_locale": "en-US",
            "premium_progress_bar_enabled": False, "widget_enabled": False,
            "max_video_channel_users": 25, "max_stage_video_channel_users": 50,
            "incidents_data": None,
        }  # fmt: skip

    def guild_create_payload(self) -> dict:
        channels = [self.channel_payload(cid) for cid in self.channels]
        return {
            **self.guild_payload(), "joined_at": self.members[self.bot_id]["joined_at"],
            "large": False, "unavailable": False, "member_count": len(self.members),
            "members": copy.deepcopy(list(self.members.values())), "voice_states": [],
            "channels": [c for c in channels if c and c["type"] not in THREAD_TYPES],
            "threads": [c for c in channels if c and c["type"] in THREAD_TYPES],
            "presences": [], "stage_instances": [], "guild_scheduled_events": [],
            "soundboard_sounds": [], "embedded_activities": [],
        }  # fmt: skip

    def member_partial(self, user_id: str) -> dict | None:
        member = self.members.get(user_id)
        if member is None:
            return None
        return {k: copy.deepcopy(v) for k, v in member.items() if k != "user"}

    def member_payload(self, user_id: str) -> dict:
        return {**copy.deepcopy(self.members[user_id]), "guild_id": self.guild_id}

    def make_attachment(self, channel_id: str, filename: str, data: bytes, ctype: str) -> dict:
        """An attachment object whose bytes the fake serves at its url."""
        att_id = self.snowflake()
        self.files_store[att_id] = (data, ctype)
        url = f"{self.http_base}/attachments/{channel_id}/{att_id}/{filename}"
        return {
            "id": att_id, "filename": filename, "size": len(data), "url": url,
            "proxy_url": url, "content_type": ctype, "ephemeral": False, "flags": 0,
        }  # fmt: skip

    def build_message(
        self,
        channel_id: str,
        author_id: str,
        content: str = "",
        *,
        reply_to: str | None = None,
        embeds: Any = (),
        components: Any = (),
        attachments: Any = (),
        flags: int = 0,
        type: int = 0,
        webhook_id: str | None = None,
    ) -> dict:
        """A full Discord message object (not stored)."""
        message_id = self.snowflake()
        in_guild = channel_id in self.channels
        message: dict[str, Any] = {
            "id": message_id, "channel_id": channel_id, "author": dict(self.users[author_id]),
            "content": content, "timestamp": iso(snowflake_time(message_id)),
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": list(attachments),
            "embeds": [{"type": "rich", **e} for e in embeds], "pinned": False, "type": type,
            "flags": flags, "components": list(components), "reactions": [],
        }  # fmt: skip
        self.fill_mentions(message)
        if in_guild:
            message["guild_id"] = self.guild_id
            member = self.member_partial(author_id)
            if member is not None and webhook_id is None:
                message["member"] = member
        if webhook_id is not None:
            message["webhook_id"] = webhook_id
            message["application_id"] = self.app_id
        if reply_to is not None:
            ref = self.find_message(reply_to)
            message["type"] = 19 if type == 0 else type
            message["message_reference"] = {
                "type": 0, "message_id": reply_to, "channel_id": channel_id,
                **({"guild_id": self.guild_id} if in_guild else {}),
            }  # fmt: skip
            resolved = None if ref is None else copy.deepcopy(ref)
            if resolved is not None:
                resolved.pop("referenced_message", None)
            message["referenced_message"] = resolved
        return message

    def fill_mentions(self, message: dict) -> None:
        content = message.get("content") or ""
        mentions = []
        for user_id in dict.fromkeys(USER_MENTION.findall(content)):
            if user_id in self.users:
                user = dict(self.users[user_id])
                member = self.member_partial(user_id)
                if member is not None and message["channel_id"] in self.channels:
                    user["member"] = member
                mentions.append(user)
        message["mentions"] = mentions
        message["mention_roles"] = [r for r in ROLE_MENTION.findall(content) if r in self.roles]
        message["mention_everyone"] = "@everyone" in content or "@here" in content

    def store_message(self, message: dict) -> dict:
        channel_id = message["channel_id"]
        self.messages.setdefault(channel_id, []).append(message)
        channel = self.channels.get(channel_id) or self.dm_channels.get(channel_id)
        if channel is not None:
            channel["last_message_id"] = message["id"]
            if channel.get("type") in THREAD_TYPES:
                channel["message_count"] = channel.get("message_count", 0) + 1
                channel["total_message_sent"] = channel.get("total_message_sent", 0) + 1
        return message

    def find_message(self, message_id: str, channel_id: str | None = None) -> dict | None:
        lists = [self.messages.get(channel_id, [])] if channel_id else self.messages.values()
        for messages in lists:
            for message in messages:
                if message["id"] == message_id:
                    return message
        return None

    def mentions_bot(self, message: dict) -> bool:
        return any(u["id"] == self.bot_id for u in message.get("mentions", [])) or bool(
            set(message.get("mention_roles", [])) & set(self.members[self.bot_id]["roles"])
        )

    def blank_content(self, message: dict) -> dict:
        """The message as a bot without the message-content intent receives it."""
        if (
            message.get("author", {}).get("id") == self.bot_id
            or message.get("channel_id") in self.dm_channels
            or self.mentions_bot(message)
        ):
            return message
        return {**message, "content": "", "embeds": [], "attachments": [], "components": []}
