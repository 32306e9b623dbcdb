"""Engines, sessions and migrations for SQLite (WAL, the embedded default) and PostgreSQL."""

from __future__ import annotations

import asyncio
import fcntl
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session, create_engine

from bot.store import checkpoints, memory

T = TypeVar("T")
MIGRATIONS = Path(__file__).with_name("migrations")
WAL_KEPT = 64 * 1024 * 1024  # bytes of an SQLite WAL file kept once it starts again
URL_FORMS = "sqlite:///path/steward.db or postgresql://user@host/db"
MIGRATION_LOCK = 0x53_54_45_57_41_52_44  # "STEWARD": the PostgreSQL advisory lock's key
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


class DatabaseUnavailable(Exception):
    """The database cannot be opened; the one-line message names the URL, never its password."""


def redact_url(url: str) -> str:
    """`url` as it may be shown: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD.sub(r"\1***@", url)


def check_database_url(url: str) -> None:
    """Raise ValueError, naming the (redacted) URL, unless it is a SQLite or PostgreSQL URL."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise ValueError(f"{redact_url(url)!r} is not a database URL; write {URL_FORMS}") from None
    if parsed.drivername not in {"sqlite", "sqlite+pysqlite", "postgresql+psycopg"}:
        raise ValueError(
            f"{redact_url(url)!r}: Steward stores its data in SQLite or PostgreSQL; "
            f"write {URL_FORMS}"
        )


def normalise_url(url: str) -> str:
    """Accept `postgres://` and `postgresql://` and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL (checkpointed by bot.store.checkpoints), a busy
    timeout and foreign keys."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_pragmas)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        checkpoints.watch(engine, parsed.database)  # none as a connection commits
    return engine


def connect(url: str) -> Engine:
    """An engine for `url` that has answered once; DatabaseUnavailable (one line) otherwise."""
    engine = None
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
    except (DBAPIError, OSError) as exc:
        if engine is not None:
            engine.dispose()
        raise DatabaseUnavailable(
            f"cannot open the database {redact_url(url)}: {_reason(exc, url)}"
        ) from None
    return engine


def _reason(exc: DBAPIError | OSError, url: str) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) else exc
    lines = str(cause).strip().splitlines() or [type(cause).__name__]
    password = make_url(normalise_url(url)).password
    return lines[0].replace(password, "***") if password else lines[0]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL may wait for a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA wal_autocheckpoint=0")  # the engine's Checkpoints thread does it
    cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT}")  # a WAL started again shrinks
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration bound to `engine` (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision of every feature's migration branch.

    Under a lock, so that processes starting at once on one database do not race: the first
    migrates, the others wait and then find nothing to do. PostgreSQL: an advisory lock;
    SQLite: an exclusive lock on a file beside the database (`<name>.migrate.lock`).
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as lock:
            lock.exec_driver_sql("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
            try:
                command.upgrade(alembic_config(engine), "heads")
            finally:
                lock.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
        return
    with _file_lock(engine):
        command.upgrade(alembic_config(engine), "heads")


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock beside an SQLite file (none for an in-memory database)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        yield


class Store:
    """The database: sessions for sync work, `run` to do that work off the event loop."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> Store:
        """Open (and by default create or upgrade) the database at `url`."""
        engine = connect(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed at the end of the block (rolled back on error)."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def call(self, work: Callable[..., T], *args: object) -> T:
        """Run `work(session, *args)` in one transaction, here and now."""
        with self.session() as session:
            return work(session, *args)

    async def run(self, work: Callable[..., T], *args: object) -> T:
        """Run `work(session, *args)` in one transaction on a worker thread."""
        return await asyncio.to_thread(self.call, work, *args)

    def close(self) -> None:
        self.engine.dispose()
        memory.give_back()  # the connections' page caches
