"""Blocking reads (a script line, a prompt) off the event loop, in a thread that never blocks exit.

`asyncio.to_thread` would put the read on the loop's default executor, which `asyncio.run`
joins on the way out: a SIGTERM while the console waits for a line would then hang until the
next line arrives. One daemon thread does the reads instead and is left behind at exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class _DaemonReader:
    """One daemon thread that runs blocking reads in the order they are asked for."""

    def __init__(self) -> None:
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, loop: asyncio.AbstractEventLoop, result: asyncio.Future, read, args) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="console-reader")
                self._thread.daemon = True
                self._thread.start()
        self._requests.put((loop, result, read, args))

    def _serve(self) -> None:
        while True:
            loop, result, read, args = self._requests.get()
            value, error = None, None
            try:
                value = read(*args)
            except BaseException as exc:  # EOFError, KeyboardInterrupt: the caller decides
                error = exc
            with contextlib.suppress(RuntimeError):  # the loop closed while we read
                loop.call_soon_threadsafe(_settle, result, value, error)


def _settle(result: asyncio.Future, value: object, error: BaseException | None) -> None:
    if result.done():  # the reader was cancelled meanwhile
        return
    if error is not None:
        result.set_exception(error)
    else:
        result.set_result(value)


_reader = _DaemonReader()  # no thread until the first read


async def in_daemon_thread(read: Callable[..., T], *args: object) -> T:
    """Run the blocking `read(*args)` on the reader's daemon thread and await its result."""
    loop = asyncio.get_running_loop()
    result: asyncio.Future[T] = loop.create_future()
    _reader.submit(loop, result, read, args)
    return await result
