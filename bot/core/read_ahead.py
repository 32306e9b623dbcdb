"""An export's files read on a thread of their own, in chunks, ahead of the writer."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.core.export_files import BadExport, ExportFile, Item

READ_AHEAD = 3  # chunks read while one is written


@dataclass(frozen=True, slots=True)
class FileEnd:
    """Every item of `file` has been read."""

    file: ExportFile


def items_of(files: Sequence[ExportFile]) -> Iterator[Item | FileEnd]:
    """The files' items in order, each file followed by its FileEnd; a reader's own error
    (something its format checks missed) is BadExport naming the file, like any other."""
    for file in files:
        try:
            yield from file.read()
        except BadExport:
            raise
        except Exception as exc:
            problem = f"could not be read ({type(exc).__name__}: {exc})"
            raise BadExport(file.name, problem) from exc
        yield FileEnd(file)


_END = object()


def read_ahead(items: Iterator[Item | FileEnd], size: int) -> Iterator[list[Item | FileEnd]]:
    """`items` in lists of `size`, read on a thread of their own up to READ_AHEAD lists
    ahead of the caller; an error reading is raised here, after the items before it."""
    chunks: queue.Queue[object] = queue.Queue(maxsize=READ_AHEAD)
    stop = threading.Event()

    def produce() -> None:
        chunk: list[Item | FileEnd] = []
        try:
            for item in items:
                chunk.append(item)
                if len(chunk) >= size:
                    if not _put(chunks, chunk, stop):
                        return
                    chunk = []
            ending: object = _END
        except BaseException as exc:  # handed over, raised by the caller after the chunk
            ending = exc
        if chunk and not _put(chunks, chunk, stop):
            return
        _put(chunks, ending, stop)

    reader = threading.Thread(target=produce, name="import-reader", daemon=True)
    reader.start()
    try:
        while (got := chunks.get()) is not _END:
            if isinstance(got, BaseException):
                raise got
            yield got  # type: ignore[misc]
    finally:
        stop.set()
        reader.join()


def _put(chunks: queue.Queue[object], item: object, stop: threading.Event) -> bool:
    """Queue `item` unless the caller stopped reading; whether it was queued."""
    while not stop.is_set():
        try:
            chunks.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
