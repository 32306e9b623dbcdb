"""`/stats me` as a member reads it: reactions once each until taken back, days as dates."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.config import Settings
from tests.conftest import make_settings, open_recorded
from tests.recording.community import Recorded


async def stats(community: Recorded, who: str) -> dict[str, str]:
    """The figures `who` is shown by /stats me ("7-day · 30-day" for each label)."""
    said = await community.command("/stats me", by=who)
    (reply,) = [p for p in said if p.private_to is not None and p.private_to.name == who]
    return reply.fields


async def test_a_repeated_or_taken_back_reaction_counts_once(recorded: Recorded) -> None:
    post = await recorded.post("our launch is tomorrow", by="mia")
    await recorded.react(post, "👍", by="bob")
    await recorded.react(post, "👍", by="bob")  # the platform sent it twice, or bob clicked again
    await recorded.react(post, "🎉", by="bob")
    await recorded.unreact(post, "🎉", by="bob")
    assert (await stats(recorded, "mia"))["Reactions received"] == "1 · 1"
    assert (await stats(recorded, "bob"))["Reactions given"] == "1 · 1"


async def test_a_reaction_given_again_after_taking_it_back_counts_again(
    recorded: Recorded,
) -> None:
    post = await recorded.post("who is in?", by="mia")
    await recorded.react(post, "👍", by="bob")
    await recorded.unreact(post, "👍", by="bob")
    assert (await stats(recorded, "mia"))["Reactions received"] == "0 · 0"
    await recorded.react(post, "👍", by="bob")
    await recorded.react(post, "👍", by="ann")
    assert (await stats(recorded, "mia"))["Reactions received"] == "2 · 2"
    assert (await stats(recorded, "bob"))["Reactions given"] == "1 · 1"


async def test_reacting_to_ones_own_message_is_given_not_received(recorded: Recorded) -> None:
    post = await recorded.post("proud of this one", by="mia")
    await recorded.react(post, "❤️", by="mia")
    figures = await stats(recorded, "mia")
    assert (figures["Reactions given"], figures["Reactions received"]) == ("1 · 1", "0 · 0")


async def test_days_active_are_the_last_7_and_30_dates_today_included(
    recorded: Recorded,
) -> None:
    for day in range(8):  # Monday START and the 7 days after it, at 09:00
        if day:
            await recorded.advance("1d")
        await recorded.post("morning!", by="mia")
    await recorded.advance("23h")  # the next Tuesday, 08:00: before that day's post
    await recorded.post("early today", by="mia")
    figures = await stats(recorded, "mia")
    # the last 7 dates are Wednesday..Tuesday: 7 of them active, never 8 (a rolling 7×24 h
    # window reaches back into last Tuesday morning and touched 8 dates)
    assert figures["Days active"] == "7 · 9"
    assert figures["Messages"] == "7 · 9"


async def test_days_follow_the_community_time_zone(settings: Settings) -> None:
    tokyo = make_settings(settings.storage.url, timezone="Asia/Tokyo")
    zone = ZoneInfo("Asia/Tokyo")
    # Monday 23:30 and Tuesday 00:30 in Tokyo: the same date in UTC, two dates there
    community = await open_recorded(tokyo, start=datetime(2026, 3, 2, 23, 30, tzinfo=zone))
    try:
        await community.post("late", by="mia")
        await community.advance("1h")
        await community.post("early", by="mia")
        community.clock.set(datetime(2026, 3, 9, 22, 30, tzinfo=zone))  # the next Monday
        await community.post("again", by="mia")
        figures = await stats(community, "mia")
        assert figures["Days active"] == "2 · 3"  # Tuesday..Monday holds two of the three
        assert figures["Messages"] == "2 · 3"
    finally:
        await community.app.stop()
        community.app.store.close()


async def test_days_are_counted_across_a_clock_change(settings: Settings) -> None:
    berlin = make_settings(settings.storage.url, timezone="Europe/Berlin")
    zone = ZoneInfo("Europe/Berlin")  # clocks go forward on Sunday 29 March 2026
    community = await open_recorded(berlin, start=datetime(2026, 3, 26, 12, 0, tzinfo=zone))
    try:
        await community.post("before the change", by="mia")
        community.clock.set(datetime(2026, 3, 30, 23, 40, tzinfo=zone))
        await community.post("late on Monday", by="mia")
        await community.advance("40m")
        await community.post("just after midnight", by="mia")  # Tuesday there, in summer time
        community.clock.set(datetime(2026, 4, 1, 12, 0, tzinfo=zone))
        await community.post("Wednesday", by="mia")
        figures = await stats(community, "mia")
        assert figures["Days active"] == "4 · 4"  # Thursday, Monday, Tuesday, Wednesday
    finally:
        await community.app.stop()
        community.app.store.close()


async def test_messages_and_replies_are_counted_for_their_author(recorded: Recorded) -> None:
    post = await recorded.post("anyone tried the beta?", by="mia")
    await recorded.reply(post, "yes, works for me", by="bob")
    await recorded.reply(post, "same here", by="bob")
    bob = await stats(recorded, "bob")
    assert (bob["Messages"], bob["Replies"]) == ("0 · 0", "2 · 2")
    mia = await stats(recorded, "mia")
    assert (mia["Messages"], mia["Replies"], mia["Reactions received"]) == (
        "1 · 1",
        "0 · 0",
        "0 · 0",
    )
