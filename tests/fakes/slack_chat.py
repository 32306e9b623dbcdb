"""The fake Slack's chat.* and reactions.* methods: messages the bot posts, edits, deletes."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes.slack_api import Params, SlackError
from tests.fakes.slack_blocks import filled, message_block_errors
from tests.fakes.slack_conversations import ConversationsMixin

MAX_TEXT = 40_000


class ChatMixin(ConversationsMixin):
    """chat.postMessage and friends; the bot's messages land in `messages`."""

    def _init_chat(self) -> None:
        self.ephemerals: list[dict] = []

    def bot_profile(self) -> dict:
        return {
            "id": self.bot_id, "deleted": False, "name": self.bot_name,
            "updated": self._created, "app_id": self.app_id, "team_id": self.team_id,
            "icons": {"image_36": "https://avatars.example/bot_36.png",
                      "image_48": "https://avatars.example/bot_48.png",
                      "image_72": "https://avatars.example/bot_72.png"},
        }  # fmt: skip

    def bot_message(
        self, text: str, ts: str, *, blocks: list | None = None, attachments: list | None = None
    ) -> dict:
        """A message as the bot's chat.postMessage stores it."""
        message: dict[str, Any] = {
            "user": self.bot_user_id, "type": "message", "ts": ts, "bot_id": self.bot_id,
            "app_id": self.app_id, "text": text, "team": self.team_id,
            "bot_profile": self.bot_profile(),
        }  # fmt: skip
        if blocks:
            message["blocks"] = filled(blocks)
        if attachments:
            message["attachments"] = copy.deepcopy(attachments)
        return message

    def content(self, p: Params, *, keep: dict | None = None) -> tuple[str, list | None, Any]:
        """The text, blocks and attachments of a call, checked as Slack checks them (`keep`:
        the message chat.update edits, whose parts the call leaves out stay)."""
        keep = keep or {}
        text = str(p["text"]) if p.get("text") is not None else keep.get("text", "")
        blocks = p.json("blocks", "invalid_blocks_format")
        blocks = keep.get("blocks") if blocks is None else blocks
        attachments = p.json("attachments", "invalid_attachments")
        if blocks is not None and not isinstance(blocks, list):
            raise SlackError("invalid_blocks_format")
        if not text and not blocks and not attachments:
            raise SlackError("no_text")
        if len(text) > MAX_TEXT:
            raise SlackError("msg_too_long")
        errors = message_block_errors(blocks) if blocks else []
        if errors:
            raise SlackError("invalid_blocks", response_metadata={"messages": errors})
        return text, blocks, attachments

    def postable(self, p: Params) -> str:
        """The channel chat.postMessage posts to: a user id means the bot's DM with them."""
        target = str(p.get("channel") or "")
        if target in self.users:
            return self.open_dm(target)
        if target and not target.startswith("#") and target not in self.channels:
            target = self.channel_named(target) or target
        channel_id = self.channel_for(Params(channel=target))
        ch = self.channels[channel_id]
        if ch["is_archived"]:
            raise SlackError("is_archived")
        if not ch["bot_member"] and "chat:write.public" not in self.scopes:
            raise SlackError("not_in_channel")
        return channel_id

    def thread_root(self, channel_id: str, thread_ts: Any) -> dict | None:
        if not thread_ts:
            return None
        root = self.find(channel_id, str(thread_ts))
        if root is None:
            raise SlackError("thread_not_found")
        return self.find(channel_id, root.get("thread_ts") or root["ts"]) or root

    def api_chat_postMessage(self, p: Params) -> dict:
        self.require("chat:write")
        channel_id = self.postable(p)
        text, blocks, attachments = self.content(p)
        root = self.thread_root(channel_id, p.get("thread_ts"))
        message = self.bot_message(text, self.next_ts(), blocks=blocks, attachments=attachments)
        if root is not None:
            message.update(thread_ts=root["ts"], parent_user_id=root.get("user"))
            if p.flag("reply_broadcast"):
                message.update(subtype="thread_broadcast", root=copy.deepcopy(root))
        if p.get("metadata"):
            message["metadata"] = p.json("metadata", "invalid_metadata_format")
        self.store(channel_id, message)
        return {"channel": channel_id, "ts": message["ts"], "message": copy.deepcopy(message)}

    def api_chat_postEphemeral(self, p: Params) -> dict:
        self.require("chat:write")
        channel_id = self.channel_for(p)
        if not self.channels[channel_id]["bot_member"]:
            raise SlackError("not_in_channel")
        user = p.get("user")
        if user not in self.users:
            raise SlackError("user_not_found")
        if not self.is_member(channel_id, user):
            raise SlackError("user_not_in_channel")
        blocks = self.content(p)[1]
        record = dict(p)
        record.update({"blocks": blocks} if blocks is not None else {})
        self.ephemerals.append(record)
        return {"message_ts": self.next_ts()}

    def _own_message(self, p: Params, ts_key: str, error: str) -> tuple[str, dict]:
        channel_id = self.channel_for(p)
        message = self.find(channel_id, str(p.get(ts_key) or ""))
        if message is None or message.get("subtype") == "tombstone":
            raise SlackError("message_not_found")
        if message.get("user") != self.bot_user_id and message.get("bot_id") != self.bot_id:
            raise SlackError(error)
        return channel_id, message

    def api_chat_update(self, p: Params) -> dict:
        self.require("chat:write")
        channel_id, message = self._own_message(p, "ts", "cant_update_message")
        text, blocks, attachments = self.content(p, keep=message)
        message["text"] = text
        if blocks:
            message["blocks"] = filled(blocks)
        else:
            message.pop("blocks", None)
        if attachments is not None:
            message["attachments"] = attachments
        message["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
        shown = {k: v for k, v in message.items() if k not in ("ts", "thread_ts", "reply_count")}
        return {"channel": channel_id, "ts": message["ts"], "text": text, "message": shown}

    def api_chat_delete(self, p: Params) -> dict:
        self.require("chat:write")
        channel_id, message = self._own_message(p, "ts", "cant_delete_message")
        self.remove_message(channel_id, message)
        return {"channel": channel_id, "ts": message["ts"]}

    def remove_message(self, channel_id: str, message: dict) -> None:
        """Delete as Slack does: a thread root with replies becomes a tombstone."""
        if self.replies_of(channel_id, message["ts"]):
            kept = {
                k: message[k]
                for k in message
                if k.startswith("reply")
                or k in ("ts", "thread_ts", "latest_reply", "is_locked", "subscribed")
            }
            message.clear()
            message.update(
                type="message",
                subtype="tombstone",
                text="This message was deleted.",
                user="USLACKBOT",
                hidden=True,
                **kept,
            )
            return
        self.messages[channel_id].remove(message)
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            self.refresh_thread(channel_id, thread_ts)

    def api_chat_getPermalink(self, p: Params) -> dict:
        channel_id = self.channel_for(p)
        message = self.find(channel_id, str(p.get("message_ts") or ""))
        if message is None:
            raise SlackError("message_not_found")
        link = (
            f"https://{self.team_domain}.slack.com/archives/{channel_id}/"
            f"p{message['ts'].replace('.', '')}"
        )
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            link += f"?thread_ts={message['thread_ts']}&cid={channel_id}"
        return {"channel": channel_id, "permalink": link}

    # reactions
    def set_reaction(self, message: dict, user: str, name: str, added: bool) -> bool:
        """Add (or remove) `user`'s reaction `name`; False when nothing changed."""
        reactions = message.setdefault("reactions", [])
        entry = next((r for r in reactions if r["name"] == name), None)
        if added == (entry is not None and user in entry["users"]):
            return False
        if added:
            if entry is None:
                entry = {"name": name, "users": [], "count": 0}
                reactions.append(entry)
            entry["users"].append(user)
        else:
            assert entry is not None
            entry["users"].remove(user)
        entry["count"] = len(entry["users"])
        message["reactions"] = [r for r in reactions if r["count"]]
        if not message["reactions"]:
            message.pop("reactions")
        return True

    def _reaction_call(self, p: Params, added: bool) -> dict:
        self.require("reactions:write")
        channel_id = self.channel_for(p)
        message = self.find(channel_id, str(p.get("timestamp") or ""))
        if message is None:
            raise SlackError("message_not_found")
        name = str(p.need("name")).strip(":")
        if not self.set_reaction(message, self.bot_user_id, name, added):
            raise SlackError("already_reacted" if added else "no_reaction")
        return {}

    def api_reactions_add(self, p: Params) -> dict:
        return self._reaction_call(p, True)

    def api_reactions_remove(self, p: Params) -> dict:
        return self._reaction_call(p, False)
