"""After /privacy forget, a decided contest's winners announcement no longer names the member."""

from tests.conftest import Community
from tests.features.calendar.support import number_of
from tests.features.contests.test_contests import CREATE, enter_all, shown


async def test_a_forgotten_winner_is_unnamed_on_the_winners_post(community: Community) -> None:
    await community.run(CREATE + " channel:general")
    await enter_all(community, "quinn")
    out = await community.run(":advance 2d")
    post = int(number_of(out, "🎉 Contest #1"))
    assert "winner: quinn" in shown(out, post)

    out = await community.run(":as quinn\n:in general\n/privacy forget confirm:true\n:advance 1s")
    edited = shown(out, post)
    assert edited.startswith(f"#{post} (edited)")
    assert "🎉 Contest #1 “Best photo” — winner: a former member" in edited
    assert "Drawn from 1 entrant with the seed committed at the start." in edited
    assert "quinn" not in edited


async def test_only_the_rounds_the_member_won_are_edited(community: Community) -> None:
    await community.run(CREATE + " channel:general")
    await enter_all(community, "quinn", "bob")
    out = await community.run(":advance 2d")
    first = int(number_of(out, "🎉 Contest #1"))
    winner = "quinn" if "winner: quinn" in shown(out, first) else "bob"
    other = "bob" if winner == "quinn" else "quinn"
    out = await community.run(":as mia manager\n:in managers\n/contest reroll id:1")
    second = int(number_of(out, "🎉 Contest #1 “Best photo” — new winner"))
    assert f"new winner: {other}" in shown(out, second)

    out = await community.run(
        f":as {other}\n:in general\n/privacy forget confirm:true\n:advance 1s"
    )
    assert f"#{first} (edited)" not in out  # round 1 never named them
    edited = shown(out, second)
    assert "— new winner: a former member" in edited and other not in edited
