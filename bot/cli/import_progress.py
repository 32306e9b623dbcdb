"""How an import shows its progress: a rich bar at a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from bot.core.export_files import Export, ExportFile

GUESS_BYTES = 400  # per record, before a file has been read whole
EVERY_SECONDS = 5.0  # between plain progress lines


class _Pace:
    """Files, records and bytes done; within a file, bytes estimated from records read."""

    def __init__(self, export: Export) -> None:
        self._all = export.files
        self.files = len(export.files)
        self.total = sum(f.size for f in export.files) or 1
        self.done_files = 0
        self.done_bytes = 0
        self.records = 0
        self._file_records = 0
        self._lock = threading.Lock()

    def advanced(self, items: int) -> None:
        with self._lock:
            self.records += items
            self._file_records += items

    def done(self, file: ExportFile) -> None:
        with self._lock:
            self.done_files += 1
            self.done_bytes += file.size
            self._file_records = 0

    def bytes_now(self) -> int:
        """Bytes read, the current file's estimated from its records so far."""
        with self._lock:
            if self.done_files >= self.files:
                return self.done_bytes
            reading = self._all[self.done_files]
            per_record = self.done_bytes / max(1, self.records - self._file_records)
            per_record = per_record if self.done_bytes else GUESS_BYTES
            return self.done_bytes + min(reading.size, int(self._file_records * per_record))


class BarProgress:
    """A rich progress bar (files, records, ETA) on the terminal's standard error."""

    def __init__(self, export: Export) -> None:
        self.pace = _Pace(export)
        self.bar = Progress(
            TextColumn("[bold]importing"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[files]} files · {task.fields[records]} records"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("import", total=self.pace.total, files="", records="")

    def __enter__(self) -> BarProgress:
        self.bar.start()
        self._show()
        return self

    def __exit__(self, *_: object) -> None:
        self.bar.stop()

    def advanced(self, items: int) -> None:
        self.pace.advanced(items)
        self._show()

    def file_done(self, file: ExportFile) -> None:
        self.pace.done(file)
        self._show()

    def _show(self) -> None:
        pace = self.pace
        self.bar.update(
            self.task,
            completed=pace.bytes_now(),
            files=f"{pace.done_files:,}/{pace.files:,}",
            records=f"{pace.records:,}",
        )


class LineProgress:
    """A plain line every few seconds (for logs and pipes), and one at the end."""

    def __init__(self, export: Export, out: TextIO | None = None) -> None:
        self.pace = _Pace(export)
        self.out = out or sys.stderr
        self.started_at = time.monotonic()
        self.shown_at = self.started_at

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pace.records:
            self._line()

    def advanced(self, items: int) -> None:
        self.pace.advanced(items)
        self._maybe_line()

    def file_done(self, file: ExportFile) -> None:
        self.pace.done(file)
        self._maybe_line()

    def _maybe_line(self) -> None:
        if time.monotonic() - self.shown_at >= EVERY_SECONDS:
            self._line()

    def _line(self) -> None:
        pace, now = self.pace, time.monotonic()
        self.shown_at = now
        elapsed = max(now - self.started_at, 1e-9)
        done = pace.bytes_now() / pace.total
        eta = f", about {elapsed * (1 - done) / done:.0f}s to go" if 0 < done < 1 else ""
        print(
            f"import: {pace.done_files:,}/{pace.files:,} files, {pace.records:,} records, "
            f"{pace.records / elapsed:,.0f}/s, {done:.0%}{eta}",
            file=self.out,
            flush=True,
        )


ImportProgressShown = BarProgress | LineProgress


def progress_for(export: Export) -> ImportProgressShown:
    """A bar at a terminal, else plain lines."""
    return BarProgress(export) if sys.stderr.isatty() else LineProgress(export)
