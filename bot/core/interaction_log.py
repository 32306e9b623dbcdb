"""The interaction log: every inbound event recorded once, through one batching writer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from bot.core.directory import Directory
from bot.core.event_detail import detail_of
from bot.core.events import InboundEvent
from bot.core.interaction_batch import BatchWriter, keys_of
from bot.core.log_pending import Outcome, Pending, Then, resolve, settle, wake
from bot.store import memory
from bot.store.database import Store

log = logging.getLogger(__name__)
FLUSH_SECONDS = 60  # real time at most between writes of the held-back last-seen times
MAX_QUEUED = 10_000  # events waiting to be written; a record beyond that waits for room
WRITER_CACHE_KIB = 65_536  # SQLite's page cache on the writer thread's connection (default
# 2 MiB): a busy log's indexes are read and written where members' rows fall, all over them.
# The loop's connection, which writes lone events, keeps the default: it is not worth 64 MiB.


class InteractionLog:
    """Writes events in batches: one transaction per batch (group commit).

    `record` returns once the event is committed, True if it was new and False for a repeated
    platform event id (or a reaction the member already has there). Events that arrive
    together, or while a batch is being written, share a transaction on the writer's thread.
    A lone event on SQLite is committed on the event loop itself, sparing it two thread
    switches: a WAL append that never waits for a lock (if the database is busy, the event
    goes to the writer's thread instead).

    A batch that fails is written again with its members' and channels' ids looked up
    afresh (another process may have erased one), then one event at a time: only an event
    that cannot be recorded fails, and only for its own caller. At most `max_queued` events
    wait to be written; beyond that `record` waits for room (backpressure).
    """

    def __init__(
        self,
        store: Store,
        directory: Directory,
        store_text: bool = False,
        max_batch: int = 2000,
        max_queued: int = MAX_QUEUED,
    ) -> None:
        self.store = store
        self.directory = directory
        self.max_batch = max_batch
        self.max_queued = max_queued
        self._writer = BatchWriter(directory, self._detail, store_text)
        self._redactions: list[tuple[str, Callable[[str], str]]] = []
        self._pending: deque[Pending] = deque()  # appended on the loop, taken on either thread
        self._doorbell: queue.SimpleQueue[None] = queue.SimpleQueue()  # wakes the writer
        self._writing = threading.Lock()  # one batch at a time, on either thread
        self._queued = 0  # events in `_pending`
        self._room: deque[tuple[asyncio.Future[None], Pending]] = deque()  # waiting for room
        self._counting = threading.Lock()  # guards the two above
        self._thread: threading.Thread | None = None
        self._connection: Connection | None = None  # the writer thread's
        self._inline: Connection | None = None  # the event loop's, for lone events on SQLite
        self._flushed_at = time.monotonic()
        self._handing_over = False
        self._stopping = False
        self.batches_written = 0

    def redact_detail(self, prefix: str, redact: Callable[[str], str]) -> None:
        """Record a detail (an action id, say) starting with `prefix` as `redact(detail)`.

        A feature keeps a member's choice out of the log this way: a poll vote is logged as
        `poll:vote:12`, not `poll:vote:12:3`.
        """
        self._redactions.append((prefix, redact))

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stopping = False
        with self.store.engine.connect() as conn:
            self.directory.warm(conn)
        if self.store.engine.dialect.name == "sqlite":
            self._inline = _never_waiting(self.store.engine.connect())
        self._thread = threading.Thread(target=self._drain, name="interaction-log", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Write everything queued and what is held back, then stop; later records are refused."""
        if self._thread is None:
            return
        self._stopping = True
        self._doorbell.put(None)
        await asyncio.to_thread(self._thread.join)
        await asyncio.to_thread(self._drain)  # anything handed back by the loop meanwhile
        self._thread = None
        for conn in (self._inline, self._connection):
            if conn is not None:
                _release(conn)
        self._inline = self._connection = None
        memory.give_back()  # the writer's page cache, freed with its connection

    async def record(self, event: InboundEvent) -> bool:
        """Queue `event`; return once it is committed (True) or found to be a repeat (False).

        An event that cannot be recorded raises its own error here, and only here.
        """
        loop = self._running_loop()
        done = loop.create_future()
        pending = Pending((event,), loop, done)
        if (room := self._queue_or_wait(loop, pending)) is not None:  # full: wait for room
            await room  # set once `_taken` has queued it
        (fresh,) = await done
        return fresh

    def submit(self, event: InboundEvent, then: Then) -> asyncio.Future[None] | None:
        """Queue `event` without waiting for it: `then(event, outcome)` is called on this loop
        once it is committed (True: new, False: a repeat) or could not be recorded (the
        error). None if it was queued, else a future set once there is room and it is."""
        loop = self._running_loop()
        return self._queue_or_wait(loop, Pending((event,), loop, then=then))

    async def record_many(
        self, events: Sequence[InboundEvent], history: bool = False
    ) -> list[bool]:
        """Record a burst in as few transactions as the batch size allows (`history`: what a
        catch-up fetched, by bot.core.history_rules); an event that cannot be recorded
        raises its error once the others are committed."""
        loop = self._running_loop()
        waiting: list[asyncio.Future[list[bool]]] = []
        for start in range(0, len(events), self.max_batch):
            part = events[start : start + self.max_batch]
            waiting.append(loop.create_future())
            pending = Pending(part, loop, waiting[-1], history=history)
            if (room := self._queue_or_wait(loop, pending)) is not None:
                await room
        outcomes = await asyncio.gather(*waiting, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return [fresh for outcome in outcomes for fresh in outcome]  # type: ignore[union-attr]

    def bulk_writer(self) -> BatchWriter:
        """A writer for an import (ids of its own), with this log's details and text."""
        return BatchWriter(Directory(), self._detail, self._writer.store_text)

    @property
    def queued(self) -> int:
        """Events waiting to be written."""
        return self._queued

    # ---- on the event loop ----------------------------------------------------------------
    def _running_loop(self) -> asyncio.AbstractEventLoop:
        if self._thread is None or self._stopping:
            raise RuntimeError("the interaction log is not running")
        return asyncio.get_running_loop()

    def _queue_or_wait(
        self, loop: asyncio.AbstractEventLoop, pending: Pending
    ) -> asyncio.Future[None] | None:
        """Queue `pending` if there is room (None), else a future set once it is queued.

        Waiters are queued first come, first served: a newcomer waits behind them.
        """
        with self._counting:
            room = None
            if not self._room and self._fits(len(pending.events)):
                self._queued += len(pending.events)
                self._pending.append(pending)
            else:
                room = loop.create_future()
                self._room.append((room, pending))
        self._hand_over_soon(loop)
        return room

    def _fits(self, size: int) -> bool:
        return not self._queued or self._queued + size <= self.max_queued

    def _taken(self, size: int) -> None:
        """`size` events left the queue: queue the waiters that now fit (on any thread)."""
        admitted = []
        with self._counting:
            self._queued -= size
            while self._room and self._fits(len(self._room[0][1].events)):
                room, pending = self._room.popleft()
                self._queued += len(pending.events)
                self._pending.append(pending)
                admitted.append(room)
        if admitted:
            self._doorbell.put(None)  # the writer takes them (it may be this thread)
        for room in admitted:
            with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting
                room.get_loop().call_soon_threadsafe(wake, room)

    def _hand_over_soon(self, loop: asyncio.AbstractEventLoop) -> None:
        """Hand the queue over once the tasks ready now have queued their events too."""
        if not self._handing_over:
            self._handing_over = True
            loop.call_soon(self._hand_over)

    def _hand_over(self) -> None:
        self._handing_over = False
        if not self._write_inline():
            self._doorbell.put(None)

    def _write_inline(self) -> bool:
        """Commit a lone event here if the writer is idle and the database is free."""
        if self._inline is None or len(self._pending) != 1 or len(self._pending[0].events) != 1:
            return False
        if not self._writing.acquire(blocking=False):
            return False
        try:
            if len(self._pending) != 1:
                return False
            pending = self._pending.popleft()
            try:
                with self._inline.begin():
                    fresh = self._writer.write(self._inline, list(pending.events), pending.history)
            except Exception:  # busy, or worse: the writer's thread retries and reports it
                self._forget_ids(list(pending.events))
                self._pending.appendleft(pending)
                return False
            self._taken(1)
            self.batches_written += 1
            resolve([(pending, fresh)])
            return True
        finally:
            self._writing.release()

    # ---- on the writer's thread -----------------------------------------------------------
    def _drain(self) -> None:
        """Write batches until stopped with nothing queued, then what is held back."""
        while (batch := self._next_batch()) is not None:
            try:
                events = [e for pending in batch for e in pending.events]
                outcome = self._commit(events, batch[0].history)
            finally:
                self._writing.release()
            settle(batch, outcome)
        self._flush_held_back()

    def _flush_held_back(self) -> None:
        """Write the last-seen times held back in memory."""
        self._flushed_at = time.monotonic()
        with self._writing:
            try:
                conn = self._writer_connection()
                with conn.begin():
                    self._writer.flush(conn)
            except Exception:
                self._writer.last_seen.rolled_back()  # tried again at the next flush
                log.exception("interaction log: could not write the last-seen times")

    def _next_batch(self) -> list[Pending] | None:
        """Wait for work; take what is queued, up to `max_batch` events, holding `_writing`.

        None once stopped with nothing queued.
        """
        while True:
            if time.monotonic() - self._flushed_at > FLUSH_SECONDS:
                self._flush_held_back()
            if not self._pending:
                if self._stopping:
                    return None
                with contextlib.suppress(queue.Empty):  # a quiet minute: flush, above
                    self._doorbell.get(timeout=FLUSH_SECONDS)
                continue
            self._writing.acquire()
            batch: list[Pending] = []
            size = 0
            while self._pending and (
                not batch
                or (
                    size + len(self._pending[0].events) <= self.max_batch
                    and self._pending[0].history == batch[0].history
                )
            ):
                pending = self._pending.popleft()
                size += len(pending.events)
                batch.append(pending)
            if batch:
                self._taken(size)
                return batch
            self._writing.release()  # the event loop wrote it meanwhile

    def _commit(self, events: list[InboundEvent], history: bool) -> Outcome:
        """Write `events` in one transaction; if that fails, one at a time."""
        together = self._write_retrying(events, history)
        if not isinstance(together, Exception):
            return list(together)
        if len(events) > 1:
            log.warning("interaction log: a batch of %d failed; one at a time now", len(events))
        outcome: Outcome = []
        for event in events:
            alone = self._write_retrying([event], history) if len(events) > 1 else together
            if isinstance(alone, Exception):
                log.error("interaction log: event %s not recorded", event.event_id, exc_info=alone)
                outcome.append(alone)
            else:
                outcome.extend(alone)
        return outcome

    def _write_retrying(self, events: list[InboundEvent], history: bool) -> list[bool] | Exception:
        """Write `events` in one transaction; once more, their ids looked up afresh, if that
        fails (an id may have been rolled back, or its row erased by another process)."""
        for attempt in (1, 2):
            try:
                conn = self._writer_connection()
                with conn.begin():
                    fresh = self._writer.write(conn, events, history)
                self.batches_written += 1
                return fresh
            except Exception as exc:
                self._forget_ids(events)
                if self._connection is not None:
                    _release(self._connection)
                    self._connection = None
                if attempt == 2:
                    return exc
        raise AssertionError("unreachable")

    def _writer_connection(self) -> Connection:
        if self._connection is None:
            self._connection = _writing(self.store.engine.connect())
        return self._connection

    def _forget_ids(self, events: list[InboundEvent]) -> None:
        """After a failed write: the ids it used, and what it stored of last-seen times."""
        members, channels = keys_of(events)
        self.directory.forget(members, channels)
        self._writer.last_seen.rolled_back()
        self._writer.earliest.forget()

    def _detail(self, event: InboundEvent) -> str | None:
        detail = detail_of(event)
        for prefix, redact in self._redactions:
            if detail is not None and detail.startswith(prefix):
                return redact(detail)[:200]
        return detail


def _writing(conn: Connection) -> Connection:
    """The writer thread's connection: on SQLite, with a page cache of WRITER_CACHE_KIB."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        conn.commit()
    return conn


def _release(conn: Connection) -> None:
    """Close one of the log's connections; its settings must not go back to the pool."""
    conn.invalidate()
    conn.close()


def _never_waiting(conn: Connection) -> Connection:
    """The loop's own SQLite connection: it never waits for a lock (nor checkpoints, as no
    connection does: bot.store.checkpoints)."""
    conn.exec_driver_sql("PRAGMA busy_timeout=0")
    conn.commit()
    return conn
