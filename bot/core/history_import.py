"""An export's history into the interaction log, through the bulk path.

The files' events go in chunks through the interaction log's batch writer (by
bot.core.history_rules), the next chunks read on a thread of their own while one is written.
A transaction ends only where a file ends, so no file is ever half imported: small files
(a Slack day) share one, of GROUP items or so, a big file has one of its own. A file that
cannot be read stops the import: its transaction is rolled back, the whole files read in it
before are written again and committed, and the summary names the file. Once committed,
the listeners that want history (the inquiry tracker) hear the new events in order, so what
is derived from live messages is derived from imported ones too. A dry run writes everything
in one transaction, counts, and rolls it all back.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.core.events import InboundEvent
from bot.core.export_files import BadExport, Export, ExportFile, Item, Skipped
from bot.core.import_summary import ImportSummary
from bot.core.read_ahead import FileEnd, items_of, read_ahead
from bot.store.raw_sql import fetch

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from bot.core.app import Steward

T = TypeVar("T")
CHUNK = 5000  # items read and written together
GROUP = 100_000  # items of small files committed together (a file's end is the cut)
KEPT = 20_000  # new events kept for the listeners; past that, the files are read again


class ImportProgress(Protocol):
    """Told as the import goes (from the import's own thread)."""

    def advanced(self, items: int) -> None: ...

    def file_done(self, file: ExportFile) -> None: ...


class _Quiet:
    def advanced(self, items: int) -> None:
        pass

    def file_done(self, file: ExportFile) -> None:
        pass


class HistoryImport:
    """Imports one opened export into `app`'s store; `run` returns what it did."""

    def __init__(
        self,
        app: Steward,
        export: Export,
        dry_run: bool = False,
        progress: ImportProgress | None = None,
    ) -> None:
        self.app = app
        self.export = export
        self.dry_run = dry_run
        self.progress = progress or _Quiet()
        self.writer = app.interactions.bulk_writer()
        self.summary = ImportSummary(export.platform, export.source, dry_run, len(export.files))
        self.summary.notes.extend(export.notes)
        self.summary.channels.update((c.platform, c.channel_id) for c in export.channels)
        self.wanted: frozenset[str] | None = frozenset()  # the channels listeners want
        self._stopping = threading.Event()  # cancelled: stop at the next chunk
        self._cancelled = False  # and the work under way finished all the same

    async def run(self) -> ImportSummary:
        """Import every file in order; stops at the first that cannot be read (named in the
        summary's `failed`). Other errors (the database's) are raised."""
        started = time.perf_counter()
        conn = await asyncio.to_thread(self.app.store.engine.connect)
        source = _Source(self.export.files)
        try:
            if self.dry_run:
                conn.begin()
            await self._on_thread(self._begin, conn)
            if not self.dry_run:  # a dry run tells the listeners nothing
                self.wanted = await self.app.history_channels(self.export.platform)
            while True:
                group = await self._on_thread(self._group, conn, source)
                self.summary.merge(group.tally)
                self.summary.imported.extend(file.name for file in group.files)
                if not self.dry_run:
                    await self._tell(group)
                if group.failed is not None:
                    self.summary.failed, self.summary.bad_file = str(group.failed), True
                if self._cancelled:
                    raise asyncio.CancelledError
                if group.failed is not None or group.last:
                    break
            await self._on_thread(self._finish, conn)
        finally:
            self.summary.seconds = time.perf_counter() - started
            await asyncio.to_thread(source.close)
            await asyncio.to_thread(_close, conn, self.dry_run)
        return self.summary

    async def _on_thread(self, work: Callable[..., T], *args: object) -> T:
        """`work(*args)` on a thread; if the import is cancelled meanwhile, the work stops at
        its next chunk (its transaction rolled back) and is waited for before going on."""
        running = asyncio.ensure_future(asyncio.to_thread(work, *args))
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            self._stopping.set()
            with contextlib.suppress(BaseException):
                await running
            if running.cancelled() or running.exception() is not None:
                raise
            self._cancelled = True  # it finished (committed) anyway: say so, then stop
            return running.result()

    # ---- on the import's thread -----------------------------------------------------------
    def _begin(self, conn: Connection) -> None:
        """Count what is there, and store the export's channels (so they are found by name)."""
        summary = self.summary
        refs = {(c.platform, c.channel_id): c for c in self.export.channels}
        with self._transaction(conn):
            summary.members_before, summary.channels_before = _counts(conn, self.export.platform)
            if refs:
                self.writer.directory.channel_ids(conn, refs)

    def _finish(self, conn: Connection) -> None:
        summary = self.summary
        summary.members_after, summary.channels_after = _counts(conn, self.export.platform)

    @contextmanager
    def _transaction(self, conn: Connection) -> Iterator[None]:
        """A transaction of its own; in a dry run, the one around everything."""
        if self.dry_run:
            yield
            return
        with conn.begin():
            yield

    def _group(self, conn: Connection, source: _Source) -> _Group:
        """Write and commit the next files, up to a file's end past GROUP items (or all)."""
        group = _Group(self.summary.platform, self.wanted)
        try:
            with self._transaction(conn):
                self._fill(conn, source, group)
        except BadExport as exc:
            if not self.dry_run:  # rolled back: nothing of it is kept, or told
                self._forget()
                whole, group = group.files, _Group(self.summary.platform, self.wanted)
                if whole:  # the whole files read before it, again
                    again = _Source(whole)
                    try:
                        with self._transaction(conn):
                            self._fill(conn, again, group, quiet=True)
                    finally:
                        again.close()
            group.failed = exc
        except BaseException:
            self._forget()
            raise
        return group

    def _fill(self, conn: Connection, source: _Source, group: _Group, quiet: bool = False) -> None:
        """Write chunks from `source` until a file ends past GROUP items, or all is read."""
        while (chunk := source.take()) is not None:
            if self._stopping.is_set():
                raise ImportStopped
            if group.items + len(chunk) >= GROUP:
                cut = _last_file_end(chunk)
                if cut is not None:
                    source.put_back(chunk[cut + 1 :])
                    self._write(conn, chunk[: cut + 1], group, quiet)
                    break
            self._write(conn, chunk, group, quiet)
        else:
            group.last = True
        self.writer.flush(conn)

    def _write(
        self, conn: Connection, chunk: list[Item | FileEnd], group: _Group, quiet: bool
    ) -> None:
        """Write a chunk's events (one batch), and count them file by file."""
        events: list[InboundEvent] = []
        parts: list[tuple[int, Counter[str], ExportFile | None]] = []  # where each file ends
        skipped: Counter[str] = Counter()
        for item in chunk:
            kind = type(item)
            if kind is FileEnd:
                parts.append((len(events), skipped, item.file))  # type: ignore[union-attr]
                skipped = Counter()
            elif kind is Skipped:
                skipped[item.reason] += 1  # type: ignore[union-attr]
            else:
                events.append(item)  # type: ignore[arg-type]
        parts.append((len(events), skipped, None))
        fresh = self.writer.write(conn, events, history=True) if events else []
        start = 0
        for end, skips, file in parts:
            group.add(events[start:end], fresh[start:end], skips)
            start = end
            if file is not None:
                group.file_done(file)
                if not quiet:
                    self.progress.file_done(file)
        group.items += len(chunk)
        if not quiet:
            self.progress.advanced(len(chunk) - len(parts) + 1)  # records, not file ends

    def _forget(self) -> None:
        """Rolled back: the ids and times the writer knew may be gone with it."""
        self.writer = self.app.interactions.bulk_writer()

    # ---- the listeners ----------------------------------------------------------------------
    async def _tell(self, group: _Group) -> None:
        """Hand the group's new events to the listeners (its files read again if many)."""
        if group.kept is not None:
            await self.app.tell_history(group.kept)
            return
        again = _Source(group.files)
        index = 0
        try:
            while (chunk := await self._on_thread(again.take)) is not None:
                new = []
                for item in chunk:
                    if not isinstance(item, Skipped | FileEnd):
                        if group.fresh[index] and group.wants(item):
                            new.append(item)
                        index += 1
                await self.app.tell_history(new)
        finally:
            await asyncio.to_thread(again.close)


class ImportStopped(Exception):
    """The import was cancelled: the files being written are rolled back."""


class _Source:
    """The files' items in chunks, read ahead; what a cut leaves over is taken first."""

    def __init__(self, files: list[ExportFile]) -> None:
        self.files = files
        self._chunks = read_ahead(items_of(files), CHUNK)
        self._left: list[Item | FileEnd] = []

    def take(self) -> list[Item | FileEnd] | None:
        if self._left:
            chunk, self._left = self._left, []
            return chunk
        return next(self._chunks, None)

    def put_back(self, items: list[Item | FileEnd]) -> None:
        self._left = items

    def close(self) -> None:
        self._chunks.close()


@dataclass
class _Group:
    """Files committed together: their tally, a flag for each event (new or not), and the
    new events in the channels the listeners want (`wanted`; None: all) up to KEPT of them
    (None past that: the files are read again for them)."""

    platform: str
    wanted: frozenset[str] | None
    files: list[ExportFile] = field(default_factory=list)
    tally: ImportSummary = field(init=False)
    reading: ImportSummary = field(init=False)  # the file being read, until its end
    fresh: bytearray = field(default_factory=bytearray)
    kept: list[InboundEvent] | None = field(default_factory=list)
    items: int = 0
    last: bool = False  # nothing left to read
    failed: BadExport | None = None

    def __post_init__(self) -> None:
        self.tally = ImportSummary(self.platform, "")
        self.reading = ImportSummary(self.platform, "")

    def wants(self, event: InboundEvent) -> bool:
        return self.wanted is None or event.channel.home_id in self.wanted

    def add(self, events: list[InboundEvent], fresh: list[bool], skipped: Counter[str]) -> None:
        """Events of the file being read (each new or not), and records it skipped."""
        self.reading.count(events, fresh)
        self.reading.skipped.update(skipped)
        self.fresh.extend(fresh)
        if self.kept is not None:
            wanted = self.wants
            self.kept.extend(e for e, new in zip(events, fresh, strict=True) if new and wanted(e))
            if len(self.kept) > KEPT:
                self.kept = None

    def file_done(self, file: ExportFile) -> None:
        self.files.append(file)
        self.tally.merge(self.reading)
        self.reading = ImportSummary(self.platform, "")


def _last_file_end(chunk: list[Item | FileEnd]) -> int | None:
    for index in range(len(chunk) - 1, -1, -1):
        if isinstance(chunk[index], FileEnd):
            return index
    return None


def _counts(conn: Connection, platform: str) -> tuple[int, int]:
    [(members,)] = fetch(conn, "SELECT count(*) FROM member WHERE platform = ?", [platform])
    [(channels,)] = fetch(conn, "SELECT count(*) FROM channel WHERE platform = ?", [platform])
    return members, channels


def _close(conn: Connection, dry_run: bool) -> None:
    if dry_run or conn.in_transaction():
        conn.rollback()
    conn.close()
