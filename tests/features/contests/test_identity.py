"""Contests know members and roles by platform id: a shared display name or a role's name is
never mistaken for someone's identity, and contests made before ids keep their role."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text
from sqlmodel import select

from bot.core.events import MemberRef, RoleRef
from bot.features.contests.store import Contest
from bot.store.database import alembic_config, make_engine
from tests.features.contests.test_contests import (
    audit_text,
    create,
    enter_each,
    line_after,
    manage,
)
from tests.recording import Recorded
from tests.store.test_posts_migration import empty_url  # noqa: F401  (a fixture)

REFUSAL = (
    "Contest #1 “Best photo” is open to members with the role “Verified”, and you don't have it."
)


async def test_a_role_is_needed_by_its_id_and_shown_by_its_name(recorded: Recorded) -> None:
    post = await create(recorded, "role:Verified")
    assert "Who can enter: members with the role “Verified”." in post.text
    [stored] = recorded.app.store.call(lambda s: s.exec(select(Contest)).all())
    assert (stored.role_id, stored.role_name) == ("R02", "Verified")

    said = await recorded.command("/contest enter id:1", by="bob")
    assert said.told("bob") == [REFUSAL]
    # a role's name where its id belongs (or another role called the same) never lets one in
    eve = MemberRef(recorded.adapter.platform, "U900", "eve", roles=("Verified",))
    said = await recorded.command("/contest enter id:1", by=eve)
    assert said.told("eve") == [REFUSAL]

    recorded.give_role("carol", "R02")
    await enter_each(recorded, "carol")
    await manage(recorded, "/contest draw id:1")
    assert line_after(await audit_text(recorded), "Entrants in order: ") == (
        recorded.member("carol").user_id
    )


async def test_a_role_delivered_by_the_platform_keeps_its_id(recorded: Recorded) -> None:
    """Discord hands the role itself; renamed since, the contest still knows it by id."""
    recorded.manager("mia")
    role = RoleRef(recorded.adapter.platform, "R02", "Verified artists")
    said = await recorded.invoke(
        "contest create", by="mia", in_="managers", title="Best photo", closes="2d", role=role
    )
    [post] = said.public("contest")
    assert "Who can enter: members with the role “Verified artists”." in post.text
    recorded.give_role("dan", "R02")
    await enter_each(recorded, "dan")


async def test_two_members_with_one_name_are_told_apart_by_id(recorded: Recorded) -> None:
    """On Discord two members may both show as "alex"; the manager picks the member, not a
    name, so the right entry goes."""
    await create(recorded)
    alexes = [MemberRef(recorded.adapter.platform, uid, "alex") for uid in ("2001", "2002")]
    for alex in alexes:
        [joined] = (await recorded.command("/contest enter id:1", by=alex)).told("alex")
        assert joined.startswith("You're in contest #1")
    recorded.manager("mia")
    said = await recorded.invoke("contest remove", by="mia", in_="managers", id=1, member=alexes[1])
    assert said.posted_in("managers") == [
        "Removed alex's entry from contest #1 “Best photo”; 1 entrant remains."
    ]
    [again] = (await manage(recorded, "/contest remove id:1 member:<@2002|alex>")).told("mia")
    assert again.startswith("alex has no entry in contest #1 “Best photo”.")
    await manage(recorded, "/contest draw id:1")
    assert line_after(await audit_text(recorded), "Entrants in order: ") == "2001"


AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OLD_CONTEST = (
    "INSERT INTO contest (id, platform, channel_id, channel_name, title, mode, winners, role, "
    "seed_hex, commitment, created_at, closes_at) VALUES (:id, 'console', 'announcements', "
    "'announcements', 'Old', 'draw', 1, :role, 'aa', 'bb', :at, :at)"
)


def test_an_old_contest_keeps_its_role_with_the_name_as_id(empty_url: str) -> None:  # noqa: F811
    engine = make_engine(empty_url)
    config = alembic_config(engine)
    command.upgrade(config, "0013_contests_posts")
    with engine.begin() as conn:
        for contest_id, role in ((1, "Manager"), (2, None)):
            conn.execute(text(OLD_CONTEST), {"id": contest_id, "role": role, "at": AT})
    command.upgrade(config, "heads")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, role_id, role_name FROM contest ORDER BY id")).all()
    # the console's one role has the id `manager`, as the old name matched it in any case
    assert [tuple(r) for r in rows] == [(1, "manager", "Manager"), (2, None, None)]
    command.downgrade(config, "0013_contests_posts")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, role FROM contest ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "Manager"), (2, None)]
    engine.dispose()
