"""Shared fixtures: a console community driven in-process under a virtual clock."""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console.adapter import ConsoleAdapter
from bot.bootstrap import build_app
from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.core.config import CommunityConfig, Settings, StorageConfig
from bot.store.database import Store

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
POSTGRES_URL = os.environ.get("STEWARD_TEST_POSTGRES_URL")


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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'steward.db'}"


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


def reset_postgres(url: str) -> None:
    """Drop every table in the PostgreSQL test database, so a test starts from nothing."""
    from sqlalchemy import text

    from bot.store.database import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, db_url: str) -> str:
    """Each store test runs on SQLite, and on PostgreSQL when STEWARD_TEST_POSTGRES_URL is set."""
    if request.param == "sqlite":
        return db_url
    if not POSTGRES_URL:
        pytest.skip(
            "STEWARD_TEST_POSTGRES_URL is not set (`.ci/run` sets it when a server answers)"
        )
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL
