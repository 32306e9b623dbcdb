"""`make bench`: each benchmark prints its figure and its ratio to a raw baseline from the same run.

A benchmark module in tests/benchmarks/ has `run() -> list[BenchRow]`; list it in MODULES.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass

MODULES = [  # helpers append theirs
    "tests.benchmarks.interaction_log",
    "tests.benchmarks.poll_votes",
    "tests.benchmarks.calendar_due",
]


@dataclass(frozen=True)
class BenchRow:
    """One measured figure beside its raw baseline (lower is better for `ms`, higher for `/s`)."""

    name: str
    value: float
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    limit: str = ""  # the target, in words ("< 5 ms")

    def ratio(self) -> str:
        if not self.baseline:
            return ""
        return f"{self.value / self.baseline:.2f}× {self.baseline_name}"


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of `repeats` runs of `work`, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    print(f"{'benchmark':<52} {'figure':>14}  {'ratio to baseline':<34} target")
    for name in MODULES:
        for row in importlib.import_module(name).run():
            figure = f"{row.value:,.3f} {row.unit}"
            print(f"{row.name:<52} {figure:>14}  {row.ratio():<34} {row.limit}")


if __name__ == "__main__":
    main()
