"""What Steward posts on Slack: a poll's results with its chart uploaded beside them, long
text split into valid Block Kit, many sections and fields, a rate limit waited out, private
words as ephemeral messages, a private file or image in a direct message, a post never
repeated when its answer is lost, and one connection for many calls."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from bot.core.envelope import Destination
from bot.core.messages import FileData, Image, Message, Section
from tests.adapters.slack.harness import (
    FakeSlack,
    Workspace,
    blocks_of,
    bot_posts,
    buttons,
    deliver,
    private_answers,
    shown_text,
    steward,
    wait_for,
    write_config,
)
from tests.fakes.slack_api import Params, SlackError

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


async def test_a_private_image_reaches_the_member_in_a_direct_message(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    chart = Image("chart.png", b"\x89PNG\r\n\x1a\nchart", alt="Votes so far")
    async with steward(config) as run:
        where = Destination("slack", general).privately(bob)
        await run.adapter.send(where, Message(text="Your poll so far", image=chart))
    dm = fake.open_dm(bob)
    [upload] = fake.uploads
    assert (upload["channel_id"], upload["data"]) == (dm, chart.data)
    assert [p["text"] for p in bot_posts(fake, dm) if not p.get("files")] == ["Your poll so far"]
    assert not fake.called("chat.postEphemeral")  # an ephemeral message would drop the image
    assert not bot_posts(fake, general)


async def test_a_direct_message_whose_file_and_note_both_fail_is_posted_once(
    space: Workspace, config: Path
) -> None:
    fake, bob = space.fake, space.person("bob")

    def upload_refused(p: Params) -> dict:
        fake.fail_next("chat.postMessage", "fatal_error", status=200)  # the note fails too
        raise SlackError("fatal_error")

    fake.api_files_getUploadURLExternal = upload_refused
    export = FileData("export.json", b"{}", "application/json")
    async with steward(config) as run:
        where = Destination("slack", fake.general_id).privately(bob, direct=True)
        sent = await run.adapter.send(where, Message(text="Your data", file=export))
    dm = fake.open_dm(bob)
    assert [(p["ts"], p["text"]) for p in bot_posts(fake, dm)] == [(sent.message_id, "Your data")]
    assert len(fake.called("chat.postMessage")) == 2  # the text, then the note that failed


@asynccontextmanager
async def relay(fake: FakeSlack, drop: str) -> AsyncIterator[str]:
    """A Web API base URL passing every call on to the fake Slack, except that the first
    call of method `drop` is made and its answer lost (the connection closes); the URL."""
    dropped: list[str] = []

    async def pass_on(request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                request.method,
                fake.api_base_url + method,
                params=request.query,
                data=await request.read(),
                headers=headers,
            ) as answer,
        ):
            body = await answer.read()
        if method == drop and not dropped:
            dropped.append(method)
            request.transport.close()  # done at Slack; the answer never arrives
            return web.Response()
        kept = ("content-type", "retry-after", "x-oauth-scopes")
        return web.Response(
            body=body, status=answer.status,
            headers={k: v for k, v in answer.headers.items() if k.lower() in kept},
        )  # fmt: skip

    server = web.Application()
    server.router.add_route("*", "/api/{method}", pass_on)
    runner = web.AppRunner(server, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/api/"
    finally:
        await runner.cleanup()


async def test_a_post_whose_answer_is_lost_is_not_posted_again_by_the_client(
    space: Workspace, tmp_path: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with relay(fake, drop="chat.postMessage") as api:
        config = write_config(tmp_path / "s.toml", space, tmp_path / "s.db", api_base_url=api)
        async with steward(config) as run:
            with pytest.raises(aiohttp.ServerDisconnectedError):
                await run.adapter.send(Destination("slack", general), Message(text="Winner: bob"))
            await run.adapter.send(Destination("slack", general), Message(text="next"))
    assert [p["text"] for p in bot_posts(fake, general)] == ["Winner: bob", "next"]


async def test_many_web_api_calls_share_one_connection(space: Workspace, config: Path) -> None:
    fake, general = space.fake, space.channel("general")
    server = fake._runner.server
    opened: list[asyncio.Transport] = []
    made = server.connection_made

    def counted(handler, transport) -> None:
        opened.append(transport)
        made(handler, transport)

    server.connection_made = counted
    async with steward(config) as run:
        sent = await run.adapter.send(Destination("slack", general), Message(text="votes: 0"))
        before = len(opened)
        for votes in range(1, 6):
            await run.adapter.update(sent, Message(text=f"votes: {votes}"))
        new_connections = len(opened) - before
    assert [p["text"] for p in bot_posts(fake, general)] == ["votes: 5"]
    assert len(fake.called("chat.update")) == 5
    assert new_connections <= 1  # slack_sdk without a session: one connection a call
    assert run.adapter.client.session.closed  # stop() closed it (no unclosed-session warning)
