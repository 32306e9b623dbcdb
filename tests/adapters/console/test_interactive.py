"""`make run` at a terminal: the interactive console with a prompt, on a pseudo-terminal."""

import os
import pty
import select
import subprocess
import sys
from pathlib import Path


def _read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    """Read from the terminal until `marker` shows (select waits for output, not for time)."""
    seen = b""
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            raise AssertionError(f"no {marker!r} on the terminal; saw {seen[-500:]!r}")
        seen += os.read(fd, 4096)
    return seen


def test_interactive_console_prompts_and_answers(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path), "TERM": "dumb"},
    )
    os.close(terminal)
    try:
        banner = _read_until(controller, b"you@#general> ")
        assert b"Steward console" in banner
        os.write(controller, b"hello there\r")
        assert b"#1 [general] you: hello there" in _read_until(controller, b"you@#general> ")
        os.write(controller, b":as mia manager\r")
        _read_until(controller, b"mia*@#general> ")
        os.write(controller, b"/stats me\r")
        assert b"Your engagement, mia" in _read_until(controller, b"mia*@#general> ")
        os.write(controller, b"\x04")  # Ctrl-D ends the session
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(controller)
    assert (tmp_path / ".steward_history").exists()
