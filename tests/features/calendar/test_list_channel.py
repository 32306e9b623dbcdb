"""`/calendar list channel:…`: an unknown channel is named, not read as an empty agenda."""

from __future__ import annotations

from tests.conftest import Community
from tests.features.calendar.support import MANAGER


async def test_an_unknown_channel_is_refused_by_name(community: Community) -> None:
    out = await community.run(f"{MANAGER}\n/calendar list channel:nowhere")
    assert (
        "Steward → ann (private): There is no channel #nowhere. Channels: #announcements, "
        "#general, #help, #managers." in out
    )
    assert "Nothing scheduled" not in out


async def test_a_known_channel_with_nothing_in_it_is_an_empty_agenda(
    community: Community,
) -> None:
    await community.run(f"{MANAGER}\n/calendar add when:+1d channel:general type:article text:Hi")
    out = await community.run("/calendar list channel:#help")
    assert "Calendar in #help: the next 14 days" in out
    assert "Nothing scheduled. Add a post with /calendar add." in out
