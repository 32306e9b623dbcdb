"""Upgrading a database whose features kept their own message ids: every post becomes a
BotMessage row with its role, matched by (platform, channel, message id), and the columns go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bot.store.database import alembic_config, make_engine, normalise_url
from tests.conftest import POSTGRES_URL

BEFORE = ("0008_core_reactions", "0007_poll_results_post", "0004_surveys_feedback")
BEFORE += ("0006_contest_winner_posts",)
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROWS = [
    "INSERT INTO poll (id, platform, channel_id, message_id, results_message_id, question, "
    "multi, anonymous, hide_results, created_at, closes_at, closed_at) VALUES (1, 'test', "
    "'C01', 'M1', 'M2', 'Best day?', false, false, false, :at, :at, :at)",
    "INSERT INTO survey (id, title, questions, created_at, platform, channel_id, message_id) "
    "VALUES (1, 'Meetup', '[]', :at, 'test', 'C01', 'S1')",
    "INSERT INTO contest (id, platform, channel_id, channel_name, message_id, title, mode, "
    "winners, seed_hex, commitment, created_at, closes_at) VALUES (1, 'test', 'C03', "
    "'announcements', 'K1', 'Best photo', 'vote', 1, 'aa', 'bb', :at, :at)",
    "INSERT INTO contestentry (id, contest_id, entrant_key, entered_at, message_id) "
    "VALUES (5, 1, 'U001', :at, 'K2')",
    "INSERT INTO contestdraw (id, contest_id, number, start, next_start, count, skipped, "
    "drawn_at, message_id) VALUES (1, 1, 2, 0, 1, 1, '', :at, 'K3')",
    # what the bot remembered then: the poll, the survey and its summary (no role yet), and
    # another channel's message with the poll's id (a Slack ts is unique per channel only)
    "INSERT INTO botmessage (platform, channel_id, platform_message_id, feature, ref_id, "
    "content_type, created_at) VALUES ('test', 'C01', 'M1', 'poll', 1, 'poll', :at), "
    "('test', 'C02', 'M1', 'calendar', 9, 'article', :at), "
    "('test', 'C01', 'S1', 'survey', 1, NULL, :at), ('test', 'C01', 'S2', 'survey', 1, NULL, :at)",
]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("STEWARD_TEST_POSTGRES_URL is not set")
    name = f"steward_posts_{os.getpid()}"
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(normalise_url(POSTGRES_URL)).set(database=name).render_as_string(False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_old_message_ids_become_bot_messages_with_roles(empty_url: str) -> None:
    engine = make_engine(empty_url)
    config = alembic_config(engine)
    for revision in BEFORE:
        command.upgrade(config, revision)
    with engine.begin() as conn:
        for sql in ROWS:
            conn.execute(text(sql), {"at": AT})
    command.upgrade(config, "heads")

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT channel_id, platform_message_id, feature, ref_id, role, content_type "
                "FROM botmessage ORDER BY platform_message_id, channel_id"
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("C03", "K1", "contest", 1, "post", None),
        ("C03", "K2", "contest", 1, "entry:5", None),
        ("C03", "K3", "contest", 1, "round:2", None),
        ("C01", "M1", "poll", 1, "poll", "poll"),
        ("C02", "M1", "calendar", 9, "", "article"),  # another channel's M1: untouched
        ("C01", "M2", "poll", 1, "results", None),
        ("C01", "S1", "survey", 1, "post", None),
        ("C01", "S2", "survey", 1, "results", None),
    ]
    columns = inspect(engine)
    for table in ("poll", "survey", "contest", "contestentry", "contestdraw"):
        names = {c["name"] for c in columns.get_columns(table)}
        assert not names & {"message_id", "results_message_id"}, table
    engine.dispose()
