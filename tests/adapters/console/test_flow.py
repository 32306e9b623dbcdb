"""The console community in-process: messages, replies, reactions and /stats me."""

from bot.core.context import EventContext
from bot.core.events import InboundEvent, MessagePosted, ReplyPosted
from tests.conftest import Community


async def test_stats_me_counts_replies_and_reactions(community: Community) -> None:
    out = await community.run(
        """
hello
:as bob
:reply 1 hi
:react 1 👍
/stats me
"""
    )
    assert "#1 [general] you: hello" in out
    assert "#2 [general] bob ↳#1: hi" in out
    stats = out[out.index("Your engagement, bob") :]
    assert "Messages: 0 · 0" in stats
    assert "Replies: 1 · 1" in stats
    assert "Reactions given: 1 · 1" in stats
    assert "Days active: 1 · 1" in stats


async def test_reactions_received_and_windows(community: Community) -> None:
    await community.run("first post\n:as bob\n:react 1 🎉\n:as you")
    await community.run(":advance 10d")
    out = await community.run("second post\n/stats me")
    stats = out[out.index("Your engagement, you") :]
    assert "Messages: 1 · 2" in stats
    assert "Reactions received: 0 · 1" in stats
    assert "Days active: 1 · 2" in stats


async def test_advance_says_when_each_message_was_posted(community: Community) -> None:
    await community.run('/poll create question:"Lunch?" options:"Pizza | Soup" closes:90m')
    out = await community.run(":advance 3h")
    assert "— Mon 2026-03-02 10:30 UTC\n#2 (edited) [general] Steward [poll]: Lunch?" in out
    assert out.index("10:30 UTC\n#2 (edited)") < out.index("#4 [general] Steward [poll]: Results")
    assert out.splitlines()[-1] == "— now Mon 2026-03-02 12:00 UTC"


async def test_advancing_by_an_absurd_duration_is_refused(community: Community) -> None:
    out = await community.run(":advance 99999999999d\n:now")
    assert "! '99999999999d' is too long; a duration is at most 36,525 days (100 years)" in out
    assert "now Mon 2026-03-02 09:00 UTC" in out


async def test_a_reaction_cannot_be_given_twice_or_taken_back_unless_given(
    community: Community,
) -> None:
    """As on Discord and Slack: a second 👍 changes nothing, nor does taking back a missing 🎉."""
    out = await community.run(
        "hello\n:as bob\n:react 1 👍\n:react 1 👍\n:unreact 1 🎉\n:react 1 🎉\n:unreact 1 🎉"
    )
    assert out.count("bob reacted 👍 on #1") == 1
    assert "bob already reacted 👍 on #1" in out
    assert "bob has not reacted 🎉 on #1" in out
    assert "bob took back 🎉 on #1" in out
    stats = await community.run(":as you\n/stats me")
    assert "Reactions received: 1 · 1" in stats


async def test_the_members_a_message_or_a_reply_mentions_reach_the_core_by_name(
    community: Community,
) -> None:
    seen: list[InboundEvent] = []

    async def keep(context: EventContext) -> None:
        seen.append(context.event)

    community.app.listen(keep)
    await community.run(
        """
@bob or @ana.k, how do I export? cc @bob (not mail@example.org, nor @here)
:as bob
:reply 1 @you: Settings, then Export.
:thread 1 thanks @bob!
"""
    )
    [asked, threaded] = [e for e in seen if isinstance(e, MessagePosted)]
    [replied] = [e for e in seen if isinstance(e, ReplyPosted)]
    assert asked.mentions == ("bob", "ana.k")
    assert replied.mentions == ("you",)
    assert threaded.mentions == ("bob",)
