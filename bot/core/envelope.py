"""Where a message goes, apart from what it is (bot.core.messages.Message)."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Destination:
    """A channel, a thread in it, a reply to one message, or one member only.

    `thread_id` puts the message in a thread (a Discord thread channel, a Slack `thread_ts`);
    `reply_to` answers one message (Discord reply; Slack: in that message's thread);
    `private_to` (a member's platform id) makes it visible to that member alone, in the
    channel (`direct=False`, ephemeral) or as a direct message (`direct=True`).
    """

    platform: str
    channel_id: str
    thread_id: str | None = None
    reply_to: str | None = None
    private_to: str | None = None
    direct: bool = False

    @property
    def is_private(self) -> bool:
        return self.private_to is not None

    def privately(self, member_id: str, direct: bool = False) -> Destination:
        """The same place, visible to `member_id` only."""
        return replace(self, private_to=member_id, direct=direct)
