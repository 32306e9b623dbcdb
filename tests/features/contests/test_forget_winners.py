"""After /privacy forget, a decided contest's winners announcement no longer names the member."""

from tests.features.contests.test_contests import (
    announcements,
    create,
    enter_each,
    manage,
    winners_in,
)
from tests.recording import Recorded


async def test_a_forgotten_winner_is_unnamed_on_the_winners_post(recorded: Recorded) -> None:
    await create(recorded, "channel:general")
    await enter_each(recorded, "quinn")
    [post] = announcements(await recorded.advance("2d"))
    assert post.text.startswith("🎉 Contest #1 “Best photo” — winner: quinn")

    await recorded.command("/privacy forget confirm:true", by="quinn")
    await recorded.advance("1s")
    assert post.edits == 1
    assert post.text.startswith("🎉 Contest #1 “Best photo” — winner: a former member")
    assert "Drawn from 1 entrant with the seed committed at the start." in post.text
    assert "quinn" not in post.text


async def test_only_the_rounds_the_member_won_are_edited(recorded: Recorded) -> None:
    await create(recorded, "channel:general")
    await enter_each(recorded, "quinn", "bob")
    [first] = announcements(await recorded.advance("2d"))
    (winner,) = winners_in(first.text)
    other = "bob" if winner == "quinn" else "quinn"
    [second] = announcements(await manage(recorded, "/contest reroll id:1"))
    assert f"new winner: {other}" in second.text

    await recorded.command("/privacy forget confirm:true", by=other)
    await recorded.advance("1s")
    assert first.edits == 0  # round 1 never named them
    assert "— new winner: a former member" in second.text and other not in second.text
