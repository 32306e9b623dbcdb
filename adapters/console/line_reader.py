"""Blocking reads (a script line, a prompt) off the event loop, in a thread that never blocks exit.

`asyncio.to_thread` would put the read on the loop's default executor, which `asyncio.run`
joins on the way out: a SIGTERM while the console waits for a line would then hang until the
next line arrives. A daemon thread is left behind instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


async def in_daemon_thread(read: Callable[..., T], *args: object) -> T:
    """Run the blocking `read(*args)` in a daemon thread and await its result."""
    loop = asyncio.get_running_loop()
    result: asyncio.Future[T] = loop.create_future()

    def settle(value: T | None, error: BaseException | None) -> None:
        if result.done():  # the reader was cancelled meanwhile
            return
        if error is not None:
            result.set_exception(error)
        else:
            result.set_result(value)  # type: ignore[arg-type]

    def work() -> None:
        value, error = None, None
        try:
            value = read(*args)
        except BaseException as exc:  # EOFError, KeyboardInterrupt: the caller decides
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop closed while we read
            loop.call_soon_threadsafe(settle, value, error)

    threading.Thread(target=work, name="console-reader", daemon=True).start()
    return await result
