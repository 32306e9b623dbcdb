"""`/calendar list channel:…`: an unknown channel is named, not read as an empty agenda."""

from __future__ import annotations

from tests.features.calendar.support import manage
from tests.recording import Recorded


async def test_an_unknown_channel_is_refused_by_name(recorded: Recorded) -> None:
    [reply] = await manage(recorded, "/calendar list channel:nowhere")
    assert reply.private_to == recorded.member("ann")
    assert reply.plain.startswith(
        "`channel`: there is no channel #nowhere. "
        "Channels: #announcements, #general, #help, #managers."
    )
    assert "Nothing scheduled" not in reply.plain


async def test_a_known_channel_with_nothing_in_it_is_an_empty_agenda(
    recorded: Recorded,
) -> None:
    await manage(recorded, "/calendar add when:+1d channel:general type:article text:Hi")
    [agenda] = await manage(recorded, "/calendar list channel:#help")
    assert agenda.text.startswith("Calendar in #help: the next 14 days")
    assert "Nothing scheduled. Add a post with /calendar add." in agenda.plain
    [general] = await manage(recorded, "/calendar list channel:general")
    assert "Hi" in general.plain  # the same list does show what a channel has
