"""No commit copies the WAL into the database file itself (the slow commit behind a click's
p99): a thread of the store's does, after commits, and what was committed reaches the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from bot.store import checkpoints
from bot.store.database import Store

ROWS = 3_000  # about 1,500 pages of WAL: past SQLite's own 1,000-page checkpoint


def _in_the_file(path: Path) -> int:
    """Rows of `note` in the database file alone (its WAL not read)."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM note").fetchone()[0]
    except sqlite3.OperationalError:  # the table itself is still only in the WAL
        return 0
    finally:
        conn.close()


def test_commits_leave_the_checkpoint_to_the_stores_thread(tmp_path: Path) -> None:
    path = tmp_path / "steward.db"
    store = Store.open(f"sqlite:///{path}", migrate=False)
    watched = checkpoints.of(store.engine)
    assert watched is not None
    watched.close()  # no thread: what the commits themselves do is all that happens
    with store.engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    for n in range(ROWS):
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": f"{n:04d}" * 200})
    assert _in_the_file(path) == 0  # every page still in the WAL
    store.close()  # the last connection's close checkpoints, as SQLite always does
    assert _in_the_file(path) == ROWS


def _with_notes(path: Path) -> tuple[Store, checkpoints.Checkpoints]:
    """A store on `path` with a `note` table, and its checkpoints."""
    store = Store.open(f"sqlite:///{path}", migrate=False)
    watched = checkpoints.of(store.engine)
    assert watched is not None
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
    return store, watched


def test_the_stores_thread_checkpoints_after_commits(tmp_path: Path) -> None:
    path = tmp_path / "steward.db"
    store, watched = _with_notes(path)
    with store.engine.begin() as conn:
        conn.execute(text("INSERT INTO note (body) VALUES ('first')"))
    assert watched.wait(1, timeout=30)
    assert _in_the_file(path) == 1  # while the store is still open
    store.close()


def test_an_in_memory_store_has_no_checkpoints() -> None:
    store = Store.open("sqlite://", migrate=False)
    assert checkpoints.of(store.engine) is None
    store.close()


def test_a_log_written_without_pause_starts_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(checkpoints, "RESTART_FRAMES", 200)
    monkeypatch.setattr(checkpoints, "PAUSE", 0.01)
    path = tmp_path / "steward.db"
    store, watched = _with_notes(path)
    longest = 0
    while watched.done < 20:  # a writer that never pauses, while the thread checkpoints
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": "x" * 3000})
        longest = max(longest, (tmp_path / "steward.db-wal").stat().st_size)
    store.close()
    assert _in_the_file(path) > 0
    assert longest < 2_000 * 4096  # a few RESTART_FRAMES long at most, not the whole run
