"""Upgrading a calendar that stored channels and people by name: ids where they are known."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, create_engine, text
from sqlalchemy.engine import Engine, make_url

from bot.store.database import alembic_config, make_engine, normalise_url
from tests.conftest import START

BEFORE_IDS = "0002_calendar"
POST = {
    "content_type": "article", "title": "", "link": "", "repeat": "", "timezone": "UTC",
    "starts_at": START + timedelta(days=1), "status": "active", "next_at": None,
    "heads_up_at": None, "source": "", "created_at": START,
}  # fmt: skip


@pytest.fixture(params=["sqlite", "postgresql"])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own (on PostgreSQL when STEWARD_TEST_POSTGRES_URL is set)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    url = os.environ.get("STEWARD_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("STEWARD_TEST_POSTGRES_URL is not set")
    name = f"steward_calendar_ids_{os.getpid()}"
    admin = create_engine(normalise_url(url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine = make_engine(make_url(normalise_url(url)).set(database=name).render_as_string(False))
    yield engine
    engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def _insert(conn, table: str, *rows: dict) -> None:
    conn.execute(Table(table, MetaData(), autoload_with=conn).insert(), list(rows))


def _member(member_id: int, platform: str, user_id: str, name: str) -> dict:
    return {
        "id": member_id, "platform": platform, "platform_user_id": user_id, "name": name,
        "is_bot": False, "roles": "",
    }  # fmt: skip


def test_names_become_ids_where_the_core_knows_them(old_engine: Engine) -> None:
    config = alembic_config(old_engine)
    command.upgrade(config, BEFORE_IDS)
    with old_engine.begin() as conn:
        _insert(
            conn,
            "member",
            _member(1, "discord", "U1", "ann"),
            _member(2, "discord", "U2", "bob"),
            _member(3, "discord", "U3", "bob"),  # two bobs: which one cannot be told
            _member(4, "console", "ann", "ann"),
        )
        _insert(
            conn,
            "channel",
            {"platform": "discord", "platform_channel_id": "111", "name": "general",
             "is_admin": False},
        )  # fmt: skip
        _insert(
            conn,
            "calendarpost",
            {**POST, "id": 1, "platform": "discord", "channel": "general", "author": "ann",
             "text": "Known"},
            {**POST, "id": 2, "platform": "discord", "channel": "news", "author": "bob",
             "text": "Unseen channel"},
            {**POST, "id": 3, "platform": "console", "channel": "help",
             "author": "command line", "text": "Console"},
        )  # fmt: skip
        _insert(
            conn,
            "calendaroccurrence",
            {"post_id": 1, "occurs_at": START, "status": "skipped", "attempts": 0,
             "error": "", "skipped_by": "ann", "updated_at": START},
            {"post_id": 3, "occurs_at": START, "status": "skipped", "attempts": 0,
             "error": "", "skipped_by": "post cancelled", "updated_at": START},
        )  # fmt: skip
    command.upgrade(config, "heads")
    with old_engine.connect() as conn:
        posts = conn.execute(
            text("SELECT id, channel_id, channel_name, author_id FROM calendarpost ORDER BY id")
        ).all()
        skips = conn.execute(
            text("SELECT post_id, skipped_by_id, skipped_by FROM calendaroccurrence ORDER BY id")
        ).all()
    assert [tuple(row) for row in posts] == [
        (1, "111", "general", 1),  # the channel table knew it; the one ann on discord
        (2, "news", "news", None),  # resolved when it next goes out; two bobs: nobody
        (3, "help", "help", None),  # the console's ids are its names; not a member
    ]
    assert [tuple(row) for row in skips] == [(1, 1, ""), (3, None, "post cancelled")]
