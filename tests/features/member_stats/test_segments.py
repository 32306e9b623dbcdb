"""`/stats members`: the segments a manager reads, each with a member in it and one who just
misses it. Boss, who asks, is first seen asking: new and active in every count."""

from datetime import datetime, timedelta

from bot.core.directory import Directory
from bot.core.events import ChannelRef, MemberJoined, MemberLeft, MemberRef, MessagePosted
from bot.core.interaction_log import InteractionLog
from bot.features.member_stats import Segments, segment_counts
from bot.store.database import Store
from tests.conftest import START
from tests.recording import Posted, Recorded

ASK = START + timedelta(days=60)  # when boss asks, unless a test says otherwise


def at(days_before: float, hours: float = 0) -> datetime:
    """The time `days_before` days (and `hours` hours) before ASK."""
    return ASK - timedelta(days=days_before, hours=hours)


async def ask(recorded: Recorded, options: str = "") -> Posted:
    """Boss, a manager, asks in the managers' channel at ASK; the one private answer."""
    recorded.clock.set(ASK)
    recorded.manager("boss")
    said = await recorded.command(f"/stats members {options}", by="boss", in_="managers")
    [reply] = [p for p in said if p.private]  # ASK is a Monday 09:00: the digest goes out too
    assert reply.private_to == recorded.member("boss")
    assert [p for p in said.public() if p.message.tag != "digest"] == []
    return reply


def counts(reply: Posted) -> tuple[str, ...]:
    """New, active, returning, lurking and members counted, as the manager reads them."""
    names = ("New", "Active", "Returning", "Lurking", "Members counted")
    return tuple(reply.fields[name] for name in names)


async def test_new_is_a_join_in_the_last_14_days(recorded: Recorded) -> None:
    recorded.clock.set(at(15))
    await recorded.join("ann")
    recorded.clock.set(at(13))
    await recorded.join("bob")
    # bob and boss are new, ann joined a day too early; joining is no interaction: both lurk
    assert counts(await ask(recorded)) == ("2", "1", "0", "2", "3")


async def test_active_is_an_interaction_in_the_last_7_days(recorded: Recorded) -> None:
    recorded.clock.set(at(40))
    post = await recorded.post("hello all", by="ann")
    await recorded.post("hi", by="bob")
    recorded.clock.set(at(7, hours=1))
    await recorded.post("still here", by="bob")  # 7 days and an hour ago: just misses
    recorded.clock.set(at(6, hours=23))
    await recorded.react(post, "👍", by="ann")
    await recorded.join("dan")  # joining is no interaction
    reply = await ask(recorded)
    assert reply.fields["Active"] == "2"  # ann and boss
    assert reply.fields["New"] == "2"  # dan and boss


async def test_returning_is_active_after_four_quiet_weeks(recorded: Recorded) -> None:
    recorded.clock.set(at(36))
    await recorded.post("first", by="ann")  # a day before the 28 quiet days began
    await recorded.join("dee")  # a member since then, who never said a word
    recorded.clock.set(at(34))
    await recorded.post("first", by="bob")  # inside the 28 days: not quiet
    await recorded.join("cai")  # joined after they began: not back, just active
    recorded.clock.set(at(1))
    for name in ("ann", "bob", "cai", "dee"):
        await recorded.post("back again", by=name)
    # returning: ann and dee; active: all four and boss; new: boss alone
    assert counts(await ask(recorded)) == ("1", "5", "2", "0", "5")


async def test_returning_needs_the_quiet_weeks_right_before_the_last_7_days(
    recorded: Recorded,
) -> None:
    recorded.clock.set(at(40))
    await recorded.post("long ago", by="ann")
    await recorded.post("long ago", by="bob")
    recorded.clock.set(at(7, hours=1))
    await recorded.post("an hour before the last 7 days", by="bob")
    recorded.clock.set(at(6, hours=23))
    await recorded.post("an hour into them", by="ann")
    await recorded.post("and again", by="bob")
    reply = await ask(recorded)
    assert (reply.fields["Active"], reply.fields["Returning"]) == ("3", "1")  # ann returns


async def test_lurking_is_no_interaction_in_30_days(recorded: Recorded) -> None:
    recorded.clock.set(at(31))
    await recorded.post("hello", by="ann")
    recorded.clock.set(at(29))
    await recorded.post("hello", by="bob")
    reply = await ask(recorded)
    assert reply.fields["Lurking"] == "1"  # ann; bob spoke a day later
    assert reply.fields["Active"] == "1"  # boss alone: bob is neither active nor lurking


async def test_bots_and_members_who_left_are_not_counted(recorded: Recorded) -> None:
    recorded.clock.set(at(50))
    await recorded.post("hello", by="ann")
    await recorded.post("hello", by="eve")
    await recorded.post("beep", by=MemberRef(recorded.adapter.platform, "X1", "bot", is_bot=True))
    recorded.clock.set(at(20))
    await recorded.leave("eve")
    await recorded.leave("ann")
    recorded.clock.set(at(10))
    await recorded.join("ann")  # back: counted, and new again
    # ann and boss: both new, neither left nor the bot is counted; ann lurks
    assert counts(await ask(recorded)) == ("2", "1", "0", "1", "2")


async def test_join_dates_come_from_the_platform_else_from_first_seen(
    recorded: Recorded,
) -> None:
    platform = recorded.adapter.platform
    old_timer = MemberRef(platform, "U900", "ann", joined_at=at(400))
    recorded.clock.set(at(2))
    await recorded.post("first time Steward sees me", by=old_timer)
    await recorded.post("me too", by="bob")
    await recorded.join("cai")  # the platform said cai joined
    reply = await ask(recorded)
    assert reply.fields[platform] == (
        f"2 from {platform}, 2 from when Steward first saw them"  # ann, cai; bob, boss
    )
    assert reply.fields["New"] == "3"  # bob, cai and boss: ann joined 400 days ago


async def test_the_answer_reads_counts_definitions_and_join_dates(recorded: Recorded) -> None:
    recorded.clock.set(at(3))
    await recorded.post("hello", by="ann")
    reply = await ask(recorded)
    assert reply.plain == (
        "Member segments, all platforms\n"
        "New: 2\nActive: 2\nReturning: 0\nLurking: 0\nMembers counted: 2\n"
        "What they mean\n"
        "New: joined in the last 14 days.\n"
        "Active: an interaction in the last 7 days.\n"
        "Returning: active now, after no interaction in the 28 days before those 7 "
        "(and a member before then).\n"
        "Lurking: no interaction in the last 30 days.\n"
        "An interaction is a message, reply, reaction, share, thread, edit, command, button "
        "click or form; joining and leaving are not.\n"
        "A member can be in more than one segment (a newcomer who posted is new and active). "
        "Bots and members who left are not counted.\n"
        "Join dates\n"
        "test: 0 from test, 2 from when Steward first saw them"
    )


async def test_one_platform_by_name_and_an_unknown_one_refused(recorded: Recorded) -> None:
    reply = await ask(recorded, "platform:TEST")
    assert reply.plain.startswith("Member segments on test\nNew: 1\n")
    refused = await ask(recorded, "platform:slack")
    assert refused.plain == (
        "No members are counted on `slack`. Platforms with members: test.\n"
        "Usage: /stats members [platform:<string>]"
    )


async def test_members_and_managers_elsewhere_are_refused(recorded: Recorded) -> None:
    said = await recorded.command("/stats members", by="bob")
    assert said.public() == []
    assert said.told("bob")[0].startswith("`/stats members` is for community managers.")
    recorded.manager("boss")
    said = await recorded.command("/stats members", by="boss", in_="general")
    assert said.told("boss")[0].startswith("`/stats members` works only in the managers' channel.")
    assert "Member segments" not in "".join(said.told("boss"))


async def test_help_lists_the_command_for_managers_only(recorded: Recorded) -> None:
    recorded.manager("boss")
    [manager] = (await recorded.command("/help", by="boss", in_="managers")).told("boss")
    assert "`/stats members [platform:<string>]` — Member segments: new, active," in manager
    [member] = (await recorded.command("/help", by="bob")).told("bob")
    assert "/stats members" not in member and "`/stats me`" in member


async def test_segments_from_the_store(any_db_url: str) -> None:
    """The same counts on SQLite and PostgreSQL, one platform or all, for the digest's use."""
    store = Store.open(any_db_url)
    log = InteractionLog(store, Directory())
    log.start()
    general = ChannelRef("discord", "c1", "general")
    ann, bob = MemberRef("discord", "u1", "ann"), MemberRef("discord", "u2", "bob")
    sam = MemberRef("slack", "U1", "sam", joined_at=at(90))
    base = {"channel": general}
    await log.record(
        MessagePosted(event_id="m1", member=ann, at=at(40), message_id="m1", text="a", **base)
    )
    await log.record(
        MessagePosted(event_id="m2", member=ann, at=at(1), message_id="m2", text="b", **base)
    )
    await log.record(MemberJoined(event_id="j1", member=bob, at=at(3), **base))
    await log.record(MemberLeft(event_id="l1", member=bob, at=at(2), **base))
    await log.record(
        MessagePosted(
            event_id="s1",
            member=sam,
            channel=ChannelRef("slack", "C1", "general"),
            at=at(5),
            message_id="s1",
            text="c",
        )
    )
    await log.stop()
    assert store.call(segment_counts, ASK, "discord") == Segments(
        active=1, returning=1, members=1, joined_from_first_seen=1
    )
    # sam, a member for 90 days as Slack says, speaks for the first time: back from lurking
    assert store.call(segment_counts, ASK) == Segments(
        active=2, returning=2, members=2, joined_from_platform=1, joined_from_first_seen=1
    )
    store.close()
