"""Console script mode: time per plain message line, in-process and as a whole process.

In-process, lines go to the console adapter as a script would feed them (each line is
recorded, then due work is looked for). The baseline is the same app asking every job for its
next due time after each line, as it did before due times were cached. The process figure runs
`steward console` on the same script and times its lines as they are printed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bot.core.app import Steward
from tests.bench import BenchRow, Sizes, Target
from tests.benchmarks.community import migrated_copy
from tests.conftest import make_settings, open_community

WARM_UP = 50
PROCESS_LIMIT = 300  # seconds


async def _per_line(path: Path, lines: int, cached: bool) -> float:
    community = await open_community(make_settings(f"sqlite:///{path}"))
    if not cached:
        _ask_every_time(community.app)
    for n in range(WARM_UP):
        await community.adapter.feed(f"warming up {n}")
    start = time.perf_counter()
    for n in range(lines):
        await community.adapter.feed(f"hello, this is line {n}")
    elapsed = time.perf_counter() - start
    await community.app.stop()
    community.app.store.close()
    return elapsed / lines


def _ask_every_time(app: Steward) -> None:
    """Forget the cached due times before each look for due work."""
    runner = app.jobs
    run_due = runner.run_due

    async def uncached() -> int:
        runner.work_added()
        return await run_due()

    runner.run_due = uncached  # type: ignore[method-assign]


def _process_per_line(path: Path, lines: int) -> tuple[float, float]:
    """(ms per line, seconds until the first line was shown) of one `steward console` run.

    Lines are timed from the first one printed to the last, so start-up and exit are not in
    the figure (the console flushes every line it prints).
    """
    script = path.with_suffix(".script")
    script.write_text("".join(f"hello, this is line {n}\n" for n in range(lines)))
    command = [sys.executable, "-m", "bot.cli", "console", "--db", f"sqlite:///{path}"]
    started = time.perf_counter()
    with script.open() as stdin:
        proc = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, text=True)
        watchdog = threading.Timer(PROCESS_LIMIT, proc.kill)  # a hung console ends the read
        watchdog.start()
        assert proc.stdout is not None
        shown = [time.perf_counter() for line in proc.stdout if "hello, this is line" in line]
        returncode = proc.wait()
        watchdog.cancel()
    if returncode != 0 or len(shown) != lines:
        raise AssertionError(f"the console run failed ({returncode}, {len(shown)} lines)")
    return (shown[-1] - shown[0]) / (lines - 1) * 1000, shown[0] - started


def run(sizes: Sizes) -> list[BenchRow]:
    lines = sizes.console_lines
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cached = asyncio.run(_per_line(migrated_copy(sizes.cache, folder / "a.db"), lines, True))
        uncached = asyncio.run(_per_line(migrated_copy(sizes.cache, folder / "b.db"), lines, False))
        process, startup = _process_per_line(migrated_copy(sizes.cache, folder / "c.db"), lines)
    return [
        BenchRow(
            f"console: plain message line, in-process ({lines:,} lines)",
            cached * 1000,
            "ms",
            "due times asked after every line",
            uncached * 1000,
            Target("<=", 2, unit="ms"),
        ),
        BenchRow(
            f"console: plain message line, `steward console` process ({lines:,} lines)",
            process,
            "ms",
            target=Target("<=", 2, unit="ms"),
            notes={"startup_seconds": round(startup, 2)},
        ),
    ]
