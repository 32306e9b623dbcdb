"""One closing rule for polls, surveys and contests: in the future, at most 92 days away, and a
local time the clocks skip is refused as such."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from bot.features.contests.store import Contest
from bot.features.polls.store import Poll
from bot.features.surveys.store import Survey
from tests.conftest import make_settings, open_recorded
from tests.recording import Recorded, Said

CREATE = {
    "poll": (Poll, '/poll create question:"Best day?" options:"a | b" closes:{}'),
    "survey": (Survey, '/survey create title:"Meetup" questions:"Why?" closes:{}'),
    "contest": (Contest, '/contest create title:"Best photo" closes:{}'),
}
TOO_FAR = "is too far away: polls, surveys and contests close at most 92 days from now."


def count(recorded: Recorded, table) -> int:
    return recorded.app.store.call(lambda s: s.exec(select(func.count()).select_from(table)).one())


async def create(recorded: Recorded, feature: str, closes: str) -> Said:
    """A member opens a poll in #general; mia, a manager, the others in the managers' channel."""
    command = CREATE[feature][1].format(closes)
    if feature == "poll":
        return await recorded.command(command)
    recorded.manager("mia")
    return await recorded.command(command, by="mia", in_="managers")


def refusal(recorded: Recorded, said: Said) -> str:
    [reply] = said
    assert reply.private_to is not None and reply.private_to.name in ("you", "mia")
    return reply.plain


@pytest.mark.parametrize("feature", CREATE)
async def test_92_days_is_the_longest_any_of_them_stays_open(
    recorded: Recorded, feature: str
) -> None:
    table = CREATE[feature][0]
    said = await create(recorded, feature, "92d")
    assert "Tue 2026-06-02 09:00 UTC" in said.public()[0].plain  # 92 days after Mon 09:00
    assert count(recorded, table) == 1

    said = await create(recorded, feature, "93d")
    assert f"The closing time Wed 2026-06-03 09:00 UTC {TOO_FAR}" in refusal(recorded, said)
    assert count(recorded, table) == 1  # nothing more stored


@pytest.mark.parametrize("closes", ["2126-03-02T09:00", "99999999999d", "+99999999999d"])
@pytest.mark.parametrize("feature", CREATE)
async def test_a_closing_time_a_century_away_is_refused(
    recorded: Recorded, feature: str, closes: str
) -> None:
    said = await create(recorded, feature, closes)
    reply = refusal(recorded, said)
    assert TOO_FAR in reply
    assert "Traceback" not in reply and "internal" not in reply.lower()
    assert count(recorded, CREATE[feature][0]) == 0


@pytest.mark.parametrize("feature", CREATE)
async def test_help_states_the_limit(recorded: Recorded, feature: str) -> None:
    [reply] = await recorded.command(f"/help {feature} create")
    assert "at most 92 days away" in reply.plain


@pytest.mark.parametrize("closes", ["2026-03-29T02:30", "sun 02:30"])
@pytest.mark.parametrize("feature", CREATE)
async def test_a_time_the_clocks_skip_is_named_as_such(
    db_url: str, feature: str, closes: str
) -> None:
    recorded = await open_recorded(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        await recorded.advance("26d")  # Sat 2026-03-28: the next Sunday springs forward
        reply = refusal(recorded, await create(recorded, feature, closes))
        assert (
            "2026-03-29 02:30 does not exist in Europe/Berlin (the clocks skip that hour); "
            "pick another time." in reply
        )
        assert "must be a duration" not in reply
        assert count(recorded, CREATE[feature][0]) == 0
    finally:
        await recorded.app.stop()
        recorded.app.store.close()
