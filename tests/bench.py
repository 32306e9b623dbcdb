"""`make bench`: one table — figure, value, baseline measured in the same run, ratio, target, pass.

Each module in MODULES has `run(sizes: Sizes) -> list[BenchRow]`. `make bench` writes the table
with the machine to benchmarks/results.json; `make bench QUICK=1` (`--quick`) runs the same
code on small sizes and writes to a temporary folder (or `--out`), never over the full run;
so does `--only NAME` (one module, e.g. `--only inquiry_stats`; repeatable): a partial table.

The ratio says how many times as fast as its baseline a figure is (for a rate: value ÷
baseline; for a time: baseline ÷ value), so above 1 is faster and below 1 slower.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmarks.import_child import peak_kb

MODULES = [
    "tests.benchmarks.ingest",
    "tests.benchmarks.ingest_postgres",
    "tests.benchmarks.console_lines",
    "tests.benchmarks.member_stats",
    "tests.benchmarks.inquiry_stats",
    "tests.benchmarks.calendar_due",
    "tests.benchmarks.poll_votes",
    "tests.benchmarks.history_import",
    "tests.benchmarks.digest",
    "tests.benchmarks.adapters",
]
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
CACHE = ROOT / "benchmarks" / ".cache"
COLUMNS = ("figure", "value", "baseline (same run)", "ratio (> 1: faster)", "target", "pass")
RATIO = "times as fast as the baseline (value/baseline for rates, baseline/value for times)"


@dataclass(frozen=True)
class Sizes:
    """How big each benchmark runs: the full run, or QUICK (the same code, small)."""

    quick: bool
    cache: Path = CACHE  # where built stores are kept between runs
    members: int = 5_000
    channels: int = 50
    ingest_events: int = 1_000_000  # through Steward.handle, 10,000 at once
    one_at_a_time_events: int = 3_000
    hobby_events: int = 2_000  # the hobby way is slow; its rate is steady after a few hundred
    console_lines: int = 2_000
    stats_rows: int = 1_000_000
    stats_calls: int = 1_000  # /stats me, poll vote clicks, /calendar list
    inquiries: int = 50_000  # added to the stats store
    inquiry_calls: int = 1_000
    calendar_posts: int = 10_000
    votes: int = 5_000  # clicks on one poll at once
    import_events: int = 1_000_000  # in each generated export (Slack, DiscordChatExporter)
    digest_rows: int = 1_000_000  # interactions in the digest's week
    adapter_events: int = 5_000  # on each platform, at 500 events/s (10 s)

    @classmethod
    def small(cls, cache: Path = CACHE) -> Sizes:
        return cls(
            quick=True,
            cache=cache,
            members=1_000,
            ingest_events=3_000,
            one_at_a_time_events=400,
            hobby_events=300,
            console_lines=50,
            stats_rows=20_000,
            stats_calls=60,
            inquiries=2_000,
            inquiry_calls=10,
            calendar_posts=1_000,
            votes=100,
            import_events=5_000,
            digest_rows=20_000,
            adapter_events=200,
        )


@dataclass(frozen=True)
class Target:
    """A pass mark on the value itself (`on="value"`) or on the ratio to the baseline."""

    op: str  # ">=", "<=" or "<"
    limit: float
    on: str = "value"
    unit: str = ""

    def text(self) -> str:
        sign = {">=": "≥", "<=": "≤", "<": "<"}[self.op]
        if self.on == "ratio":
            return f"{sign} {self.limit:g}× baseline"
        return f"{sign} {self.limit:g} {self.unit}".rstrip()

    def met(self, value: float, ratio: float | None) -> bool | None:
        subject = ratio if self.on == "ratio" else value
        if subject is None:
            return None
        return {
            ">=": subject >= self.limit,
            "<=": subject <= self.limit,
            "<": subject < self.limit,
        }[self.op]


@dataclass(frozen=True)
class BenchRow:
    """One measured figure beside the baseline measured in the same run."""

    name: str
    value: float
    unit: str  # "events/s" and other rates are better higher; times (ms) better lower
    baseline_name: str = ""
    baseline: float | None = None
    target: Target | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def higher_is_better(self) -> bool:
        return "/s" in self.unit

    @property
    def ratio(self) -> float | None:
        """Times as fast as the baseline (> 1 is faster)."""
        if not self.baseline or not self.value:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    @property
    def passed(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value, self.ratio)

    def cells(self) -> list[str]:
        baseline = (
            f"{self.baseline_name}: {_number(self.baseline)} {self.unit}"
            if self.baseline is not None
            else ""
        )
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else ""
        passed = {True: "yes", False: "NO", None: ""}[self.passed]
        target = self.target.text() if self.target else ""
        return [self.name, f"{_number(self.value)} {self.unit}", baseline, ratio, target, passed]

    def as_json(self) -> dict[str, object]:
        return {
            "figure": self.name,
            "value": _significant(self.value),
            "unit": self.unit,
            "better": "higher" if self.higher_is_better else "lower",
            "baseline": None
            if self.baseline is None
            else {"name": self.baseline_name, "value": _significant(self.baseline)},
            "ratio": None if self.ratio is None else _significant(self.ratio),
            "target": self.target.text() if self.target else None,
            "pass": self.passed,
            **({"notes": self.notes} if self.notes else {}),
        }


def _significant(value: float) -> float:
    return float(f"{value:.6g}")


def _number(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.2f}"


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of `repeats` runs of `work`, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def percentile(samples: list[float], fraction: float) -> float:
    """The `fraction` percentile (0.99 for p99) of `samples`, nearest rank."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def latency_rows(
    what: str,
    where: str,
    calls: str,
    ours: list[float],
    baseline: str,
    raw: list[float],
    target_ms: float,
    notes: dict[str, object] | None = None,
) -> list[BenchRow]:
    """A p99 row (with its target, on the value) and a p50 row for latencies in seconds:
    "`what` p99, `where` (`calls`)" beside "`baseline` p99", measured in the same run."""
    p99, p50 = (percentile(ours, q) * 1000 for q in (0.99, 0.5))
    return [
        BenchRow(
            f"{what} p99, {where} ({calls})",
            p99,
            "ms",
            f"{baseline} p99",
            percentile(raw, 0.99) * 1000,
            Target("<=", target_ms, unit="ms"),
            notes or {},
        ),
        BenchRow(f"{what} p50, {where}", p50, "ms", f"{baseline} p50", percentile(raw, 0.5) * 1000),
    ]


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def render_table(rows: list[BenchRow]) -> str:
    """The rows as one aligned text table with a header."""
    lines = [list(COLUMNS), *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    out = [
        " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in lines
    ]
    out.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in out)


def run_all(sizes: Sizes, modules: list[str] = MODULES) -> list[BenchRow]:
    rows: list[BenchRow] = []
    for name in modules:
        started = time.perf_counter()
        rows.extend(importlib.import_module(name).run(sizes))
        seconds, peak = time.perf_counter() - started, peak_kb() / 1024
        print(f"  {name}: {seconds:.1f} s (peak RSS so far {peak:.0f} MB)", file=sys.stderr)
    return rows


def memory_row() -> BenchRow:
    """The peak RSS of this benchmark process, and of its largest child beside it."""
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    return BenchRow(
        "memory: peak RSS of the benchmark process (VmHWM)",
        peak_kb() / 1024,
        "MB",
        target=Target("<=", 200, unit="MB"),
        notes={"largest child process, MB": round(child, 1)},
    )


def _selected(parser: argparse.ArgumentParser, names: list[str] | None) -> list[str]:
    """The MODULES that `--only` names (by full or last name); all of them without it."""
    if not names:
        return MODULES
    unknown = [n for n in names if not any(n in (m, m.rsplit(".", 1)[-1]) for m in MODULES)]
    if unknown:
        known = ", ".join(m.rsplit(".", 1)[-1] for m in MODULES)
        parser.error(f"no benchmark module {', '.join(unknown)} (there are: {known})")
    return [m for m in MODULES if any(n in (m, m.rsplit(".", 1)[-1]) for n in names)]


def main(argv: list[str] | None = None) -> Path:
    """Run every benchmark, print the table, write it as JSON; return the JSON's path."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes (also QUICK=1)")
    parser.add_argument("--out", type=Path, help="where to write results.json")
    parser.add_argument("--cache", type=Path, default=CACHE, help="where built stores are kept")
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this module (its last name: inquiry_stats); written to a temporary folder",
    )
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("QUICK", "") not in ("", "0")
    sizes = Sizes.small(args.cache) if quick else Sizes(quick=False, cache=args.cache)
    modules = _selected(parser, args.only)
    partial = "quick" if quick else "only"
    out = args.out or (
        Path(tempfile.gettempdir()) / f"steward-bench-{partial}.json"
        if quick or args.only
        else RESULTS
    )
    started = time.perf_counter()
    rows = [*run_all(sizes, modules), memory_row()]
    seconds = time.perf_counter() - started
    table = render_table(rows)
    print(table)
    info = machine()
    print(
        f"\n{'QUICK sizes; ' if quick else ''}{seconds:.0f} s on {info['cores']} cores, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['platform']}; "
        "ratio = times as fast as the baseline (> 1 faster)"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "quick": quick,
        **({"only": modules} if args.only else {}),
        "seconds": round(seconds, 1),
        "machine": info,
        "ratio": RATIO,
        "rows": [row.as_json() for row in rows],
        "table": table,
    }
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {out}", file=sys.stderr)
    return out


if __name__ == "__main__":
    main()
