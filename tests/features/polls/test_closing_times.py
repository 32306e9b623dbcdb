"""One closing rule for polls, surveys and contests: in the future, at most 92 days away, and a
local time the clocks skip is refused as such."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bot.features.contests.store import Contest
from bot.features.polls.store import Poll
from bot.features.surveys.store import Survey
from tests.conftest import Community, make_settings, open_community

MANAGER = ":as mia manager\n:in managers\n"
CREATE = {
    "poll": (Poll, '/poll create question:"Best day?" options:"a | b" closes:{}'),
    "survey": (Survey, MANAGER + '/survey create title:"Meetup" questions:"Why?" closes:{}'),
    "contest": (Contest, MANAGER + '/contest create title:"Best photo" closes:{}'),
}
TOO_FAR = "is too far away: polls, surveys and contests close at most 92 days from now."


def count(community: Community, table) -> int:
    return community.app.store.call(lambda s: s.exec(select(func.count()).select_from(table)).one())


def private_reply(out: str) -> str:
    return out[out.rindex("(private):") :]


@pytest.mark.parametrize("feature", CREATE)
async def test_92_days_is_the_longest_any_of_them_stays_open(
    community: Community, feature: str
) -> None:
    table, command = CREATE[feature]
    out = await community.run(command.format("92d"))
    assert "Tue 2026-06-02 09:00 UTC" in out  # 92 days after Mon 2026-03-02 09:00
    assert count(community, table) == 1

    out = await community.run(command.format("93d"))
    assert f"The closing time Wed 2026-06-03 09:00 UTC {TOO_FAR}" in private_reply(out)
    assert count(community, table) == 1  # nothing more stored


@pytest.mark.parametrize("closes", ["2126-03-02T09:00", "99999999999d", "+99999999999d"])
@pytest.mark.parametrize("feature", CREATE)
async def test_a_closing_time_a_century_away_is_refused(
    community: Community, feature: str, closes: str
) -> None:
    table, command = CREATE[feature]
    out = await community.run(command.format(closes))
    reply = private_reply(out)
    assert TOO_FAR in reply
    assert "Traceback" not in out and "internal" not in out.lower()
    assert count(community, table) == 0


@pytest.mark.parametrize("feature", CREATE)
async def test_help_states_the_limit(community: Community, feature: str) -> None:
    out = await community.run(f"/help {feature} create")
    assert "at most 92 days away" in out


@pytest.mark.parametrize("closes", ["2026-03-29T02:30", "sun 02:30"])
@pytest.mark.parametrize("feature", CREATE)
async def test_a_time_the_clocks_skip_is_named_as_such(tmp_path, feature: str, closes: str) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'berlin.db'}", timezone="Europe/Berlin")
    community = await open_community(settings)
    try:
        await community.run(":advance 26d")  # Sat 2026-03-28: the next Sunday springs forward
        table, command = CREATE[feature]
        out = await community.run(command.format(closes))
        reply = private_reply(out)
        assert (
            "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks skip that hour); "
            "pick another time." in reply
        )
        assert "must be a duration" not in reply
        assert count(community, table) == 0
    finally:
        await community.app.stop()
        community.app.store.close()
