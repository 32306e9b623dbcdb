"""Calendar posts keep their channel by platform id: renamed, it still gets its posts; two
channels of one name stay apart; and the platform's message length is the post's limit."""

from __future__ import annotations

from bot.core.capabilities import Capabilities
from bot.core.events import ChannelRef
from bot.features.calendar.store import CalendarPost
from tests.features.calendar.support import manage, posts
from tests.recording import Recorded


async def test_a_post_goes_out_in_its_channel_after_the_channel_is_renamed(
    recorded: Recorded,
) -> None:
    await manage(
        recorded, "/calendar add when:+1h channel:#announcements type:article text:Launch day"
    )
    announcements = recorded.channel("announcements").channel_id
    recorded.adapter.rename("announcements", "news")
    [agenda] = await manage(recorded, "/calendar list")
    assert "10:00 #1 [article] #news — Launch day" in agenda.plain
    assert "#announcements" not in agenda.plain
    said = await recorded.advance("45m")
    [heads_up] = said.public(channel="managers")
    assert heads_up.text.startswith("⏰ In 15m: calendar post #1 (article) goes out in #news ")
    said = await recorded.advance("15m")
    [post] = said.public("article")
    assert (post.text, post.channel.channel_id, post.channel.name) == (
        "Launch day",
        announcements,
        "news",
    )
    [stored] = posts(recorded)
    assert (stored.channel_id, stored.channel_name) == (announcements, "news")  # last known


async def test_two_channels_with_one_name_are_told_apart(recorded: Recorded) -> None:
    platform = recorded.adapter.platform
    first = recorded.channel("general")
    other = ChannelRef(platform, "C09", "general")  # a second #general, in another category
    recorded.adapter.channels[other.channel_id] = other
    recorded.manager("ann")
    await manage(recorded, "/calendar add when:+1h channel:general type:article text:First")
    await manage(recorded, "/calendar add when:+2h channel:C09 type:article text:By id")
    said = await recorded.invoke(
        "calendar add",
        by="ann",
        in_="managers",
        when="+3h",
        channel=other,  # as Discord delivers a channel option: the channel itself
        type="article",
        text="Typed",
    )
    assert said.told("ann") == [] and "#general" in said.public()[0].text
    assert [p.channel_id for p in posts(recorded)] == [first.channel_id, "C09", "C09"]
    [only] = await manage(recorded, "/calendar list channel:C09")
    assert "#2 [article] #general — By id" in only.plain
    assert "#3 [article] #general — Typed" in only.plain and "First" not in only.plain
    said = await recorded.advance("3h")
    assert [(p.text, p.channel.channel_id) for p in said.public("article")] == [
        ("First", first.channel_id),
        ("By id", "C09"),
        ("Typed", "C09"),
    ]


async def test_the_platforms_message_length_is_the_limit_of_a_post(recorded: Recorded) -> None:
    recorded.adapter.capabilities = Capabilities(message_length=500)
    [refused] = await manage(
        recorded, f"/calendar add when:+1h channel:general type:article text:{'x' * 501}"
    )
    assert refused.text.startswith("`text` is 501 characters; the limit is 500.")
    [refused] = await manage(
        recorded,
        f"/calendar add when:+1h channel:general type:article title:{'T' * 100} text:{'x' * 400}",
    )
    assert refused.text.startswith(
        "With its title and link the post is 501 characters; a message holds 500."
    )
    assert posts(recorded) == []
    await manage(recorded, f"/calendar add when:+1h channel:general type:article text:{'x' * 500}")
    assert len(posts(recorded)) == 1


async def test_the_agenda_fits_in_one_message_of_the_platform(recorded: Recorded) -> None:
    recorded.adapter.capabilities = Capabilities(message_length=600)
    adds = "\n".join(
        f"/calendar add when:+{n}h channel:general type:event text:E{n} repeat:daily"
        for n in range(1, 4)
    )
    await manage(recorded, adds)
    [agenda] = await manage(recorded, "/calendar list days:14")
    assert len(agenda.plain) <= 600
    assert 5 <= agenda.plain.count("[event] #general — E") < 42
    assert "… and more; ask for fewer days (days:7) or one channel." in agenda.plain


async def test_the_agenda_has_no_more_sections_than_a_message_holds(recorded: Recorded) -> None:
    recorded.adapter.capabilities = Capabilities(sections_per_message=3)
    await manage(recorded, "/calendar add when:+1h channel:general type:event text:E repeat:daily")
    [agenda] = await manage(recorded, "/calendar list days:14")
    days, hint = agenda.message.sections[:-1], agenda.message.sections[-1]
    assert len(agenda.message.sections) == 3
    assert [s.title for s in days] == ["Mon 2026-03-02", "Tue 2026-03-03"]
    assert hint.text == "… and more; ask for fewer days (days:7) or one channel."


async def test_a_post_stored_by_name_before_ids_goes_out_and_keeps_the_id(
    recorded: Recorded,
) -> None:
    """An upgraded database keeps a name in the id column where no id was known."""
    await manage(recorded, "/calendar add when:+1h channel:announcements type:article text:Old")

    def as_before_ids(session) -> None:
        post = session.get(CalendarPost, 1)
        post.channel_id = post.channel_name = "announcements"

    recorded.app.store.call(as_before_ids)
    said = await recorded.advance("1h")
    announcements = recorded.channel("announcements").channel_id
    assert [(p.text, p.channel.channel_id) for p in said.public("article")] == [
        ("Old", announcements)
    ]
    [stored] = posts(recorded)
    assert (stored.channel_id, stored.channel_name) == (announcements, "announcements")


async def test_an_edit_moves_a_post_to_the_channel_named(recorded: Recorded) -> None:
    await manage(recorded, "/calendar add when:+1h channel:general type:article text:Moving")
    announcements = recorded.channel("announcements")
    [edited] = (await manage(recorded, "/calendar edit id:1 channel:#announcements")).public(
        channel="managers"
    )
    assert edited.text == "✏️ Calendar post #1 changed (channel)."
    [stored] = posts(recorded)
    assert (stored.channel_id, stored.channel_name) == (announcements.channel_id, "announcements")
    said = await recorded.advance("1h")
    assert [(p.text, p.channel.channel_id) for p in said.public("article")] == [
        ("Moving", announcements.channel_id)
    ]
