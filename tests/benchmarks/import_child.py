"""`steward import …` in a process of its own that reports its own peak memory.

`python -m tests.benchmarks.import_child ARGS…` runs the `steward` command line with ARGS,
then prints `peak RSS kB: N` on standard error: the process's VmHWM, which counts only what
this program touched (the wait4 figure of a forked child also counts its parent's pages,
shared at the fork)."""

from __future__ import annotations

import sys
from pathlib import Path


def peak_kb() -> int:
    """This process's peak resident set size, in kB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    from bot.cli.main import cli

    sys.argv = ["steward", *sys.argv[1:]]
    try:
        cli()
    finally:
        print(f"peak RSS kB: {peak_kb()}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
