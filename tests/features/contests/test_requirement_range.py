"""A membership requirement no member could meet is refused when the contest is created."""

from bot.features.contests import Contest
from tests.features.contests.test_contests import count_rows, manage
from tests.recording import Recorded


async def test_a_membership_requirement_beyond_ten_years_is_refused(recorded: Recorded) -> None:
    [refusal] = await manage(
        recorded, '/contest create title:"Best photo" closes:2d min_days_member:2000000000'
    )
    assert refusal.private_to == recorded.member("mia")
    assert "min_days_member" in refusal.plain and "3650" in refusal.plain
    assert count_rows(recorded, Contest) == 0
    said = await manage(
        recorded, '/contest create title:"Old hands" closes:2d min_days_member:3650'
    )
    assert said.public("contest") and count_rows(recorded, Contest) == 1
    [told] = (await recorded.command("/contest enter id:1", by="ann")).told("ann")
    assert "3650 days of membership" in told and "not for you" in told
