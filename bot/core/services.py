"""What a handler reaches through its context: the core's parts, as a protocol.

`bot.core.app.Steward` provides it; the context names only this, so the context and the
app do not import each other.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.core.adapter import Adapter
from bot.core.capabilities import Capabilities
from bot.core.clock import Clock
from bot.core.commands import CommandRegistry
from bot.core.config import Settings
from bot.core.directory import Directory
from bot.core.due import JobBoard
from bot.core.events import InboundEvent
from bot.core.interaction_log import InteractionLog
from bot.core.message_updates import CoalescedUpdates
from bot.core.messages import Form, Message, SentMessage
from bot.core.outbox import Outbox
from bot.core.privacy import PrivacyRegistry
from bot.store.database import Store


class CoreServices(Protocol):
    """The core as features use it from a handler."""

    settings: Settings
    store: Store
    clock: Clock
    registry: CommandRegistry
    directory: Directory
    interactions: InteractionLog
    jobs: JobBoard
    updates: CoalescedUpdates
    privacy: PrivacyRegistry
    outbox: Outbox
    adapters: dict[str, Adapter]

    def adapter(self, platform: str) -> Adapter: ...

    def capabilities(self, platform: str) -> Capabilities: ...

    def message_link(
        self, platform: str, channel_id: str, message_id: str, thread_id: str | None = None
    ) -> str | None: ...

    async def send(
        self, platform: str, channel_id: str, message: Message, **record: Any
    ) -> SentMessage: ...

    async def update(self, sent: SentMessage, message: Message) -> None: ...

    async def reply_private(self, event: InboundEvent, message: Message) -> None: ...

    async def open_form(self, event: InboundEvent, form: Form) -> None: ...

    async def notify_managers(self, message: Message, **record: Any) -> list[SentMessage]: ...

    async def work_added(self) -> None: ...
