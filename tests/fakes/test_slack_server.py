"""Smoke tests: the real slack_sdk and slack_bolt, unmodified, against the fake Slack."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_server import FakeSlack, wait_for

POLL_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Lunch?*"}},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": "Pizza"},
             "action_id": "vote:pizza", "value": "pizza", "style": "primary"},
        ],
    },
]  # fmt: skip
MODAL = {
    "type": "modal",
    "callback_id": "survey",
    "title": {"type": "plain_text", "text": "Survey"},
    "submit": {"type": "plain_text", "text": "Send"},
    "blocks": [
        {"type": "input", "block_id": "q1", "label": {"type": "plain_text", "text": "Why?"},
         "element": {"type": "plain_text_input", "action_id": "q1"}},
    ],
}  # fmt: skip


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def client(fake: FakeSlack) -> AsyncWebClient:
    return AsyncWebClient(token=fake.bot_token, base_url=fake.api_base_url)


async def test_auth_test_answers_the_bot_identity(fake: FakeSlack, client: AsyncWebClient) -> None:
    resp = await client.auth_test()
    assert (resp["team_id"], resp["user_id"], resp["bot_id"]) == ("T0FAKE", "UBOT0001", "BBOT0001")
    assert fake.calls[0].method == "auth.test" and fake.calls[0].token == "xoxb-fake"
    assert "chat:write" in resp.headers["x-oauth-scopes"]


async def test_post_then_update_a_message_with_blocks(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(
        channel=fake.general_id, text="Lunch?", blocks=POLL_BLOCKS
    )
    stored = fake.messages[fake.general_id][-1]
    assert stored["ts"] == posted["ts"] and stored["user"] == "UBOT0001"
    assert stored["blocks"][1]["elements"][0]["action_id"] == "vote:pizza"
    assert all(block["block_id"] for block in stored["blocks"])
    await client.chat_update(channel=fake.general_id, ts=posted["ts"], text="Closed", blocks=[])
    assert stored["text"] == "Closed" and "blocks" not in stored and stored["edited"]
    with pytest.raises(SlackApiError) as raised:
        await client.chat_update(channel=fake.general_id, ts="1.000001", text="x")
    assert raised.value.response["error"] == "message_not_found"


async def test_invalid_blocks_are_refused_with_the_limit(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    too_many = [{"type": "divider"}] * 51
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    for blocks, why in ((too_many, "no more than 50 items"), (too_long, "less than 3001")):
        with pytest.raises(SlackApiError) as raised:
            await client.chat_postMessage(channel=fake.general_id, text="t", blocks=blocks)
        assert raised.value.response["error"] == "invalid_blocks"
        assert why in raised.value.response["response_metadata"]["messages"][0]
    assert fake.messages[fake.general_id] == []


async def test_a_bad_token_and_a_missing_scope_are_refused(fake: FakeSlack) -> None:
    bad = AsyncWebClient(token="xoxb-wrong", base_url=fake.api_base_url)
    with pytest.raises(SlackApiError) as raised:
        await bad.auth_test()
    assert raised.value.response["error"] == "invalid_auth"
    fake.scopes.discard("chat:write")
    good = AsyncWebClient(token=fake.bot_token, base_url=fake.api_base_url)
    with pytest.raises(SlackApiError) as raised:
        await good.chat_postMessage(channel=fake.general_id, text="hi")
    assert raised.value.response["error"] == "missing_scope"
    assert raised.value.response["needed"] == "chat:write"


async def test_history_pages_newest_first_without_replies(
    fake: FakeSlack, client: AsyncWebClient
) -> None:
    ann = fake.add_user("ann")
    seeded = [fake.add_message(fake.general_id, ann, f"m{i}") for i in range(5)]
    reply = fake.add_message(fake.general_id, ann, "reply", thread_ts=seeded[0])
    pages, cursor = [], None
    for _ in range(5):  # bounded: a broken cursor must fail the test, not hang it
        resp = await client.conversations_history(channel=fake.general_id, limit=2, cursor=cursor)
        pages.append([m["text"] for m in resp["messages"]])
        cursor = (resp.get("response_metadata") or {}).get("next_cursor")
        if not resp["has_more"]:
            break
    assert pages == [["m4", "m3"], ["m2", "m1"], ["m0"]]
    assert fake.messages[fake.general_id][0]["reply_count"] == 1
    thread = await client.conversations_replies(channel=fake.general_id, ts=seeded[0])
    assert [m["ts"] for m in thread["messages"]] == [seeded[0], reply]
    away = fake.add_channel("away", bot_member=False)
    with pytest.raises(SlackApiError) as raised:
        await client.conversations_history(channel=away)
    assert raised.value.response["error"] == "not_in_channel"


async def test_a_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    retrying = AsyncWebClient(
        token=fake.bot_token, base_url=fake.api_base_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )  # fmt: skip
    fake.fail_next("chat.postMessage", retry_after=0)
    await retrying.chat_postMessage(channel=fake.general_id, text="hi")
    assert len(fake.called("chat.postMessage")) == 2
    assert [m["text"] for m in fake.messages[fake.general_id]] == ["hi"]


async def test_files_upload_v2_lands_in_uploads(fake: FakeSlack, client: AsyncWebClient) -> None:
    root = fake.add_message(fake.general_id, fake.add_user("ann"), "results?")
    await client.files_upload_v2(
        content=b"a,b\n1,2\n", filename="poll.csv", channel=fake.general_id, thread_ts=root,
        initial_comment="Results",
    )  # fmt: skip
    upload = fake.uploads[0]
    assert (upload["data"], upload["filename"], upload["thread_ts"]) == (
        b"a,b\n1,2\n",
        "poll.csv",
        root,
    )
    shared = fake.messages[fake.general_id][-1]
    assert shared["text"] == "Results" and shared["thread_ts"] == root
    url = shared["files"][0]["url_private_download"]
    async with aiohttp.ClientSession() as http:
        async with http.get(url, headers={"Authorization": f"Bearer {fake.bot_token}"}) as resp:
            assert await resp.read() == b"a,b\n1,2\n"
        async with http.get(url) as resp:
            assert resp.content_type == "text/html" and "Sign in" in await resp.text()


async def test_a_trigger_id_opens_one_modal(fake: FakeSlack, client: AsyncWebClient) -> None:
    trigger = fake.mint_trigger()
    opened = await client.views_open(trigger_id=trigger, view=MODAL)
    assert opened["view"]["callback_id"] == "survey" and fake.views[0]["view"] == MODAL
    for bad, error in ((trigger, "expired_trigger_id"), ("1.2.3", "invalid_trigger_id")):
        with pytest.raises(SlackApiError) as raised:
            await client.views_open(trigger_id=bad, view=MODAL)
        assert raised.value.response["error"] == error
    long_title = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    with pytest.raises(SlackApiError) as raised:
        await client.views_open(trigger_id=fake.mint_trigger(), view=long_title)
    assert raised.value.response["error"] == "invalid_arguments"
    submitted = fake.view_submission(user_id="U1", callback_id="survey", values={"q1": "Because"})
    assert submitted["view"]["state"]["values"]["q1"]["q1"]["value"] == "Because"


def bolt_app(fake: FakeSlack, seen: list) -> AsyncApp:
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_base_url)
    app = AsyncApp(signing_secret=fake.signing_secret, client=client)

    @app.event("message")
    async def on_message(event: dict) -> None:
        seen.append(event["text"])

    @app.command("/poll")
    async def on_poll(ack: AsyncAck, command: dict) -> None:
        await ack(f"poll {command['text']}")

    @app.action("vote:pizza")
    async def on_vote(ack: AsyncAck, body: dict) -> None:
        await ack()
        seen.append(f"vote {body['actions'][0]['value']} on {body['message']['text']}")

    @app.view("survey")
    async def on_survey(ack: AsyncAck, view: dict) -> None:
        answer = view["state"]["values"]["q1"]["q1"]["value"]
        await ack(response_action="errors", errors={"q1": f"{answer}? too short"})

    return app


@contextlib.asynccontextmanager
async def serve(app: AsyncApp) -> AsyncIterator[str]:
    async def handle(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web_app = web.Application()
    web_app.router.add_post("/slack/events", handle)
    runner = web.AppRunner(web_app, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    finally:
        await runner.cleanup()


async def test_bolt_over_http_takes_only_signed_fresh_requests(fake: FakeSlack) -> None:
    seen: list[str] = []
    ann = fake.add_user("ann")
    bolt = bolt_app(fake, seen)
    async with serve(bolt) as url:
        ts = fake.add_message(fake.general_id, ann, "hello")
        body = fake.event(fake.message_event(fake.general_id, ann, "hello", ts))
        delivered = await fake.post_http(url, body, kind="event")
        assert delivered.status == 200
        assert await wait_for(lambda: seen == ["hello"], timeout=2)
        for bad in ({"signed": False}, {"secret": "wrong"}, {"timestamp": time.time() - 360}):
            assert (await fake.post_http(url, body, kind="event", **bad)).status == 401
        command = fake.command("/poll", "lunch", user_id=ann, channel_id=fake.general_id)
        answered = await fake.post_http(url, command, kind="command")
        assert (answered.status, answered.text) == (200, "poll lunch")
        posted = await bolt.client.chat_postMessage(
            channel=fake.general_id, text="Lunch?", blocks=POLL_BLOCKS
        )
        click = fake.block_actions(
            user_id=ann, channel_id=fake.general_id, message_ts=posted["ts"], action_id="vote:pizza"
        )
        assert (await fake.post_http(url, click, kind="interactive")).status == 200
        assert await wait_for(lambda: len(seen) == 2, timeout=2)
    assert seen == ["hello", "vote pizza on Lunch?"]  # the refused deliveries ran nothing


async def test_bolt_in_socket_mode_acks_envelopes(fake: FakeSlack) -> None:
    seen: list[str] = []
    ann = fake.add_user("ann")
    handler = AsyncSocketModeHandler(bolt_app(fake, seen), fake.app_token)
    await handler.connect_async()
    try:
        assert await fake.socket_connected(timeout=2)
        ts = fake.add_message(fake.general_id, ann, "over socket")
        event = fake.event(fake.message_event(fake.general_id, ann, "over socket", ts))
        ack = await fake.post_socket(event, kind="events_api")
        assert ack["envelope_id"] and await wait_for(lambda: seen == ["over socket"], timeout=2)
        command = fake.command("/poll", "now", user_id=ann, channel_id=fake.general_id)
        ack = await fake.post_socket(command, kind="slash_commands")
        assert ack["payload"] == {"text": "poll now"}
        await handler.app.client.views_open(trigger_id=command["trigger_id"], view=MODAL)
        submitted = fake.view_submission(user_id=ann, callback_id="survey", values={"q1": "Hm"})
        ack = await fake.post_socket(submitted, kind="interactive")
        assert ack["payload"] == {"response_action": "errors", "errors": {"q1": "Hm? too short"}}
    finally:
        await handler.close_async()
