"""Shared fixtures: communities in-process under a virtual clock (`recorded`: the neutral
messages, for feature tests; `community`: the console's rendering), and migrated databases
(a template copied per test on SQLite, one emptied per test on PostgreSQL)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapters.console.adapter import ConsoleAdapter
from bot.bootstrap import build_app
from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.core.config import CommunityConfig, Settings, StorageConfig
from bot.store.database import MIGRATIONS, Store
from tests.recording import Recorded, RecordingAdapter

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
POSTGRES_URL = os.environ.get("STEWARD_TEST_POSTGRES_URL")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked `slow` first: each pytest-xdist worker takes a whole module, so the
    longest ones start at once rather than last, and the workers finish together."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


class Community:
    """A console community in-process: feed it script lines, read what was printed."""

    def __init__(self, app: Steward, adapter: ConsoleAdapter, out: io.StringIO) -> None:
        self.app = app
        self.adapter = adapter
        self._out = out
        self._read = 0

    async def run(self, script: str) -> str:
        """Feed each line of `script`; return everything printed meanwhile."""
        for line in script.strip("\n").splitlines():
            await self.adapter.feed(line)
        return self.new_output()

    def new_output(self) -> str:
        text = self._out.getvalue()
        new, self._read = text[self._read :], len(text)
        return new

    @property
    def clock(self) -> VirtualClock:
        return self.app.clock  # type: ignore[return-value]


async def open_community(
    settings: Settings, start: datetime = START, member: str = "you"
) -> Community:
    """Build, migrate and start a console community; the caller stops it."""
    out = io.StringIO()
    app = build_app(settings, VirtualClock(start), Store.open(settings.storage.url))
    adapter = ConsoleAdapter(
        settings.console, out=out, member=member, zone_name=settings.community.timezone
    )
    app.add_adapter(adapter)
    await app.start()
    return Community(app, adapter, out)


def make_settings(db_url: str, timezone: str = "UTC", **sections) -> Settings:
    return Settings().replace(
        storage=StorageConfig(url=db_url), community=CommunityConfig(timezone=timezone), **sections
    )


def migrations_key() -> str:
    """A digest of every migration file: a new or edited migration means a new template."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to heads per session; tests get a copy of it."""
    path = tmp_path_factory.getbasetemp() / f"template-{migrations_key()}.db"
    store = Store.open(f"sqlite:///{path}")
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    store.close()
    return path


@pytest.fixture
def db_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh SQLite database already at heads (a copy of the session's template)."""
    path = tmp_path / "steward.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture
async def community(settings: Settings) -> AsyncIterator[Community]:
    """A console community at START (Monday 2026-03-02 09:00 UTC), member `you` in #general."""
    c = await open_community(settings)
    yield c
    await c.app.stop()
    c.app.store.close()


async def open_recorded(settings: Settings, start: datetime = START) -> Recorded:
    """Build, migrate and start a community on a recording adapter; the caller stops it."""
    adapter = RecordingAdapter(
        names=settings.console.channels, admin_channel=settings.console.admin_channel
    )
    app = build_app(settings, VirtualClock(start), Store.open(settings.storage.url))
    app.add_adapter(adapter)
    await app.start()
    return Recorded(app, adapter)


@pytest.fixture
async def recorded(settings: Settings) -> AsyncIterator[Recorded]:
    """A recorded community at START (Monday 2026-03-02 09:00 UTC); members act in #general."""
    r = await open_recorded(settings)
    yield r
    await r.app.stop()
    r.app.store.close()


def reset_postgres(url: str) -> None:
    """Drop every table in the PostgreSQL test database, so a test starts from nothing."""
    from sqlalchemy import text

    from bot.store.database import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def _session_database(url: str) -> tuple[str, Callable[[], None]]:
    """A database of this test process's own next to `url` (so concurrent runs, and each
    pytest-xdist worker, do not meet), and how to drop it; `url` itself when the server does
    not let us create one, which only a serial run can share (each test empties it)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bot.store.database import make_engine, normalise_url

    name = f"steward_test_{os.getpid()}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")

    def run(sql: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(sql))

    try:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        run(f"CREATE DATABASE {name}")
        run(f"ALTER DATABASE {name} SET synchronous_commit TO off")  # a test's data: no fsync
    except Exception as refused:  # no CREATEDB right: share the configured database
        admin.dispose()
        if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
            raise RuntimeError(
                f"cannot create {name} ({getattr(refused, 'orig', refused)}): parallel workers "
                "would share and empty one database; grant CREATEDB or run serially (`-n 0`)"
            ) from refused
        return url, lambda: None
    own = make_url(normalise_url(url)).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        run(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()

    return own, drop


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[str, Engine]]:
    """A PostgreSQL database migrated once per session; each test empties its tables."""
    if not POSTGRES_URL:
        pytest.skip(
            "STEWARD_TEST_POSTGRES_URL is not set (`.ci/run` sets it when a server answers)"
        )
    url, drop = _session_database(POSTGRES_URL)
    reset_postgres(url)
    store = Store.open(url)
    yield url, store.engine
    store.close()
    drop()


def empty_postgres(engine: Engine) -> None:
    """Delete every row (children first) and restart every id sequence: a migrated, empty
    database, as a fresh upgrade leaves it, for a fraction of the cost."""
    from sqlalchemy import text
    from sqlmodel import SQLModel

    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(
            text(
                "SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, "
                "false) FROM pg_sequences WHERE schemaname = 'public'"
            )
        )


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, db_url: str) -> str:
    """Each store test runs on SQLite, and on PostgreSQL when STEWARD_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return db_url
    url, engine = request.getfixturevalue("postgres_template")
    empty_postgres(engine)
    return url
