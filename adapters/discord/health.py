"""Can Steward work in a channel? The permissions it needs, and a manager-readable fix."""

from __future__ import annotations

import discord

from bot.core.messages import Message

# permission attribute -> how Discord's settings name it
TO_POST = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "attach_files": "Attach Files",
}
TO_READ = {"view_channel": "View Channel", "read_message_history": "Read Message History"}


class MissingPermission(PermissionError):
    """Steward lacks a permission in a channel; the text says which and how to fix it."""


def missing(
    channel: discord.abc.GuildChannel | discord.Thread, needed: dict[str, str]
) -> list[str]:
    """The names of `needed` permissions the bot lacks in `channel`."""
    me = channel.guild.me
    granted = channel.permissions_for(me)
    if isinstance(channel, discord.Thread):
        needed = {
            ("send_messages_in_threads" if k == "send_messages" else k): v
            for k, v in needed.items()
        }
        needed.setdefault("send_messages_in_threads", "Send Messages in Threads")
    return [label for attribute, label in needed.items() if not getattr(granted, attribute, False)]


def for_message(message: Message) -> dict[str, str]:
    """What posting `message` needs: embeds for sections, attach for an image or file."""
    needed = {"view_channel": "View Channel", "send_messages": "Send Messages"}
    if message.sections:
        needed["embed_links"] = "Embed Links"
    if message.image is not None or message.file is not None:
        needed["attach_files"] = "Attach Files"
    return needed


def advice(channel_name: str, labels: list[str], purpose: str) -> str:
    """One sentence for the managers: which permissions, where, what for, and the fix."""
    listed = ", ".join(labels)
    return (
        f"⚠️ Steward lacks {listed} in #{channel_name}, so it cannot {purpose} there. "
        f"Fix: Server Settings → Channels → #{channel_name} → Permissions → add Steward's "
        f"role and allow {listed} (or grant them to Steward's role server-wide)."
    )


def channel_missing(name: str, key: str) -> str:
    """A configured channel that does not exist (or Steward cannot see)."""
    return (
        f"⚠️ {key} names #{name}, but Steward cannot find that channel. Fix: check the name "
        f"or id in the configuration, and give Steward's role View Channel there."
    )


def post_channel_missing(channel_id: str) -> str:
    """Scheduled posts are meant for a channel Steward cannot find (deleted, or hidden)."""
    return (
        f"⚠️ Scheduled posts are meant for channel {channel_id}, but Steward cannot find it. "
        "Fix: give Steward's role View Channel there, or move the posts with /calendar edit "
        "(see /calendar list)."
    )


def role_missing(name: str) -> str:
    """The configured manager role does not exist: nobody can run manager commands."""
    return (
        f"⚠️ [discord] manager_role names {name!r}, but the server has no such role, so nobody "
        "can run manager commands. Fix: create the role and give it to the managers, or set "
        "manager_role to an existing role's name or id."
    )
