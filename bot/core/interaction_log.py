"""The interaction log: every inbound event recorded once, through one batching writer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from bot.core.directory import Directory
from bot.core.events import (
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
        self._redactions: list[tuple[str, Callable[[str], str]]] = []
        self.batches_written = 0

    def redact_detail(self, prefix: str, redact: Callable[[str], str]) -> None:
        """Record a detail (an action id, say) starting with `prefix` as `redact(detail)`.

        A feature keeps a member's choice out of the log this way: a poll vote is logged as
        `poll:vote:12`, not `poll:vote:12:3`. `redact` runs on the writer's worker thread.
        """
        self._redactions.append((prefix, redact))

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
        """Insert the batch in one statement, skipping repeats; True for each event that was new."""
        content_types = _content_types(session, events)
        rows: dict[tuple[str, str], dict] = {}
        for event in events:
            rows.setdefault(
                (event.platform, event.event_id), self._row(session, event, content_types)
            )
        inserted = {
            (platform, event_id)
            for platform, event_id in session.execute(
                _insert_ignoring_repeats(session), list(rows.values())
            )
        }
        fresh = []
        for event in events:
            key = (event.platform, event.event_id)
            fresh.append(key in inserted)
            inserted.discard(key)  # a repeat inside the batch is not new either
        _touch_members(session, [e for e, new in zip(events, fresh, strict=True) if new], rows)
        return fresh

    def _row(
        self, session: Session, event: InboundEvent, content_types: dict[tuple[str, str], str]
    ) -> dict:
        message_id = getattr(event, "message_id", None)
        parent = getattr(event, "parent_id", None) or (
            message_id if event.kind in _ON_A_MESSAGE else None
        )
        target = _target(event)
        return {
            "platform": event.platform,
            "platform_event_id": event.event_id,
            "kind": event.kind.value,
            "member_id": self.directory.member_id(session, event.member, event.at),
            "channel_id": self.directory.channel_id(session, event.channel),
            "message_id": message_id,
            "parent_message_id": parent,
            "target_member_id": self.directory.known_member_id(session, target) if target else None,
            "detail": self._detail(event),
            "text": getattr(event, "text", None) if self.store_text else None,
            "content_type": content_types.get((event.platform, parent)) if parent else None,
            "created_at": event.at,
        }

    def _detail(self, event: InboundEvent) -> str | None:
        detail = _detail(event)
        for prefix, redact in self._redactions:
            if detail is not None and detail.startswith(prefix):
                return redact(detail)[:200]
        return detail


_ON_A_MESSAGE = {"reaction_added", "reaction_removed", "button"}


def _target(event: InboundEvent) -> MemberRef | None:
    return getattr(event, "message_author", None) or getattr(event, "parent_author", None)


def _detail(event: InboundEvent) -> str | None:
    for attribute in ("emoji", "name", "action_id", "form_id"):
        value = getattr(event, attribute, None)
        if isinstance(value, str):
            return value[:200]
    return None


def _insert_ignoring_repeats(session: Session):
    """INSERT … ON CONFLICT DO NOTHING RETURNING the keys of the rows that went in."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(Interaction).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(Interaction).on_conflict_do_nothing()
    else:
        statement = insert(Interaction)
    return statement.returning(Interaction.platform, Interaction.platform_event_id)


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


def _touch_members(session: Session, events: list[InboundEvent], rows: dict) -> None:
    """Last-seen times in one statement; joins and leaves one by one (they are rare)."""
    last_seen: dict[int, object] = {}
    for event in events:
        row = rows[(event.platform, event.event_id)]
        last_seen[row["member_id"]] = max(event.at, last_seen.get(row["member_id"], event.at))
        if isinstance(event, MemberJoined | MemberLeft):
            joined = isinstance(event, MemberJoined)
            values = {"joined_at": event.at, "left_at": None} if joined else {"left_at": event.at}
            session.execute(update(Member).where(Member.id == row["member_id"]).values(**values))
    if last_seen:
        session.connection().execute(
            update(Member.__table__)
            .where(Member.__table__.c.id == bindparam("member"))
            .values(last_seen_at=bindparam("seen")),
            [{"member": member, "seen": seen} for member, seen in last_seen.items()],
        )
