"""Platform tests start Steward on a database file of their own: a copy of the session's
migrated template (tests/conftest.py), so no test pays for the migrations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters import running


@pytest.fixture(scope="session", autouse=True)
def migrated_template(sqlite_template: Path) -> Iterator[None]:
    running.TEMPLATE = sqlite_template
    yield
    running.TEMPLATE = None
