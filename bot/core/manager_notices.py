"""What an adapter tells the managers about itself (a permission, a channel, a setting to
fix): logged, and told in the managers' channel once per key: once ever, or once per start
for a problem they may have fixed since."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

from bot.core.messages import Message

if TYPE_CHECKING:
    from bot.core.adapter import Core

log = logging.getLogger(__name__)


class ManagerNotices:
    """One adapter's notices to its platform's managers (`label`: how the log names it)."""

    def __init__(self, platform: str, label: str) -> None:
        self.platform = platform
        self.label = label
        self._reported: set[str] = set()
        self._start = secrets.token_hex(4)  # this start, for notices told once per start

    async def tell(self, app: Core, key: str, text: str, every_start: bool = False) -> None:
        """Log `text` and tell the managers once for `key` (never twice in one start)."""
        if key in self._reported:
            return
        self._reported.add(key)
        log.warning("%s: %s", self.label, text)
        once = f"{self._start}:{key}" if every_start else key
        try:
            await app.tell_managers_once(self.platform, once, Message(text=text))
        except Exception:
            log.exception("%s: could not tell the managers: %s", self.label, text)
