"""The adapter protocol: what each platform (Discord, Slack, console) provides to the core."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.core.capabilities import Capabilities
from bot.core.clock import Clock
from bot.core.commands import CommandRegistry
from bot.core.due import JobBoard
from bot.core.envelope import Destination
from bot.core.events import ChannelRef, InboundEvent, MemberRef
from bot.core.interaction import Responder
from bot.core.messages import Message, SentMessage


class Core(Protocol):
    """What an adapter sees of the core: where events go, the clock, and the jobs."""

    clock: Clock
    jobs: JobBoard
    registry: CommandRegistry  # the commands a platform registers natively

    async def handle(self, event: InboundEvent, responder: Responder | None = None) -> None:
        """Record `event` once, then act on it; answer an interaction through `responder`."""

    async def record_history(self, events: Sequence[InboundEvent]) -> int:
        """Record events fetched after downtime (deduplicated); how many were new."""

    async def last_message_id(self, platform: str, channel_id: str) -> str | None:
        """The newest message recorded in a channel (where a catch-up starts), or None."""

    async def channels_in_use(self, platform: str) -> set[str]:
        """Channel ids features have work for (scheduled posts): checked at start."""

    async def author_of(self, platform: str, message_id: str) -> MemberRef | None:
        """Who posted a message, as recorded (None: not recorded)."""

    async def recall(self, platform: str, key: str) -> str | None:
        """What this adapter kept under `key` at an earlier start."""

    async def keep(self, platform: str, key: str, value: str) -> None:
        """Keep `value` under `key` for the next start."""

    async def tell_managers_once(self, platform: str, key: str, message: Message) -> bool:
        """Tell the managers' channel once ever per `key`; False when said already."""


class Adapter(Protocol):
    """One platform. Inbound it calls `app.handle(event, responder)`; outbound it renders.

    Commands, button presses and form submits come with a `Responder` (the platform's
    interaction handle), which the core acknowledges within `capabilities.ack_seconds`.
    An adapter holds no community logic; a send it cannot perform raises an exception
    (never fails silently), and the core decides whether to retry or report it.

    Optionally `message_link(channel_id, message_id, thread_id) -> str | None`: where a
    member finds a message (a URL; on the console its printed id), without an API call;
    None when it cannot tell (`Steward.message_link` asks it).
    """

    platform: str
    admin_channel: str  # the managers' private channel on this platform (a name or an id)
    capabilities: Capabilities

    async def start(self, app: Core) -> None:
        """Connect and begin delivering events to `app`."""

    async def serve(self) -> None:
        """Run until the adapter is done (the console at the end of its script) or cancelled."""

    async def stop(self) -> None:
        """Disconnect; pending outbound work is finished first."""

    async def send(self, to: Destination, message: Message) -> SentMessage:
        """Post `message` where `to` says (a channel, a thread, a reply, one member only)."""

    async def update(self, sent: SentMessage, message: Message) -> None:
        """Replace the content of a message the bot posted earlier."""

    async def find_channel(self, name: str) -> ChannelRef | None:
        """The channel called `name` (with or without `#`) or with that id, or None."""
