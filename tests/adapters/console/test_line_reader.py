"""A console waiting for its next script line still stops when told to (SIGTERM cancels it)."""

import asyncio
import threading

import pytest

from adapters.console.line_reader import in_daemon_thread


class BlockedStdin:
    """A script whose next line never comes; says when the console starts waiting for it."""

    def __init__(self) -> None:
        self.waiting = threading.Event()
        self.release = threading.Event()

    def readline(self) -> str:
        self.waiting.set()
        self.release.wait()
        return ""


def test_a_run_cancelled_while_waiting_for_a_line_ends() -> None:
    stdin = BlockedStdin()

    async def serve() -> None:
        reading = asyncio.create_task(in_daemon_thread(stdin.readline))
        await asyncio.to_thread(stdin.waiting.wait)
        reading.cancel()  # what the SIGTERM handler does to the serving task

    runner = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    runner.start()
    runner.join(timeout=20)
    stopped = not runner.is_alive()
    stdin.release.set()
    assert stopped, "asyncio.run did not return while a line was being read"


async def test_a_line_read_arrives_and_an_error_is_raised_here() -> None:
    assert await in_daemon_thread(lambda: "hello\n") == "hello\n"

    def closed() -> str:
        raise EOFError

    with pytest.raises(EOFError):
        await in_daemon_thread(closed)
