"""Contest storage on SQLite and PostgreSQL: a whole contest, its audit, a reroll, erasure."""

from bot.features.contests import store as contest_store
from tests.conftest import make_settings, open_recorded
from tests.features.contests.test_contests import (
    announcements,
    audit_text,
    create,
    enter_each,
    key,
    line_after,
    manage,
    rerun,
)


async def test_a_contest_runs_and_checks_out_on_each_database(any_db_url: str) -> None:
    recorded = await open_recorded(make_settings(any_db_url))
    try:
        await create(recorded, "winners:2")
        await enter_each(recorded, "you", "bob", "carol", "dave")
        said = await manage(recorded, "/contest remove id:1 member:dave")
        assert "3 entrants remain" in said.posted_in("managers")[0]
        await manage(recorded, "/contest enter id:1")
        [announcement] = announcements(await recorded.advance("2d"))
        assert "winners: " in announcement.text
        await manage(recorded, "/contest reroll id:1")
        audit = await audit_text(recorded)
        entrants = sorted(key(recorded, "you", "bob", "carol", "mia"))  # same time: by user id
        assert line_after(audit, "Entrants in order: ") == ", ".join(entrants)
        first, second = rerun(audit)
        assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)

        member_id = recorded.app.store.call(
            lambda s: contest_store.find_entrant(s, 1, second[0]).member_id
        )
        recorded.app.store.call(contest_store.forget_member, member_id)
        audit = await audit_text(recorded)
        assert second[0] not in line_after(audit, "Entrants in order: ")
        assert rerun(audit)[0] == first
    finally:
        await recorded.app.stop()
        recorded.app.store.close()
