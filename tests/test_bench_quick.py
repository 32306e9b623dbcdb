"""`make bench QUICK=1` runs in the suite, so the benchmarks cannot rot.

This checks that the table has every figure and is well-formed, not that targets pass: the
figures of a loaded test machine say little.
"""

import json
import os
import subprocess
import sys

import pytest

from tests.bench import COLUMNS, RESULTS, ROOT

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

FIGURES = (
    "ingest: Steward.deliver, concurrent",
    "ingest: asyncio alone",
    "ingest: raw executemany, same table",
    "ingest: raw executemany, same columns, no index or UNIQUE",
    "ingest: raw executemany, minimal 4-column table",
    "ingest: hobby way, one SQLModel session + commit per event",
    "ingest: concurrent Steward.deliver vs the hobby way",
    "ingest: Steward.handle, one event awaited at a time",
    "console: plain message line, in-process",
    "console: plain message line, `steward console` process",
    "/stats me p99",
    "/stats me p50",
    "poll vote click p99",
    "poll vote click p50",
    "/calendar list p99",
    "/calendar list p50",
    "/inquiries stats days:30 p99",
    "/inquiries stats days:30 p50",
    "/inquiries stats days:30, a question of yesterday answered before each call p99",
    "/inquiries stats days:30, a question of yesterday answered before each call p50",
    "calendar: store",
    "calendar: next-due query",
    "calendar: posts due in the next hour",
    "calendar: start-up",
    "poll: vote burst",
    "poll: click-to-acknowledge p99 when all",
    "poll: click-to-acknowledge p99, ",
    "poll: message edits for that burst",
    "poll: results chart",
    "import: Slack export",
    "import memory: Slack export, peak RSS",
    "import: DiscordChatExporter JSON",
    "import memory: DiscordChatExporter JSON, peak RSS",
    "weekly digest, every section and the chart",
    "weekly digest against one scan of its week",
    "weekly digest: peak RSS of its process",
    "adapters: Slack event POSTs recorded",
    "adapters: Slack event ack p99",
    "adapters: Discord MESSAGE_CREATE recorded",
    "adapters: Discord dispatch-to-recorded p99",
    "memory: peak RSS of the benchmark process",
)
if os.environ.get("STEWARD_TEST_POSTGRES_URL"):  # a PostgreSQL server to measure on
    FIGURES += (
        "ingest PostgreSQL: Steward.deliver, concurrent",
        "ingest PostgreSQL: raw psycopg COPY, same table",
        "ingest PostgreSQL: raw psycopg executemany, same table",
    )


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One `make bench QUICK=1` run, written to a temporary folder (never over the full run's)."""
    folder = tmp_path_factory.mktemp("bench")
    full_run = RESULTS.stat().st_mtime_ns if RESULTS.exists() else None
    out = folder / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench", "--quick", "--out", str(out), "--cache", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (RESULTS.stat().st_mtime_ns if RESULTS.exists() else None) == full_run
    result = json.loads(out.read_text())
    assert result["table"] in done.stdout
    return result


def test_every_figure_is_in_the_results_once(quick_run) -> None:
    result = quick_run
    figures = [row["figure"] for row in result["rows"]]
    for fragment in FIGURES:
        assert sum(f.startswith(fragment) for f in figures) == 1, fragment
    assert len(figures) == len(FIGURES)
    assert result["quick"] is True
    assert set(result["machine"]) >= {"cores", "python", "sqlite", "platform"}


def test_each_row_is_well_formed(quick_run) -> None:
    result = quick_run
    for row in result["rows"]:
        assert row["value"] >= 0 and row["unit"], row
        assert row["better"] == ("higher" if "/s" in row["unit"] else "lower"), row
        baseline = row["baseline"]
        if baseline is None:
            assert row["ratio"] is None, row
        else:
            assert baseline["name"] and baseline["value"] > 0, row
            expected = (
                row["value"] / baseline["value"]
                if row["better"] == "higher"
                else baseline["value"] / row["value"]
            )
            assert row["ratio"] == pytest.approx(expected, rel=0.01), row
        assert (row["pass"] is None) == (row["target"] is None), row


def test_the_table_is_printed_with_one_line_per_figure(quick_run) -> None:
    result = quick_run
    header, rule, *body = result["table"].splitlines()
    assert [cell.strip() for cell in header.split("|")] == list(COLUMNS)
    assert set(rule) <= {"-", "+"}
    for line, row in zip(body, result["rows"], strict=True):
        assert line.startswith(row["figure"])
        assert line.count("|") == len(COLUMNS) - 1
