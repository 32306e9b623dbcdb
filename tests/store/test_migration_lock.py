"""Migrations under a lock: processes starting at once on an empty database all succeed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.store.database import alembic_config, make_engine, normalise_url
from tests.conftest import POSTGRES_URL


def _upgrade_at_once(url: str, processes: int = 2) -> list[str]:
    """Start `processes` processes that open (and so migrate) the database at once; the
    errors of those that failed. Real processes: Alembic's context is one per process."""
    started = [
        subprocess.Popen([sys.executable, "-c", _OPEN, url], stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    errors = [process.communicate(timeout=120)[1] for process in started]
    return [error for process, error in zip(started, errors, strict=True) if process.returncode]


_OPEN = "import sys; from bot.store.database import Store; Store.open(sys.argv[1]).close()"


def _at_heads(url: str) -> bool:
    """Whether every migration of every branch has been applied."""
    engine = make_engine(url)
    try:
        script = ScriptDirectory.from_config(alembic_config(engine))
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
        applied = {revision.revision for revision in script.iterate_revisions(current, "base")}
        return applied == {revision.revision for revision in script.walk_revisions()}
    finally:
        engine.dispose()


@pytest.fixture
def empty_postgres_url() -> Iterator[str]:
    """A PostgreSQL database of its own, with no tables at all."""
    if not POSTGRES_URL:
        pytest.skip(
            "STEWARD_TEST_POSTGRES_URL is not set (`.ci/run` sets it when a server answers)"
        )
    name = f"steward_migrate_{os.getpid()}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"cannot create a PostgreSQL database for the test: {exc}")
    yield make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_processes_starting_at_once_on_empty_postgresql_all_migrate(
    empty_postgres_url: str,
) -> None:
    assert _upgrade_at_once(empty_postgres_url) == []
    assert _at_heads(empty_postgres_url)


def test_processes_starting_at_once_on_a_new_sqlite_file_all_migrate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'steward.db'}"
    assert _upgrade_at_once(url) == []
    assert _at_heads(url)
