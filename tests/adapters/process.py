"""`steward run --config` as a process of its own, as a community manager starts it: its
tokens come from the config alone (none from this environment), its log on stderr."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")


async def start(config: Path) -> asyncio.subprocess.Process:
    """`steward run --config CONFIG`, started."""
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", "--config", str(config),
        cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


async def ready(process: asyncio.subprocess.Process, marker: bytes) -> None:
    """Wait until the process logs a line holding `marker` (`b"Slack: ready"`) on stderr."""
    assert process.stderr is not None
    while True:
        line = await asyncio.wait_for(process.stderr.readline(), timeout=30)
        assert line, "steward run ended before it was ready"
        if marker in line:
            return


async def terminate(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """SIGTERM, as a service manager stops it: the exit code and what it printed on stderr."""
    process.send_signal(signal.SIGTERM)
    _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    return process.returncode or 0, err.decode()


@contextlib.asynccontextmanager
async def running(config: Path, marker: bytes) -> AsyncIterator[asyncio.subprocess.Process]:
    """`steward run` from its ready line (holding `marker`) until the block ends, then
    SIGTERM: it must exit 0 without a traceback."""
    process = await start(config)
    try:
        await ready(process, marker)
        yield process
    finally:
        code, err = await terminate(process)
    assert code == 0, err
    assert "Traceback" not in err


async def refused(config: Path) -> tuple[int | None, str]:
    """Run until `steward run` gives up: its exit code and everything it printed."""
    process = await start(config)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    return process.returncode, out.decode() + err.decode()
