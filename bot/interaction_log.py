"""The interaction log: every inbound event recorded once, through one batching writer."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.directory import Directory
from bot.events import (
    InboundEvent,
    MemberJoined,
    MemberLeft,
    MemberRef,
)
from bot.store.database import Store
from bot.store.models import BotMessage, Interaction, Member

log = logging.getLogger(__name__)


@dataclass
class _Pending:
    event: InboundEvent
    done: asyncio.Future[bool]


class InteractionLog:
    """Queues events and writes them in batches: one transaction per batch (group commit).

    `record` returns once the event is durable, True if it was new and False for a repeated
    platform event id. The event loop never waits on the disk: writes run on a worker thread.
    """

    def __init__(
        self, store: Store, directory: Directory, store_text: bool = False, max_batch: int = 500
    ) -> None:
        self.store = store
        self.directory = directory
        self.store_text = store_text
        self.max_batch = max_batch
        self._queue: asyncio.Queue[_Pending | None] = asyncio.Queue()
        self._task: asyncio.Task | None = None
        self.batches_written = 0

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._write_forever(), name="interaction-log")

    async def stop(self) -> None:
        """Flush everything queued, then stop the writer; later records are refused."""
        if self._task is None:
            return
        await self._queue.put(None)
        await self._task
        self._task = None

    async def record(self, event: InboundEvent) -> bool:
        """Queue `event`; return once it is committed (True) or found to be a repeat (False)."""
        if self._task is None or self._task.done():
            raise RuntimeError("the interaction log is not running")
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        await self._queue.put(_Pending(event, done))
        return await done

    async def _write_forever(self) -> None:
        """Write batches until the stop sentinel arrives and nothing is left behind it."""
        stopping = False
        while not (stopping and self._queue.empty()):
            batch: list[_Pending] = []
            item = await self._queue.get()
            while True:
                if item is None:
                    stopping = True
                else:
                    batch.append(item)
                if len(batch) >= self.max_batch or self._queue.empty():
                    break
                item = self._queue.get_nowait()
            if batch:
                await self._write(batch)

    async def _write(self, batch: list[_Pending]) -> None:
        try:
            fresh = await self.store.run(self._write_batch, [p.event for p in batch])
        except Exception as exc:  # tell every waiter; the writer itself carries on
            log.exception("interaction log: a batch of %d events failed", len(batch))
            self.directory.forget_cached()
            for pending in batch:
                if not pending.done.done():
                    pending.done.set_exception(exc)
            return
        self.batches_written += 1
        for pending, is_new in zip(batch, fresh, strict=True):
            if not pending.done.done():
                pending.done.set_result(is_new)

    def _write_batch(self, session: Session, events: list[InboundEvent]) -> list[bool]:
        content_types = _content_types(session, events)
        return [self._write_one(session, event, content_types) for event in events]

    def _write_one(
        self, session: Session, event: InboundEvent, content_types: dict[tuple[str, str], str]
    ) -> bool:
        member_id = self.directory.member_id(session, event.member, event.at)
        channel_id = self.directory.channel_id(session, event.channel)
        message_id = getattr(event, "message_id", None)
        parent = getattr(event, "parent_id", None) or (
            message_id if event.kind in _ON_A_MESSAGE else None
        )
        target = _target(event)
        row = {
            "platform": event.platform,
            "platform_event_id": event.event_id,
            "kind": event.kind.value,
            "member_id": member_id,
            "channel_id": channel_id,
            "message_id": message_id,
            "parent_message_id": parent,
            "target_member_id": self.directory.member_id(session, target) if target else None,
            "detail": _detail(event),
            "text": getattr(event, "text", None) if self.store_text else None,
            "content_type": content_types.get((event.platform, parent)) if parent else None,
            "created_at": event.at,
        }
        inserted = session.execute(_insert_ignoring_repeats(session, row)).first() is not None
        if inserted:
            _touch_member(session, member_id, event)
        return inserted


_ON_A_MESSAGE = {"reaction_added", "reaction_removed", "button"}


def _target(event: InboundEvent) -> MemberRef | None:
    return getattr(event, "message_author", None) or getattr(event, "parent_author", None)


def _detail(event: InboundEvent) -> str | None:
    for attribute in ("emoji", "name", "action_id", "form_id"):
        value = getattr(event, attribute, None)
        if isinstance(value, str):
            return value[:200]
    return None


def _insert_ignoring_repeats(session: Session, row: dict):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(Interaction).values(**row).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(Interaction).values(**row).on_conflict_do_nothing()
    else:
        statement = insert(Interaction).values(**row)
    return statement.returning(Interaction.id)


def _content_types(session: Session, events: list[InboundEvent]) -> dict[tuple[str, str], str]:
    """Content types of the bot's posts that this batch's reactions and replies point at."""
    ids = {getattr(e, "parent_id", None) or getattr(e, "message_id", None) for e in events} - {None}
    if not ids:
        return {}
    rows = session.execute(
        select(BotMessage.platform, BotMessage.platform_message_id, BotMessage.content_type).where(
            BotMessage.platform_message_id.in_(ids), BotMessage.content_type.is_not(None)
        )
    )
    return {(platform, message): kind for platform, message, kind in rows}


def _touch_member(session: Session, member_id: int, event: InboundEvent) -> None:
    values: dict = {"last_seen_at": event.at}
    if isinstance(event, MemberJoined):
        values.update(joined_at=event.at, left_at=None)
    elif isinstance(event, MemberLeft):
        values["left_at"] = event.at
    session.execute(update(Member).where(Member.id == member_id).values(**values))
