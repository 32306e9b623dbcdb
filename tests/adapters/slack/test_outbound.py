"""What Steward posts on Slack: a poll's results with its chart uploaded beside them, long
text split into valid Block Kit, many sections and fields, a rate limit waited out, private
words as ephemeral messages, and a private file in a direct message."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.core.envelope import Destination
from bot.core.messages import Message, Section
from tests.adapters.slack.harness import (
    Workspace,
    blocks_of,
    bot_posts,
    buttons,
    deliver,
    private_answers,
    shown_text,
    steward,
    wait_for,
)

SECTION_TEXT, MAX_BLOCKS = 3000, 50


async def test_a_closed_poll_posts_its_results_and_uploads_the_chart_beside_them(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(config) as run:
        asked = 'create question:"Pizza or pasta?" options:"pizza | pasta"'
        created = await deliver(
            run, fake, fake.command("/poll", asked, user_id=bob, channel_id=general), "command"
        )
        [poll] = await wait_for(lambda: bot_posts(fake, general))
        poll_id = re.search(r"Poll (\d+) is open", "\n".join(private_answers(fake, created))).group(
            1
        )
        click = fake.block_actions(
            user_id=bob, channel_id=general, message_ts=poll["ts"],
            action_id=buttons(poll)["pizza · 0"],
        )  # fmt: skip
        await deliver(run, fake, click, "interactive")
        closing = fake.command("/poll", f"close id:{poll_id}", user_id=bob, channel_id=general)
        closed = await deliver(run, fake, closing, "command")

        def results() -> list[dict]:
            return [p for p in bot_posts(fake, general) if "Results: Pizza or pasta?" in p["text"]]

        [posted] = await wait_for(results, timeout=10)
        [chart] = await wait_for(lambda: [u for u in fake.uploads if u["channel_id"] == general])
        await wait_for(lambda: "results are posted" in "\n".join(private_answers(fake, closed)))
    assert "pizza" in shown_text(posted) and "Turnout" in shown_text(posted)
    assert chart["data"].startswith(b"\x89PNG")
    assert chart["filename"] == f"poll-{poll_id}-results.png"
    assert len(fake.called("files.getUploadURLExternal")) == 1
    [completed] = fake.called("files.completeUploadExternal")
    assert completed["channel_id"] == general
    shared = [m for m in fake.messages[general] if m.get("subtype") == "file_share"]
    assert [f["name"] for m in shared for f in m["files"]] == [chart["filename"]]


async def test_ten_thousand_characters_are_split_into_valid_blocks_with_every_word_in_order(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    words = [f"word{n:04d}" for n in range(1110)]  # 10 characters each with the space
    paragraphs = [" ".join(words[n : n + 50]) for n in range(0, len(words), 50)]
    text = "\n\n".join(paragraphs)
    assert len(text) >= 10_000
    async with steward(config) as run:
        await run.app.send("slack", general, Message(text=text))
    posts = bot_posts(fake, general)
    calls = fake.called("chat.postMessage")
    assert len(posts) == len(calls) >= 3  # every part accepted: the fake refuses invalid_blocks
    for params in calls:
        shown = blocks_of(params)
        assert 0 < len(shown) <= MAX_BLOCKS
        assert all(len(b["text"]["text"]) <= SECTION_TEXT for b in shown if b["type"] == "section")
    arrived = re.findall(r"word\d{4}", "\n".join(shown_text(p) for p in posts))
    assert arrived == words


async def test_thirty_sections_of_twelve_fields_are_posted_whole(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    sections = tuple(
        Section(title=f"Team {s}", fields=tuple((f"member {s}.{f}", f"{f}") for f in range(12)))
        for s in range(30)
    )
    async with steward(config) as run:
        await run.app.send("slack", general, Message(text="Weekly report", sections=sections))
    posts = bot_posts(fake, general)
    assert len(posts) == len(fake.called("chat.postMessage")) >= 2
    assert all(len(blocks_of(p)) <= MAX_BLOCKS for p in fake.called("chat.postMessage"))
    shown = "\n".join(shown_text(p) for p in posts)
    assert re.findall(r"Team \d+", shown) == [f"Team {s}" for s in range(30)]
    assert re.findall(r"member \d+\.\d+", shown) == [
        f"member {s}.{f}" for s in range(30) for f in range(12)
    ]


async def test_a_rate_limited_post_is_retried_by_the_sdk_and_arrives_once(
    space: Workspace, config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with steward(config) as run:
        fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=0)
        await run.app.send("slack", general, Message(text="still here"))
    assert [p["text"] for p in bot_posts(fake, general)] == ["still here"]
    assert len(fake.called("chat.postMessage")) == 2


async def test_a_private_word_without_an_interaction_is_an_ephemeral_message(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(config) as run:
        where = Destination("slack", general).privately(bob)
        await run.adapter.send(where, Message(text="only for you"))
    [shown] = fake.called("chat.postEphemeral")
    assert (shown["channel"], shown["user"]) == (general, bob)
    assert "only for you" in shown_text({"blocks": blocks_of(shown), "text": shown["text"]})
    assert not bot_posts(fake, general)


async def test_a_privacy_export_reaches_the_member_as_a_json_file_in_a_direct_message(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    async with steward(config) as run:
        ts = fake.add_message(general, bob, "hello")
        await deliver(run, fake, fake.event(fake.message_event(general, bob, "hello", ts)), "event")
        await wait_for(lambda: run.count("message", bob) == 1)
        asked = fake.command("/privacy", "export", user_id=bob, channel_id=general)
        answer = await deliver(run, fake, asked, "command")
        [upload] = await wait_for(lambda: fake.uploads)
        await wait_for(lambda: "Only you can see this" in "\n".join(private_answers(fake, answer)))
    [opened] = fake.called("conversations.open")
    assert opened["users"] == bob
    dm = fake.open_dm(bob)
    assert upload["channel_id"] == dm
    assert upload["filename"] == f"steward-export-slack-{bob}.json"
    exported = json.loads(upload["data"])
    said = [i for i in exported["interactions"] if i["kind"] == "message"]
    assert [i["message_id"] for i in said] == [ts]
    assert not bot_posts(fake, general)
    assert [f["name"] for m in bot_posts(fake, dm) for f in m.get("files", [])] == [
        upload["filename"]
    ]
