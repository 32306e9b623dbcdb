"""A membership requirement no member could meet is refused when the contest is created."""

from bot.features.contests import Contest
from tests.conftest import Community
from tests.features.contests.test_contests import CREATE, count_rows


async def test_a_membership_requirement_beyond_ten_years_is_refused(community: Community) -> None:
    out = await community.run(CREATE + " min_days_member:2000000000")
    assert "min_days_member" in out and "3650" in out
    assert count_rows(community, Contest) == 0
    out = await community.run('/contest create title:"Old hands" closes:2d min_days_member:3650')
    assert count_rows(community, Contest) == 1
    out = await community.run(":as ann\n:in general\n/contest enter id:1")
    assert "3650 days of membership" in out and "not for you" in out
