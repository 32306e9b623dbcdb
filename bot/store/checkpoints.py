"""SQLite's WAL checkpoints, on a thread of their own.

By default SQLite copies its write-ahead log into the database file (and syncs the file) on
whichever connection commits once the log holds 1,000 pages: that commit takes several
milliseconds longer. On the 1,000,000-interaction store that was one poll click in a hundred,
the click's p99. Here no connection checkpoints as it commits (`wal_autocheckpoint=0`, set by
bot.store.database on every connection); a commit wakes a thread that checkpoints PASSIVE
(never waiting for, nor blocking, a reader or a writer) PAUSE seconds later (the commits
meanwhile share it), and that leaves once the database has been quiet for IDLE seconds
(the next commit starts it again). Writers that never pause would keep a PASSIVE checkpoint
from ever catching up, and the log from starting again: past RESTART_FRAMES it is made to.
The last connection to close checkpoints what is left, as SQLite always does.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

PAUSE = 0.2  # seconds between checkpoints at most
IDLE = 5.0  # seconds without a commit after which the thread leaves
WAIT = 5.0  # seconds a RESTART waits for the writer and readers before it
RESTART_FRAMES = 16_384  # a WAL this long (64 MiB of 4 KiB pages) is made to start again


def watch(engine: Engine, database: str) -> Checkpoints:
    """Checkpoint the SQLite file `database` after `engine`'s commits, until it is disposed."""
    checkpoints = _OF[engine] = Checkpoints(database)
    event.listen(engine, "commit", checkpoints.committed)
    event.listen(engine, "engine_disposed", lambda _: checkpoints.close())
    return checkpoints


def of(engine: Engine) -> Checkpoints | None:
    """The checkpoints `watch` keeps for `engine` (None: not an SQLite file's)."""
    return _OF.get(engine)


class Checkpoints:
    """The checkpoints of one SQLite database file."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.done = 0  # checkpoints run
        self._ran = threading.Condition()
        self._wake = threading.Event()
        self._closed = threading.Event()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None

    def committed(self, *_: object) -> None:
        """A transaction was committed: a checkpoint is due (an engine's `commit` event)."""
        self._wake.set()
        thread = self._thread
        if (thread is None or not thread.is_alive()) and not self._closed.is_set():
            with self._starting:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(
                        target=self._run, name="sqlite-checkpoints", daemon=True
                    )
                    self._thread.start()

    def close(self) -> None:
        """Stop the thread (after the checkpoint it may be running)."""
        self._closed.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _run(self) -> None:
        """Checkpoint PAUSE seconds after a wake (the `commit` event comes just before the
        commit itself), and once more before leaving."""
        conn = sqlite3.connect(self.database, timeout=WAIT, check_same_thread=False)
        try:
            while self._wake.wait(IDLE) and not self._closed.is_set():
                self._wake.clear()
                self._closed.wait(PAUSE)
                self._checkpoint(conn)
            if not self._closed.is_set():
                self._checkpoint(conn)
        finally:
            conn.close()

    def wait(self, done: int, timeout: float) -> bool:
        """Whether `done` checkpoints have run, waiting up to `timeout` seconds for them."""
        with self._ran:
            return self._ran.wait_for(lambda: self.done >= done, timeout)

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        """PASSIVE; and when the log is still RESTART_FRAMES long (writers never paused for
        one to catch up, so none could start it again), RESTART: writers wait while it copies
        what is left (little, just after a PASSIVE one), then the log starts again."""
        try:
            _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if frames >= RESTART_FRAMES:
                conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
        except sqlite3.Error:
            log.exception("could not checkpoint %s", self.database)
        with self._ran:
            self.done += 1
            self._ran.notify_all()


_OF: WeakKeyDictionary[Engine, Checkpoints] = WeakKeyDictionary()
