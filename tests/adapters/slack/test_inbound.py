"""Slack's events as the core records them: posts, thread replies, files and shares; edits
(not a thread's reply count or an unfurl) and deletions; reactions; channel and workspace
joins; Steward's own posts left out; people and channels Steward learns of after its start."""

from __future__ import annotations

import copy
from pathlib import Path

from sqlmodel import select

from bot.core.events import InboundEvent, MessagePosted, ReactionAdded, ReactionRemoved, ReplyPosted
from bot.store.models import Channel, Interaction, Member
from tests.adapters import running
from tests.adapters.running import listening
from tests.adapters.slack.harness import (
    FakeSlack,
    Workspace,
    deliver,
    steward,
    wait_for,
)


async def send(run: running.Running, fake: FakeSlack, event: dict) -> None:
    """Deliver one inner event as Slack does; Steward takes it (200)."""
    answer = await deliver(run, fake, fake.event(event), "event")
    assert answer.status == 200, answer


def channels_of(run: running.Running, kind: str, member_id: str) -> list[str]:
    """The Slack channel ids of a member's recorded interactions of `kind`."""
    query = (
        select(Channel.platform_channel_id)
        .join(Interaction, Interaction.channel_id == Channel.id)
        .join(Member, Member.id == Interaction.member_id)
        .where(Interaction.kind == kind, Member.platform_user_id == member_id)
    )
    with run.app.store.session() as session:
        return list(session.exec(query).all())


def member_row(run: running.Running, user_id: str) -> Member:
    with run.app.store.session() as session:
        return session.exec(select(Member).where(Member.platform_user_id == user_id)).one()


async def test_posts_replies_files_and_shares_are_recorded_by_kind_and_channel(
    space: Workspace, config: Path
) -> None:
    fake, general, helpdesk = space.fake, space.channel("general"), space.channel("help")
    bob, carol, dave = space.person("bob"), space.person("carol"), space.person("dave")
    async with steward(config) as run:
        root = fake.add_message(helpdesk, bob, "how do I export?")
        await send(run, fake, fake.message_event(helpdesk, bob, "how do I export?", root))
        answer = fake.add_message(helpdesk, carol, "Settings, then Export", thread_ts=root)
        reply = fake.message_event(helpdesk, carol, "Settings, then Export", answer, thread_ts=root)
        await send(run, fake, reply)
        notes = fake.add_file("notes.txt", b"agenda", "text/plain", user=dave)
        shared_file = fake.add_message(general, dave, "the notes", files=[notes["id"]])
        file_event = fake.message_event(
            general, dave, "the notes", shared_file, files=[notes["id"]]
        )
        assert file_event["subtype"] == "file_share"
        await send(run, fake, file_event)
        share = fake.message_event(general, carol, "see this", fake.next_ts())
        share["attachments"] = [{
            "is_share": True, "is_msg_unfurl": True, "ts": root, "channel_id": helpdesk,
            "channel_name": "help", "author_id": bob, "text": "how do I export?",
            "fallback": "[help] how do I export?",
        }]  # fmt: skip
        await send(run, fake, share)
        await wait_for(lambda: run.count("message_shared", carol) == 1)
        await wait_for(lambda: run.count("message", dave) == 1)
        assert run.count("message", bob) == 1
        assert run.count("reply", carol) == 1
        assert run.count("message", carol) == 0  # the reply and the share are no plain posts
        assert channels_of(run, "reply", carol) == [helpdesk]
        assert channels_of(run, "message", bob) == [helpdesk]
        assert channels_of(run, "message_shared", carol) == [general]


async def test_an_edit_counts_but_a_new_reply_count_or_unfurl_does_not_and_deletions_do(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(config) as run:
        said = fake.add_message(general, bob, "helo, see https://example.com")
        await send(
            run, fake, fake.message_event(general, bob, fake.find(general, said)["text"], said)
        )
        before = copy.deepcopy(fake.find(general, said))
        for change in ({"reply_count": 1, "latest_reply": fake.next_ts()}, _unfurl()):
            after = {**copy.deepcopy(before), **change}
            event = fake.message_event(
                general, bob, before["text"], said, subtype="message_changed",
                previous_message=before, message=after,
            )  # fmt: skip
            event["message"].pop("edited")  # Slack marks only a change of the text as an edit
            await send(run, fake, event)
        await send(run, fake, fake.edit_message(general, said, "hello, see https://example.com"))
        await wait_for(lambda: run.count("message_edited", bob) >= 1)
        await send(run, fake, fake.delete_message(general, said))
        await wait_for(lambda: run.count("message_deleted", bob) == 1)
        assert run.count("message_edited", bob) == 1
        assert run.count("message", bob) == 1


def _unfurl() -> dict:
    """The link preview Slack adds to a message a moment after it is posted."""
    preview = {
        "from_url": "https://example.com", "original_url": "https://example.com",
        "title": "Example Domain", "title_link": "https://example.com", "id": 1,
        "service_name": "example.com", "text": "This domain is for use in examples.",
    }  # fmt: skip
    return {"attachments": [preview]}


async def test_reactions_added_and_removed_are_both_recorded(space: Workspace, config: Path):
    fake, general = space.fake, space.channel("general")
    bob, carol = space.person("bob"), space.person("carol")
    async with steward(config) as run:
        said = fake.add_message(general, bob, "we shipped it")
        await send(run, fake, fake.react(general, said, carol, "tada"))
        await wait_for(lambda: run.count("reaction_added", carol) == 1)
        await send(run, fake, fake.react(general, said, carol, "tada", added=False))
        await wait_for(lambda: run.count("reaction_removed", carol) == 1)
        assert run.count("reaction_added", bob) == 0  # the author received it; carol gave it
        assert channels_of(run, "reaction_removed", carol) == [general]


async def test_a_reaction_reaches_the_core_as_the_emoji_and_a_custom_one_by_its_name(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    bob, carol = space.person("bob"), space.person("carol")
    seen: list[InboundEvent] = []
    async with steward(config, listening(seen)) as run:
        said = fake.add_message(general, bob, "is the export fixed?")
        await send(run, fake, fake.react(general, said, carol, "white_check_mark"))
        await send(run, fake, fake.react(general, said, carol, "thumbsup::skin-tone-2"))
        await send(run, fake, fake.react(general, said, carol, "partyparrot"))
        await send(run, fake, fake.react(general, said, carol, "white_check_mark", added=False))
        await wait_for(lambda: len(seen) == 4)
    added = {e.emoji for e in seen if isinstance(e, ReactionAdded)}  # in any order
    assert added == {"✅", "👍\U0001f3fb", "partyparrot"}
    assert [e.emoji for e in seen if isinstance(e, ReactionRemoved)] == ["✅"]


async def test_the_members_a_message_or_a_reply_mentions_reach_the_core_by_id(
    space: Workspace, config: Path
) -> None:
    fake, helpdesk = space.fake, space.channel("help")
    bob, carol, dave = space.person("bob"), space.person("carol"), space.person("dave")
    seen: list[InboundEvent] = []
    async with steward(config, listening(seen)) as run:
        text = f"<@{carol}> or <@{dave}|dave>, how do I export? cc <@{carol}>"
        root = fake.add_message(helpdesk, bob, text)
        await send(run, fake, fake.message_event(helpdesk, bob, text, root))
        answer = f"<@{bob.lower()}> Settings, then Export (thanks <@W0GRID42>)"  # as exported
        ts = fake.add_message(helpdesk, carol, answer, thread_ts=root)
        await send(run, fake, fake.message_event(helpdesk, carol, answer, ts, thread_ts=root))
        await send(run, fake, _posted(fake, helpdesk, dave, "no one named here"))
        await wait_for(lambda: len(seen) == 3)
    posted = {e.member.user_id: e.mentions for e in seen if isinstance(e, MessagePosted)}
    [replied] = [e for e in seen if isinstance(e, ReplyPosted)]
    assert posted == {bob: (carol, dave), dave: ()}
    assert replied.mentions == (bob, "W0GRID42")


def _posted(fake: FakeSlack, channel: str, user: str, text: str) -> dict:
    return fake.message_event(channel, user, text, fake.add_message(channel, user, text))


async def test_channel_joins_and_leaves_and_a_new_member_of_the_workspace(
    space: Workspace, config: Path
) -> None:
    fake, general, helpdesk = space.fake, space.channel("general"), space.channel("help")
    dave = space.person("dave")
    async with steward(config) as run:
        fake.set_member(helpdesk, dave, False)
        await send(run, fake, fake.join_channel(helpdesk, dave))
        await wait_for(lambda: run.count("member_joined", dave) == 1)
        await send(run, fake, fake.leave_channel(helpdesk, dave))
        await wait_for(lambda: run.count("member_left", dave) == 1)
        assert channels_of(run, "member_joined", dave) == [helpdesk]
        assert channels_of(run, "member_left", dave) == [helpdesk]
        erin = fake.add_user("erin", real_name="Erin Example", display_name="erin.e")
        await send(run, fake, fake.team_join(erin))
        await wait_for(lambda: run.count("member_joined", erin) == 1)
        assert channels_of(run, "member_joined", erin) == [general]
        assert member_row(run, erin).name == "erin.e"
        assert member_row(run, erin).joined_at is not None


async def test_stewards_own_messages_are_not_recorded(space: Workspace, config: Path) -> None:
    fake, general, carol = space.fake, space.channel("general"), space.person("carol")
    async with steward(config) as run:
        mine = fake.message_event(general, fake.bot_user_id, "Poll: pizza or pasta?", "1.1")
        app_post = fake.message_event(
            general, None, "Survey posted", fake.next_ts(), subtype="bot_message",
            bot_id=fake.bot_id,
        )  # fmt: skip
        updated = fake.message_event(
            general, fake.bot_user_id, "Poll: 1 vote", "1.1", subtype="message_changed",
            bot_id=fake.bot_id, previous_message=mine,
        )  # fmt: skip
        for event in (mine, app_post, updated):
            await send(run, fake, event)
        said = fake.add_message(general, carol, "after the bot")
        await send(run, fake, fake.message_event(general, carol, "after the bot", said))
        await wait_for(lambda: run.count("message", carol) == 1)
        assert run.count("message") == 1
        assert run.count("message_edited") == 0


async def test_a_member_who_joined_after_the_start_is_named_from_users_info(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with steward(config) as run:
        frank = fake.add_user("frank", display_name="Frank the Tank")
        said = fake.add_message(general, frank, "hi all, new here")
        await send(run, fake, fake.message_event(general, frank, "hi all, new here", said))
        await wait_for(lambda: run.count("message", frank) == 1)
        assert member_row(run, frank).name == "Frank the Tank"
        assert {"user": frank} in [{"user": p.get("user")} for p in fake.called("users.info")]


async def test_a_channel_renamed_after_the_start_is_found_by_its_new_name(
    space: Workspace, config: Path
) -> None:
    fake, managers, helpdesk = space.fake, space.channel("managers"), space.channel("help")
    alice = space.person("alice")
    async with steward(config) as run:
        fake.channels[helpdesk]["name"] = "support"
        renamed = {"type": "channel_rename", "channel": {
            "id": helpdesk, "name": "support", "created": fake.channels[helpdesk]["created"],
        }, "event_ts": fake.next_ts()}  # fmt: skip
        await send(run, fake, renamed)
        await wait_for(lambda: run.adapter.directory.place(helpdesk).name == "support")
        listing = fake.command(
            "/calendar", "list channel:#support", user_id=alice, channel_id=managers
        )
        answer = await deliver(run, fake, listing, "command")
    assert answer.status == 200
    assert "Calendar in #support" in answer.text, answer.text


async def test_a_user_slack_will_not_describe_is_asked_about_once_and_still_counted(
    space: Workspace, config: Path
) -> None:
    fake, general, ghost = space.fake, space.channel("general"), "U0GHOST001"  # not in users
    async with steward(config) as run:
        for text in ("first", "second"):
            await send(run, fake, fake.message_event(general, ghost, text, fake.next_ts()))
        await wait_for(lambda: run.count("message", ghost) == 2)
    assert [call["user"] for call in fake.called("users.info")] == [ghost]


async def test_a_member_slack_failed_to_describe_once_is_asked_again_and_named(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with steward(config) as run:
        frank = fake.add_user("frank", display_name="Frank the Tank")
        fake.fail_next("users.info", "fatal_error", status=200)  # Slack had a bad moment
        for text in ("hi all", "new here"):
            said = fake.add_message(general, frank, text)
            await send(run, fake, fake.message_event(general, frank, text, said))
            await wait_for(lambda: run.count("message", frank) >= 1)
        await wait_for(lambda: run.count("message", frank) == 2)
        assert len(fake.called("users.info")) == 2
        assert member_row(run, frank).name == "Frank the Tank"
