"""The console as users run it: a process reading a script, and one killed mid-way."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[3]
STEWARD = [sys.executable, "-m", "bot.cli"]


def _console(tmp_path: Path, *args: str) -> list[str]:
    return [*STEWARD, "console", "--db", f"sqlite:///{tmp_path / 'steward.db'}", *args]


def _run_until(tmp_path: Path, script: str, marker: str, *args: str) -> subprocess.Popen:
    """Start a console, feed it `script` with stdin left open, read until `marker` shows."""
    proc = subprocess.Popen(
        _console(tmp_path, *args),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(script)
    proc.stdin.flush()
    for out in proc.stdout:
        if marker in out:
            break
    return proc


def test_readme_script_prints_the_stats_reply(tmp_path: Path) -> None:
    script = "hello\n:as bob\n:reply 1 hi\n:react 1 👍\n/stats me\n"
    result = subprocess.run(
        _console(tmp_path, "--as", "alice"),
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "#1 [general] alice: hello" in out
    assert "Steward → bob (private): Your engagement, bob" in out
    assert "Replies: 1 · 1" in out
    assert "Reactions given: 1 · 1" in out
    assert "Messages: 0 · 0" in out
    assert result.stderr == ""


def test_bad_lines_are_explained_and_the_script_goes_on(tmp_path: Path) -> None:
    script = ":react 99 👍\n:in nowhere\n:frobnicate\n/stats me colour:red\nstill here\n"
    result = subprocess.run(
        _console(tmp_path), input=script, capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    out = result.stdout
    assert result.returncode == 0
    assert "! no message #99" in out
    assert "! no channel #nowhere; channels: general, help, announcements, managers" in out
    assert "! unknown directive :frobnicate" in out
    assert "`/stats me` has no option `colour`" in out
    assert "Usage: /stats me" in out
    assert "#3 [general] you: still here" in out
    assert "Traceback" not in out + result.stderr


def test_acknowledged_writes_survive_kill_9(tmp_path: Path) -> None:
    """Events whose handling finished are in the database even when the process is killed."""
    # the /help reply comes after every earlier event was committed
    proc = _run_until(
        tmp_path, "first message\n:as bob\n:react 1 🎉\n/help\n", "Steward help", "--as", "alice"
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    with sqlite3.connect(tmp_path / "steward.db") as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM interaction ORDER BY id")]
        members = {n for (n,) in db.execute("SELECT name FROM member")}
    assert kinds == ["message", "reaction_added", "command"]
    assert members == {"alice", "bob"}


def test_steward_run_without_platforms_runs_the_console(tmp_path: Path) -> None:
    result = subprocess.run(
        [*STEWARD, "run"],
        input="/help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env={**os.environ, "DISCORD_TOKEN": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "Steward → you (private): Steward help" in result.stdout
    assert (tmp_path / "steward.db").exists()


def test_sigterm_stops_cleanly_with_everything_written(tmp_path: Path) -> None:
    proc = _run_until(tmp_path, "hello\n:react 1 👍\n/help\n", "Steward help")
    proc.send_signal(signal.SIGTERM)  # stdin stays open: the console is waiting for a line
    assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()
    with sqlite3.connect(tmp_path / "steward.db") as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM interaction ORDER BY id")]
    assert kinds == ["message", "reaction_added", "command"]
