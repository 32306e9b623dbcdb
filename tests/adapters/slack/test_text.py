"""What members write arrives as they wrote it: Slack's `&amp;`, `&lt;`, `&gt;` are read
back as characters (so a post shows them once, not escaped twice), and deleting a thread's
first message, which Slack reports as a change into a tombstone, counts as its deletion."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import (
    Workspace,
    bot_posts,
    buttons,
    deliver,
    shown_text,
    steward,
    wait_for,
)


async def test_ampersands_and_angle_brackets_show_once_in_the_poll(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with steward(config) as run:
        asked = 'create question:"Q&A <today>?" options:"cats & dogs | b"'
        command = fake.command("/poll", asked, user_id=space.person("bob"), channel_id=general)
        assert "&amp;" in command["text"]  # as Slack sends it
        await deliver(run, fake, command, "command")
        [post] = await wait_for(lambda: bot_posts(fake, general))
    assert "Q&amp;A &lt;today&gt;?" in shown_text(post)  # mrkdwn: Slack shows "Q&A <today>?"
    assert "&amp;amp;" not in shown_text(post)
    assert list(buttons(post)) == ["cats & dogs · 0", "b · 0"]  # plain text: shown as is


async def test_deleting_a_threads_first_message_counts_as_its_authors_deletion(
    space: Workspace, config: Path
) -> None:
    fake, help_id = space.fake, space.channel("help")
    bob, carol = space.person("bob"), space.person("carol")
    async with steward(config) as run:
        root = fake.add_message(help_id, bob, "Anyone know how to export?")
        await deliver(
            run,
            fake,
            fake.event(fake.message_event(help_id, bob, "Anyone know how to export?", root)),
            "event",
        )
        reply = fake.add_message(help_id, carol, "Settings → Export", thread_ts=root)
        event = fake.message_event(help_id, carol, "Settings → Export", reply, thread_ts=root)
        await deliver(run, fake, fake.event(event), "event")
        changed = fake.delete_message(help_id, root)
        assert changed["subtype"] == "message_changed"  # the root became a tombstone
        await deliver(run, fake, fake.event(changed), "event")
        await wait_for(lambda: run.count("message_deleted") == 1)
        assert run.count("message_deleted", bob) == 1
        assert run.count("message_edited") == 0
        gone = fake.delete_message(help_id, reply)  # the last reply: the tombstone goes too
        await deliver(run, fake, fake.event(gone), "event")
        tombstone = fake.message_event(
            help_id, None, "", fake.next_ts(), subtype="message_deleted", deleted_ts=root,
            previous_message={"type": "message", "subtype": "tombstone", "user": "USLACKBOT",
                              "text": "This message was deleted.", "ts": root},
        )  # fmt: skip
        await deliver(run, fake, fake.event(tombstone), "event")
        await wait_for(lambda: run.count("message_deleted") == 2)
        assert run.count("message_deleted", carol) == 1
        assert run.count("message_deleted", "USLACKBOT") == 0
