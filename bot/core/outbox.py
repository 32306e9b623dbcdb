"""The outbox: announcements that must go out (results, winners, notices to managers).

A feature enqueues a render recipe (`outbox_store.enqueue`, or `enqueue_once`) in the same
transaction as the change that causes it, then asks for delivery now (`send_now`,
`send_one`); the outbox is also a due job, so what a dead process or a failing platform left
behind goes out later. Images are never stored: each kind has a renderer
(`app.outbox.renderer("poll:results", fn)`) that renders the post again from the database.

Exactly once: an item is claimed (committed) before rendering and marked `sending` before it
is handed to the platform; the post is remembered and the item settled in one transaction.
A process that died before `sending` left nothing on the platform: the item is delivered
again. One that died while sending may or may not have posted: the item is `unconfirmed`
and the managers are asked to check — never posted twice (a notice to the managers
themselves is sent again instead). A platform error is retried after BACKOFF; after the
last try the managers' channel is told what could not be posted and why.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import SQLAlchemyError

from bot.core import outbox_store as db
from bot.core.messages import Message, SentMessage
from bot.store.models import OutboxItem

if TYPE_CHECKING:
    from bot.core.services import CoreServices

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipe:
    """What a renderer is handed: the item's kind, what it is about, and where it goes."""

    item_id: int
    feature: str
    kind: str
    ref_id: int | None
    role: str
    payload: dict[str, Any] | None
    platform: str
    channel_id: str | None


Renderer = Callable[[Recipe], Awaitable[Message | None]]  # None: nothing to post any more


class Outbox:
    """Delivers outbox items now or when due; a DueJob (`name`, `next_due`, `run`)."""

    name = "outbox"

    def __init__(self, app: CoreServices) -> None:
        self.app = app
        self._renderers: dict[str, Renderer] = {db.NOTICE: _literal}
        self._delivering: dict[int, asyncio.Future[SentMessage | None]] = {}

    def renderer(self, kind: str, render: Renderer) -> None:
        """Render items of `kind` ("poll:results") with `render`, at every try."""
        if kind in self._renderers:
            raise ValueError(f"outbox kind {kind!r} has a renderer already")
        self._renderers[kind] = render

    # ---- the due job --------------------------------------------------------------------
    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(db.next_due)

    async def run(self, now: datetime) -> None:
        """Deliver what is due, and settle claims left by a process that died."""
        for item_id, status in await self.app.store.run(db.due_items, now):
            if status in (db.CLAIMED, db.SENDING):
                stale = await self.app.store.run(db.settle_stale, item_id, now)
                if stale is not None:
                    await self._tell_unconfirmed(stale, now)
                    continue
            try:
                await self._deliver(item_id, now)
            except Exception:
                log.exception("outbox item %s could not be delivered", item_id)

    # ---- delivery -----------------------------------------------------------------------
    async def send_now(self, *item_ids: int | None) -> list[SentMessage]:
        """Deliver these just-enqueued items now; what went out (a failed one is retried)."""
        now = self.app.clock.now()
        sent = []
        for item_id in item_ids:
            try:
                posted = None if item_id is None else await self._deliver(item_id, now)
            except Exception:  # the database failed: the item is still due, the job retries
                log.exception("outbox item %s could not be delivered now", item_id)
                posted = None
            sent.extend([posted] if posted is not None else [])
        await self.app.work_added()
        return sent

    async def send_one(self, item_id: int | None) -> SentMessage | None:
        """Deliver one just-enqueued item now; its post, or None if it did not go out now."""
        sent = await self.send_now(item_id)
        return sent[0] if sent else None

    async def enqueue(self, *announcements: db.Announcement) -> list[int | None]:
        """Enqueue in a transaction of their own (for changes that are already committed)."""
        now = self.app.clock.now()

        def add(session) -> list[int | None]:
            return [db.enqueue(session, a, now) for a in announcements]

        return await self.app.store.run(add)

    async def notify_managers(self, message: Message, **record: Any) -> list[SentMessage]:
        """Tell the managers' channel on every platform: enqueued, then sent now if it can be."""
        now, platforms = self.app.clock.now(), list(self.app.adapters)
        later = partial(db.notify_managers_later, platforms=platforms, message=message, now=now)
        ids = await self.app.store.run(partial(later, **record))
        return await self.send_now(*ids)

    async def _deliver(self, item_id: int, now: datetime) -> SentMessage | None:
        """Deliver the item once in this process: a second caller (`send_now` racing the due
        job for an item just enqueued) waits for the first and gets its post."""
        running = self._delivering.get(item_id)
        if running is not None:
            return await asyncio.shield(running)
        done: asyncio.Future[SentMessage | None] = asyncio.get_running_loop().create_future()
        self._delivering[item_id] = done
        try:
            posted = await self._deliver_once(item_id, now)
        except BaseException as exc:
            done.set_exception(exc)
            done.exception()  # retrieved: a waiter may not exist
            raise
        else:
            done.set_result(posted)
            return posted
        finally:
            del self._delivering[item_id]

    async def _deliver_once(self, item_id: int, now: datetime) -> SentMessage | None:
        token = secrets.token_hex(8)
        item = await self.app.store.run(db.claim, item_id, token, now)
        if item is None:
            return None  # not due, or another process has it
        try:
            message = await self._render(item)
            channel_id = item.channel_id or await self._managers_channel(item.platform)
        except Exception as exc:
            await self._failed(item, token, _describe(exc), now)
            return None
        if message is None:
            await self.app.store.run(db.drop, item.id, token, now)
            return None
        if not await self.app.store.run(db.mark_sending, item.id, token, now):
            return None
        return await self._send(item, token, channel_id, message, now)

    async def _send(
        self, item: OutboxItem, token: str, channel_id: str, message: Message, now: datetime
    ) -> SentMessage | None:
        try:
            return await self.app.send(
                item.platform,
                channel_id,
                message,
                feature=item.feature,
                ref_id=item.ref_id,
                role=item.role,
                content_type=item.content_type,
                settle=partial(db.settle, item_id=item.id, token=token, now=now),
            )
        except SQLAlchemyError:  # posted, but not recorded: it goes stale, then unconfirmed
            log.exception("outbox item %s: posted, but recording it failed", item.id)
        except Exception as exc:
            await self._failed(item, token, _describe(exc), now)
        return None

    async def _render(self, item: OutboxItem) -> Message | None:
        render = self._renderers.get(item.kind)
        if render is None:
            raise LookupError(f"no renderer for {item.kind!r} (is its feature installed?)")
        recipe = Recipe(
            item.id,
            item.feature,
            item.kind,
            item.ref_id,
            item.role,
            item.payload,
            item.platform,
            item.channel_id,
        )
        return await render(recipe)

    async def _managers_channel(self, platform: str) -> str:
        adapter = self.app.adapter(platform)
        channel = await adapter.find_channel(adapter.admin_channel)
        if channel is None:
            raise LookupError(f"the managers' channel #{adapter.admin_channel} was not found")
        return channel.channel_id

    # ---- telling the managers -----------------------------------------------------------
    async def _failed(self, item: OutboxItem, token: str, reason: str, now: datetime) -> None:
        log.warning("outbox item %s (%s) failed: %s", item.id, item.label, reason)
        gone = await self.app.store.run(db.fail_attempt, item.id, token, reason, now)
        if gone is None:
            return
        where = await self._where(gone)
        tries = f"{gone.attempts} {'try' if gone.attempts == 1 else 'tries'}"
        text = f"⚠️ Could not post {gone.label} in {where} after {tries}: {reason}"
        await self._tell(gone, text)

    async def _tell_unconfirmed(self, item: OutboxItem, now: datetime) -> None:
        where = await self._where(item)
        text = (
            f"⚠️ Steward stopped while posting {item.label} in {where}; it may or may not "
            "have gone out. Please check the channel (it is not posted again, so it cannot "
            "appear twice)."
        )
        await self._tell(item, text)

    async def _tell(self, item: OutboxItem, text: str) -> None:
        """Tell the managers about `item` (unless it was itself a notice to them)."""
        if item.kind == db.NOTICE:
            log.error("a notice to the managers could not be posted: %s", item.label)
            return
        notice = db.notice(item.platform, Message(text=text), label="a notice about " + item.label)
        try:
            await self.send_now(*await self.enqueue(notice))
        except Exception:
            log.exception("could not tell the managers: %s", text)

    async def _where(self, item: OutboxItem) -> str:
        if item.channel_id is None:
            return "the managers' channel"
        try:
            channel = await self.app.adapter(item.platform).find_channel(item.channel_id)
        except Exception:
            channel = None
        return f"#{channel.name}" if channel is not None else f"channel {item.channel_id}"


async def _literal(recipe: Recipe) -> Message:
    assert recipe.payload is not None
    return db.payload_message(recipe.payload)


def _describe(exc: Exception) -> str:
    """A failed try in a few words (the platform's own message when it has one)."""
    text = str(exc) or type(exc).__name__
    return text if isinstance(exc, LookupError) else f"{type(exc).__name__}: {text}"
