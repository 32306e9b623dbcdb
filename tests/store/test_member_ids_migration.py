"""Upgrading an SQLite database whose member table reused ids: every member and every row
that points at one survives, and from then on an erased member's id is never handed out."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import text

from bot.store.database import alembic_config, connect, upgrade

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MEMBER = (
    "INSERT INTO member (id, platform, platform_user_id, name, is_bot, roles) "
    "VALUES (:id, 'test', :user, :user, false, '')"
)
SAID = (
    "INSERT INTO interaction (platform, platform_event_id, kind, member_id, created_at) "
    "VALUES ('test', :event, 'message', :member, :at)"
)


def test_members_keep_their_ids_and_an_erased_id_is_never_reused(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'old.db'}")  # foreign keys enforced
    config = alembic_config(engine)
    command.upgrade(config, "0009_core_outbox")
    with engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(text(MEMBER), {"id": n, "user": f"U{n}"})
            conn.execute(text(SAID), {"event": f"E{n}", "member": n, "at": AT})
    upgrade(engine)  # as Steward starts: each migration in one transaction

    with engine.begin() as conn:
        said = conn.execute(text("SELECT member_id FROM interaction ORDER BY member_id")).all()
        assert [row[0] for row in said] == [1, 2, 3]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        conn.execute(text("DELETE FROM interaction WHERE member_id = 3"))
        conn.execute(text("DELETE FROM member WHERE id = 3"))  # the highest id, forgotten
        conn.execute(
            text(
                "INSERT INTO member (platform, platform_user_id, name, is_bot, roles) "
                "VALUES ('test', 'U4', 'newcomer', false, '')"
            )
        )
        newcomer = conn.execute(text("SELECT id FROM member WHERE name = 'newcomer'")).scalar()
        names = conn.execute(text("SELECT name FROM member ORDER BY id")).scalars().all()
    assert newcomer == 4  # not 3: another process may still have 3 cached for U3
    assert names == ["U1", "U2", "newcomer"]
    engine.dispose()
