"""Delivering to the app as Slack does: signed HTTP POSTs, Socket Mode envelopes (with the
app's acks), and the response_urls the app answers on."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

from tests.fakes.discord_interactions import wait_for
from tests.fakes.slack_api import reply
from tests.fakes.slack_blocks import filled, message_block_errors
from tests.fakes.slack_payloads import PayloadsMixin

KINDS = {"event", "command", "interactive"}
SOCKET_KINDS = {"events_api", "slash_commands", "interactive"}
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"
RESPONSE_URL_USES = 5


@dataclass
class Delivered:
    """The app's answer to one HTTP delivery."""

    status: int
    text: str
    json: Any
    elapsed: float


def signature(secret: str, timestamp: str, body: str) -> str:
    """X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class DeliveryMixin(PayloadsMixin):
    """`post_http`, `post_socket` and the server side of Socket Mode and response_urls."""

    def _init_delivery(self) -> None:
        self.sockets: list[web.WebSocketResponse] = []
        self.acks: list[dict] = []
        self.socket_messages: list[Any] = []  # every text frame an app sent, parsed
        self._ack_waiters: dict[str, asyncio.Future] = {}
        self._session: aiohttp.ClientSession | None = None

    async def _close_delivery(self) -> None:
        for ws in list(self.sockets):
            await ws.close(code=1001)
        if self._session is not None:
            await self._session.close()
            self._session = None

    # HTTP
    async def post_http(
        self,
        url: str,
        body: dict,
        *,
        kind: str = "event",
        signed: bool = True,
        secret: str | None = None,
        timestamp: float | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
        timeout: float = 3.0,
    ) -> Delivered:
        """POST `body` to the app like Slack: events as JSON, commands as a form, interactive
        payloads as the form field `payload`; signed with the signing secret (or `secret`) at
        `timestamp` (default now). Raises TimeoutError after `timeout` (Slack waits 3 s)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}")
        if kind == "event":
            data, ctype = json.dumps(body), "application/json"
        else:
            fields = body if kind == "command" else {"payload": json.dumps(body)}
            data, ctype = urlencode(fields), "application/x-www-form-urlencoded"
        headers = {"Content-Type": ctype, "User-Agent": USER_AGENT, "Accept": "*/*"}
        if signed:
            ts = str(int(timestamp if timestamp is not None else time.time()))
            headers["X-Slack-Request-Timestamp"] = ts
            headers["X-Slack-Signature"] = signature(secret or self.signing_secret, ts, data)
        if retry_num is not None:
            headers.update(
                {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
            )
        if self._session is None:
            self._session = aiohttp.ClientSession()
        started = time.monotonic()
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with self._session.post(
            url, data=data.encode(), headers=headers, timeout=client_timeout
        ) as resp:
            text = await resp.text()
        try:
            parsed = json.loads(text) if text else None
        except ValueError:
            parsed = None
        return Delivered(resp.status, text, parsed, time.monotonic() - started)

    # Socket Mode
    async def _handle_socket(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.socket_tickets:
            return web.Response(status=401, text="invalid ticket")
        self.socket_tickets.discard(ticket)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json({
            "type": "hello", "num_connections": len(self.sockets) + 1,
            "debug_info": {"host": "applink-fake-1", "build_number": 1,
                           "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.app_id},
        })  # fmt: skip
        self.sockets.append(ws)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_socket_text(msg.data)
        finally:
            self.sockets.remove(ws)
        return ws

    def _on_socket_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            self.socket_messages.append(data)
            return
        self.socket_messages.append(message)
        if isinstance(message, dict) and "envelope_id" in message:
            self.acks.append(message)
            waiter = self._ack_waiters.get(message["envelope_id"])
            if waiter is not None and not waiter.done():
                waiter.set_result(message)

    def _socket(self) -> web.WebSocketResponse:
        open_sockets = [ws for ws in self.sockets if not ws.closed]
        if not open_sockets:
            raise RuntimeError("no app is connected in Socket Mode")
        return open_sockets[-1]

    async def socket_connected(self, timeout: float = 5) -> bool:
        """Wait until an app holds a Socket Mode connection (it has had its hello)."""
        return await wait_for(lambda: any(not ws.closed for ws in self.sockets), timeout)

    async def post_socket(
        self,
        body: dict,
        *,
        kind: str = "events_api",
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 3,
    ) -> dict:
        """Send an envelope on the newest connection; the app's ack (TimeoutError if none)."""
        if kind not in SOCKET_KINDS:
            raise ValueError(f"kind must be one of {sorted(SOCKET_KINDS)}")
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "payload": body,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        waiter = asyncio.get_running_loop().create_future()
        self._ack_waiters[envelope_id] = waiter
        try:
            await self._socket().send_str(json.dumps(envelope))
            return await asyncio.wait_for(waiter, timeout)
        finally:
            self._ack_waiters.pop(envelope_id, None)

    async def disconnect_socket(self, reason: str = "refresh_requested") -> None:
        """Tell the app to reconnect, as Slack does before it recycles a connection."""
        await self._socket().send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}}
        )

    # response_url
    async def _handle_response_url(self, request: web.Request) -> web.Response:
        """POSTs to a response_url: recorded in `ephemerals`, then acted on like Slack
        (replace_original / delete_original the clicked message, in_channel posts)."""
        text = await request.text()
        try:
            body = json.loads(text) if text.lstrip().startswith("{") else dict(await request.post())
        except ValueError:
            return reply({"ok": False, "error": "invalid_payload"}, 400)
        self.ephemerals.append({"response_url": True, **body})
        context = self.response_urls.get(
            f"{request.match_info['id']}/{request.match_info['secret']}"
        )
        if context is None:
            return reply({"ok": False, "error": "expired_url"}, 404)
        context["uses"] += 1
        if context["uses"] > RESPONSE_URL_USES:
            return reply({"ok": False, "error": "used_url"}, 404)
        blocks = body.get("blocks")
        if blocks is not None and (not isinstance(blocks, list) or message_block_errors(blocks)):
            return reply({"ok": False, "error": "invalid_blocks"}, 400)
        self._respond(context, body)
        return reply({"ok": True})

    def _respond(self, context: dict, body: dict) -> None:
        channel_id, message_ts = context.get("channel_id"), context.get("message_ts")
        original = self.find(channel_id, message_ts) if channel_id and message_ts else None
        if original is not None and body.get("delete_original") in (True, "true"):
            self.remove_message(channel_id, original)
        elif original is not None and body.get("replace_original") in (True, "true"):
            original["text"] = body.get("text", "")
            original.pop("blocks", None)
            original.update({"blocks": filled(body["blocks"])} if body.get("blocks") else {})
        elif body.get("response_type") == "in_channel" and channel_id in self.channels:
            message = self.bot_message(
                body.get("text", ""), self.next_ts(), blocks=body.get("blocks")
            )
            if body.get("thread_ts"):
                message["thread_ts"] = body["thread_ts"]
            self.store(channel_id, message)
