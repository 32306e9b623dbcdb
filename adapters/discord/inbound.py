"""Discord's objects as the core's neutral events: members, channels, messages, reactions,
joins and leaves, commands, button clicks and modal submits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

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
    RoleRef,
    ThreadCreated,
    reaction_event_id,
)

PLATFORM = "discord"
_CHANNELS = (
    discord.abc.GuildChannel,
    discord.Thread,
    discord.app_commands.AppCommandChannel,
    discord.app_commands.AppCommandThread,
)
# what members write; system messages (joins, pins, a thread's starter copy) are not posts
_POSTS = (discord.MessageType.default, discord.MessageType.reply)
_FORWARD = discord.MessageReferenceType.forward


@dataclass
class Translator:
    """Maps Discord shapes to neutral ones; knows which role and channel are the managers'."""

    manager_role_id: str = ""
    admin_channel_id: str = ""

    # ---- who and where ------------------------------------------------------------------
    def member(self, user: discord.abc.User | None) -> MemberRef:
        """A Discord user or guild member; a manager holds the manager role."""
        if user is None:
            return MemberRef(PLATFORM, "0", "unknown")
        roles = tuple(str(r.id) for r in getattr(user, "roles", ()) if not r.is_default())
        return MemberRef(
            PLATFORM,
            str(user.id),
            getattr(user, "display_name", user.name),
            is_manager=bool(self.manager_role_id) and self.manager_role_id in roles,
            is_bot=user.bot,
            roles=roles,
            joined_at=getattr(user, "joined_at", None),
        )

    def channel(self, channel: Any) -> ChannelRef:
        """A channel, or a thread with its parent channel as `parent_id`."""
        if isinstance(channel, discord.Thread):
            parent = str(channel.parent_id) if channel.parent_id else None
            return ChannelRef(
                PLATFORM,
                str(channel.id),
                channel.name,
                is_admin=parent == self.admin_channel_id,
                parent_id=parent,
                thread_id=str(channel.id),
            )
        channel_id = str(channel.id)
        name = getattr(channel, "name", None) or channel_id
        return ChannelRef(PLATFORM, channel_id, name, is_admin=channel_id == self.admin_channel_id)

    @staticmethod
    def role(role: discord.Role) -> RoleRef:
        return RoleRef(PLATFORM, str(role.id), role.name)

    # ---- messages -----------------------------------------------------------------------
    def message(self, message: discord.Message) -> InboundEvent | None:
        """A member's message: a post, a reply (a reference in the same channel) or a share
        (a forward). A crosspost from a followed channel is a post. None for system messages."""
        if message.type not in _POSTS:
            return None
        base = self._base(str(message.id), message.author, message.channel, message.created_at)
        text = message.content or ""
        mentioned = mentions(message)
        ref = message.reference
        if ref is not None and ref.message_id is not None and ref.type == _FORWARD:
            return MessageShared(
                **base,
                message_id=str(message.id),
                source_channel_id=str(ref.channel_id),
                source_message_id=str(ref.message_id),
            )
        if ref is not None and ref.message_id is not None and ref.channel_id == message.channel.id:
            parent = ref.resolved if isinstance(ref.resolved, discord.Message) else None
            return ReplyPosted(
                **base,
                message_id=str(message.id),
                parent_id=str(ref.message_id),
                text=text,
                parent_author=self.member(parent.author) if parent is not None else None,
                mentions=mentioned,
            )
        return MessagePosted(**base, message_id=str(message.id), text=text, mentions=mentioned)

    def edited(self, message: discord.Message) -> MessageEdited | None:
        """A change of a message's text (None when Discord says it was not edited: an embed
        unfolding, a pin)."""
        if message.edited_at is None:
            return None
        stamp = message.edited_at.timestamp()
        return MessageEdited(
            **self._base(
                f"edit:{message.id}:{stamp}", message.author, message.channel, message.edited_at
            ),
            message_id=str(message.id),
            text=message.content or "",
        )

    def deleted(
        self, message_id: int, author: MemberRef, channel: Any, at: datetime
    ) -> MessageDeleted:
        """A deletion; Discord does not say who deleted it, so it is the author's."""
        return MessageDeleted(
            event_id=f"delete:{message_id}",
            member=author,
            channel=self.channel(channel),
            at=at,
            message_id=str(message_id),
        )

    def thread(self, thread: discord.Thread, at: datetime) -> ThreadCreated:
        """A thread: started on a message (its id is the message's), a forum post, or
        private (no message of its own)."""
        owner = thread.owner or (
            thread.guild.get_member(thread.owner_id) if thread.owner_id else None
        )
        starter = (
            thread.starter_message if not isinstance(thread.parent, discord.ForumChannel) else None
        )
        return ThreadCreated(
            **self._base(f"thread:{thread.id}", owner, thread, thread.created_at or at),
            parent_message_id=str(starter.id) if starter is not None else None,
            name=thread.name,
        )

    def reaction(
        self, payload: discord.RawReactionActionEvent, user: Any, channel: Any, at: datetime
    ) -> ReactionAdded | ReactionRemoved:
        added = payload.event_type == "REACTION_ADD"
        emoji = str(payload.emoji)
        message_id, member_id = str(payload.message_id), str(payload.user_id)
        # Discord gives a reaction change no id and delivers each once: the moment it came,
        # to the microsecond, tells this member's changes of this emoji apart
        nth = int(at.timestamp() * 1_000_000)
        event_id = reaction_event_id(message_id, member_id, emoji, added, nth)
        kind = ReactionAdded if added else ReactionRemoved
        author = None
        if payload.message_author_id is not None:
            author = MemberRef(PLATFORM, str(payload.message_author_id), "")
        return kind(
            **self._base(event_id, user, channel, at),
            message_id=message_id,
            emoji=emoji,
            message_author=author,
        )

    def joined(self, member: discord.Member, channel: Any, at: datetime) -> MemberJoined:
        when = member.joined_at or at
        return MemberJoined(
            **self._base(f"join:{member.id}:{when.timestamp()}", member, channel, when)
        )

    def left(self, user: discord.abc.User, channel: Any, at: datetime) -> MemberLeft:
        return MemberLeft(**self._base(f"leave:{user.id}:{at.timestamp()}", user, channel, at))

    # ---- interactions -------------------------------------------------------------------
    def command(
        self,
        interaction: discord.Interaction,
        name: str,
        options: dict[str, Any],
        attachments: tuple[Attachment, ...] = (),
    ) -> CommandInvoked:
        """A slash command; channel, user and role options as refs, files read already."""
        values = {
            key: self._option(value)
            for key, value in options.items()
            if value is not None and not isinstance(value, discord.Attachment)
        }
        return CommandInvoked(
            **self._interaction_base(interaction),
            name=name,
            options=values,
            attachments=attachments,
        )

    def button(self, interaction: discord.Interaction) -> ButtonPressed:
        data: dict = interaction.data or {}  # type: ignore[assignment]
        message_id = str(interaction.message.id) if interaction.message else ""
        return ButtonPressed(
            **self._interaction_base(interaction),
            message_id=message_id,
            action_id=str(data.get("custom_id", "")),
        )

    def form(self, interaction: discord.Interaction) -> FormSubmitted:
        data: dict = interaction.data or {}  # type: ignore[assignment]
        values = {
            item["custom_id"]: str(item.get("value") or "")
            for item in _inputs(data.get("components", ()))
        }
        return FormSubmitted(
            **self._interaction_base(interaction),
            form_id=str(data.get("custom_id", "")),
            values=values,
        )

    def _option(self, value: Any) -> object:
        if isinstance(value, discord.Role):
            return self.role(value)
        if isinstance(value, discord.Member | discord.User):
            return self.member(value)
        if isinstance(
            value,
            discord.abc.GuildChannel
            | discord.Thread
            | discord.app_commands.AppCommandChannel
            | discord.app_commands.AppCommandThread,
        ):
            return self.channel(value)
        return value

    def _interaction_base(self, interaction: discord.Interaction) -> dict:
        channel = interaction.channel or discord.Object(interaction.channel_id or 0)
        return self._base(str(interaction.id), interaction.user, channel, interaction.created_at)

    def _base(self, event_id: str, user: Any, channel: Any, at: datetime) -> dict:
        return {
            "event_id": event_id,
            "member": self.member(user),
            "channel": self.channel(channel),
            "at": at,
        }


def mentions(message: discord.Message) -> tuple[str, ...]:
    """The user ids the text mentions (`<@id>`, `<@!id>`), in order, once each; not roles,
    channels, or the author a reply pings without naming them."""
    return tuple(dict.fromkeys(str(user_id) for user_id in message.raw_mentions))


def _inputs(components: Any) -> list[dict]:
    """The text inputs of a modal submit (in action rows, or in labels)."""
    found = []
    for item in components:
        if "custom_id" in item and "value" in item:
            found.append(item)
        found.extend(_inputs(item.get("components", ())))
        if "component" in item:
            found.extend(_inputs((item["component"],)))
    return found
