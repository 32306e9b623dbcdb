"""People doing things in the fake workspace: seeded messages, edits, deletions, reactions,
joins; each change returns the inner event Slack would send for it."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakes import slack_events as events
from tests.fakes.slack_blocks import rich_text_of
from tests.fakes.slack_payloads import PayloadsMixin


class ActivityMixin(PayloadsMixin):
    """`add_message` and friends change the stores; the event builders fill team ids,
    channel types and timestamps."""

    def _files(self, files: Any) -> list[dict] | None:
        if files is None:
            return None
        return [self.files[f if isinstance(f, str) else f["id"]] for f in files]

    def add_message(
        self,
        channel_id: str,
        user_id: str | None,
        text: str,
        *,
        thread_ts: str | None = None,
        subtype: str | None = None,
        files: Any = None,
        ts: str | None = None,
        bot_id: str | None = None,
    ) -> str:
        """A message in history (as if posted while the bot was away); its ts. A reply
        (`thread_ts`) counts in its root's reply_count and latest_reply."""
        ts = ts or self.next_ts()
        parent = None
        if thread_ts:
            root = self.find(channel_id, thread_ts)
            if root is None:
                raise KeyError(f"no message {thread_ts} in {channel_id}")
            thread_ts = root.get("thread_ts") or root["ts"]
            parent = (self.find(channel_id, thread_ts) or root).get("user")
        found = self._files(files)
        if subtype is None and found:
            subtype = "file_share"
        message = events.message_body(
            user_id,
            text,
            ts,
            team=self.team_id,
            thread_ts=thread_ts,
            parent_user_id=parent,
            subtype=subtype,
            files=found,
            bot_id=bot_id,
        )
        self.store(channel_id, message)
        return ts

    def edit_message(self, channel_id: str, ts: str, text: str) -> dict:
        """Someone edits their message: the store changes; the `message_changed` event."""
        message = self.find(channel_id, ts)
        if message is None:
            raise KeyError(f"no message {ts} in {channel_id}")
        previous = copy.deepcopy(message)
        edited = self.next_ts()
        message["text"] = text
        if message.get("blocks") and message["blocks"][0].get("type") == "rich_text":
            message["blocks"] = [rich_text_of(text)]
        message["edited"] = {"user": message.get("user") or message.get("bot_id"), "ts": edited}
        return self.message_event(
            channel_id,
            message.get("user"),
            text,
            ts,
            subtype="message_changed",
            previous_message=previous,
            message=copy.deepcopy(message),
            edited=edited,
            event_ts=edited,
        )

    def delete_message(self, channel_id: str, ts: str) -> dict:
        """Someone deletes a message: gone from the store; the `message_deleted` event."""
        message = self.find(channel_id, ts)
        if message is None:
            raise KeyError(f"no message {ts} in {channel_id}")
        previous = copy.deepcopy(message)
        self.remove_message(channel_id, message)
        if message.get("subtype") == "tombstone":  # a thread root: Slack says it changed
            return self.message_event(
                channel_id,
                None,
                "",
                self.next_ts(),
                subtype="message_changed",
                message=copy.deepcopy(message),
                previous_message=previous,
            )
        return self.message_event(
            channel_id,
            previous.get("user"),
            "",
            ts,
            subtype="message_deleted",
            previous_message=previous,
        )

    def react(
        self, channel_id: str, ts: str, user_id: str, reaction: str, *, added: bool = True
    ) -> dict:
        """A reaction added (or removed) on a stored message; the reaction event."""
        message = self.find(channel_id, ts)
        if message is None:
            raise KeyError(f"no message {ts} in {channel_id}")
        self.set_reaction(message, user_id, reaction.strip(":"), added)
        return events.reaction_event(
            added, user_id, reaction, channel_id, ts, message.get("user"), event_ts=self.next_ts()
        )

    def join_channel(self, channel_id: str, user_id: str, *, inviter: str | None = None) -> dict:
        """`user_id` joins the channel (the bot's user id: the bot); the event."""
        self.set_member(channel_id, user_id, True)
        return self.member_joined_channel(user_id, channel_id, inviter=inviter)

    def leave_channel(self, channel_id: str, user_id: str) -> dict:
        self.set_member(channel_id, user_id, False)
        kind = "G" if self.channels[channel_id]["is_private"] else "C"
        return events.member_left_channel(
            user_id, channel_id, channel_type=kind, team=self.team_id, event_ts=self.next_ts()
        )

    # event builders with the workspace's ids filled in
    def message_event(
        self, channel: str, user: str | None, text: str, ts: str, **kwargs: Any
    ) -> dict:
        """slack_events.message_event with team, channel_type, event_ts and parent_user_id
        taken from the workspace."""
        kwargs.setdefault("team", self.team_id)
        kwargs.setdefault("channel_type", self.channel_type(channel))
        if kwargs.get("subtype") in ("message_changed", "message_deleted"):
            kwargs.setdefault("event_ts", self.next_ts())
        if kwargs.get("thread_ts") and "parent_user_id" not in kwargs:
            root = self.find(channel, kwargs["thread_ts"])
            kwargs["parent_user_id"] = root.get("user") if root else None
        if kwargs.get("files") is not None:
            kwargs["files"] = copy.deepcopy(self._files(kwargs["files"]))
        return events.message_event(channel, user, text, ts, **kwargs)

    def app_mention(self, channel: str, user: str, text: str, ts: str, **kwargs: Any) -> dict:
        return events.app_mention(channel, user, text, ts, team=self.team_id, **kwargs)

    def reaction_event(
        self, added: bool, user: str, reaction: str, channel: str, ts: str, item_user: str | None
    ) -> dict:
        return events.reaction_event(
            added, user, reaction, channel, ts, item_user, event_ts=self.next_ts()
        )

    def member_joined_channel(self, user: str, channel: str, *, inviter: str | None = None) -> dict:
        kind = "G" if self.channels.get(channel, {}).get("is_private") else "C"
        return events.member_joined_channel(
            user,
            channel,
            channel_type=kind,
            team=self.team_id,
            inviter=inviter,
            event_ts=self.next_ts(),
        )

    def team_join(self, user: str | dict) -> dict:
        """`team_join` for a user id (its users.info object) or a user dict."""
        found = copy.deepcopy(self.users[user]) if isinstance(user, str) else user
        return events.team_join(found, event_ts=self.next_ts())

    def user_change(self, user: str | dict) -> dict:
        found = copy.deepcopy(self.users[user]) if isinstance(user, str) else user
        return events.user_change(found, event_ts=self.next_ts())

    def file_shared(self, file_id: str, user_id: str, channel_id: str) -> dict:
        return events.file_shared(file_id, user_id, channel_id, event_ts=self.next_ts())
