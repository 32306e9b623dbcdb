"""Contest storage on SQLite and PostgreSQL: a whole contest, its audit, a reroll, erasure."""

from bot.features.contests import store as contest_store
from tests.conftest import make_settings, open_community
from tests.features.contests.test_contests import CREATE, enter_all, line_after, rerun


async def test_a_contest_runs_and_checks_out_on_each_database(any_db_url: str) -> None:
    community = await open_community(make_settings(any_db_url))
    try:
        await community.run(CREATE + " winners:2")
        await enter_all(community, "you", "bob", "carol", "dave")
        out = await community.run(":as mia\n:in managers\n/contest remove id:1 member:dave")
        assert "3 entrants remain" in out
        out = await community.run("/contest enter id:1\n:advance 2d")
        assert "winners: " in out
        out = await community.run("/contest reroll id:1\n/contest audit id:1")
        assert "Entrants in order: bob, carol, mia, you" in out
        first, second = rerun(out)
        assert len(first) == 2 and len(second) == 1 and not set(first) & set(second)

        member_id = community.app.store.call(
            lambda s: contest_store.find_entrants_by_name(s, 1, second[0])[0].member_id
        )
        community.app.store.call(contest_store.forget_member, member_id)
        audit = await community.run("/contest audit id:1")
        assert second[0] not in line_after(audit, "Entrants in order: ")
        assert rerun(audit)[0] == first
    finally:
        await community.app.stop()
        community.app.store.close()
