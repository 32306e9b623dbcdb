"""kill -9 and restart: every occurrence is published exactly once, or reported to managers.

Two real `steward console` processes share one database (a SQLite file; PostgreSQL too when
STEWARD_TEST_POSTGRES_URL is set). The first schedules posts and is killed with SIGKILL; the
second starts with its clock later (`--now`), so it finds what fell due while nothing ran.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bot.store.database import make_engine

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

STEWARD = str(Path(sys.executable).with_name("steward"))
MANAGER = ":as ann manager\n:in managers\n"
_POSTED = re.compile(r"^#\d+ \[general\] Steward \[article\]: (\S+)$", re.MULTILINE)


class Console:
    """A `steward console` subprocess fed line by line; its output is collected as it comes."""

    def __init__(self, db: str, now: str) -> None:
        self.process = subprocess.Popen(
            [STEWARD, "console", "--db", db, "--now", now],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._seen:
                self.lines.append(line)
                self._seen.notify_all()
        with self._seen:
            self._seen.notify_all()

    def send(self, script: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(script.strip("\n") + "\n")
        self.process.stdin.flush()

    def wait_for(self, pattern: str, count: int = 1, timeout: float = 60) -> None:
        """Block until `count` output lines match `pattern` (or fail after `timeout` s)."""
        regex = re.compile(pattern)
        with self._seen:
            done = self._seen.wait_for(
                lambda: (
                    sum(bool(regex.search(line)) for line in self.lines) >= count
                    or self.process.poll() is not None
                ),
                timeout,
            )
        assert done and self.process.poll() is None, "".join(self.lines)

    def kill(self) -> str:
        self.process.kill()  # SIGKILL: no cleanup, no flush
        self.process.wait(timeout=30)
        return "".join(self.lines)

    def finish(self) -> str:
        assert self.process.stdin is not None
        self.process.stdin.close()
        assert self.process.wait(timeout=60) == 0, "".join(self.lines)
        return "".join(self.lines)


def _rows(db: str) -> list[tuple[str, str, str]]:
    """(post text, occurs_at, status) of every occurrence row."""
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT p.text, o.occurs_at, o.status FROM calendaroccurrence o "
                "JOIN calendarpost p ON p.id = o.post_id ORDER BY o.occurs_at, p.id"
            )
            return [tuple(row) for row in found]
    finally:
        engine.dispose()


def test_killed_between_posts_then_restarted_later(any_db_url: str) -> None:
    db = any_db_url
    first = Console(db, "2026-03-02T08:00Z")
    first.send(
        MANAGER
        + "\n".join(
            f"/calendar add when:{when} channel:general type:article text:{text}{repeat}"
            for when, text, repeat in [
                ("09:00", "A", ""),
                ("10:00", "B", ""),
                ("11:00", "C", " repeat:daily"),
                ("12:30", "D", ""),
                ("14:00", "E", ""),
            ]
        )
        + "\n:advance 2h"
    )
    first.wait_for(r"^— now Mon 2026-03-02 10:00 UTC")
    before = first.kill()

    second = Console(db, "2026-03-02T13:00Z")
    second.send(":now\n:advance 2h")
    after = second.finish()

    assert _POSTED.findall(before) == ["A", "B"]
    assert _POSTED.findall(after) == ["D", "E"]
    assert (
        "== Missed — more than 1h late, not sent ==\n"
        "    #3 [article] Mon 2026-03-02 11:00 UTC in #general\n"
        "    == Sent late ==\n"
        "    #4 [article] Mon 2026-03-02 12:30 UTC in #general — sent 30m late" in after
    )
    assert [(text, status) for text, _, status in _rows(db)] == [
        ("A", "sent"),
        ("B", "sent"),
        ("C", "missed"),
        ("D", "sent"),
        ("E", "sent"),
    ]


def test_killed_in_the_middle_of_publishing(any_db_url: str) -> None:
    """Killed at an arbitrary point while posts go out: never twice; missing ones are reported."""
    db = any_db_url
    first = Console(db, "2026-03-02T08:00Z")
    adds = [
        f"/calendar add when:+{minutes}m channel:general type:article text:P{minutes}"
        for minutes in range(10, 410, 10)
    ]
    first.send(MANAGER + "\n".join(adds) + "\n:advance 8h")
    first.wait_for(r"\[general\] Steward \[article\]: P", count=15)
    before = first.kill()

    second = Console(db, "2026-03-02T14:00Z")  # 6h later: P10..P300 are over an hour late
    second.send(":now\n:advance 3h")
    after = second.finish()

    printed = _POSTED.findall(before) + _POSTED.findall(after)
    assert len(printed) == len(set(printed)), "a post went out twice"
    rows = _rows(db)
    assert len(rows) == 40  # every occurrence was handled exactly once in the database
    reported = after.split("fell due while Steward was not running")[-1]
    for text, _, status in rows:
        if status == "sent":
            assert printed.count(text) == 1, text
        elif status == "missed":
            assert text not in printed
        else:
            assert status == "unconfirmed", (text, status)
            assert "may not have been sent" in after
    assert {status for _, _, status in rows} <= {"sent", "missed", "unconfirmed"}
    assert "Missed — more than 1h late" in reported
