"""Fixtures: a local fake Slack with a small workspace, and a config file pointing at it
(HTTP mode; `socket_config` for Socket Mode; `any_config` runs a test in both)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.adapters.slack.harness import FakeSlack, Workspace, populate, write_config


@pytest.fixture
async def space() -> AsyncIterator[Workspace]:
    fake = FakeSlack()
    shown = populate(fake)
    await fake.start()
    try:
        yield shown
    finally:
        await fake.stop()


@pytest.fixture
def config(space: Workspace, tmp_path: Path) -> Path:
    return write_config(tmp_path / "steward.toml", space, tmp_path / "steward.db")


@pytest.fixture
def socket_config(space: Workspace, tmp_path: Path) -> Path:
    return write_config(tmp_path / "steward.toml", space, tmp_path / "steward.db", "socket")


@pytest.fixture(params=["http", "socket"])
def any_config(request: pytest.FixtureRequest, space: Workspace, tmp_path: Path) -> Path:
    return write_config(tmp_path / "steward.toml", space, tmp_path / "steward.db", request.param)
