"""The fake Discord's gateway: one bot websocket with HELLO, IDENTIFY/RESUME and dispatches."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.discord_state import MEMBERS_INTENT, MESSAGE_CONTENT_INTENT, FakeState

HEARTBEAT_INTERVAL = 41250
CONTENT_EVENTS = ("MESSAGE_CREATE", "MESSAGE_UPDATE")


class GatewayMixin(FakeState):
    """Serves /gateway: keeps one session (id, sequence, sent dispatches for RESUME)."""

    gateway_url: str

    def _init_gateway(self) -> None:
        self.identify_payloads: list[dict] = []
        self.resumes = 0
        # what READY names as the address to resume at (Discord names a regional gateway);
        # None: this fake's own gateway
        self.resume_gateway_url: str | None = None
        self.gateway_frames: list[dict] = []  # every frame the client sent
        self._ws: web.WebSocketResponse | None = None
        self._live: web.WebSocketResponse | None = None  # the socket that identified/resumed
        self._session_id: str | None = None
        self._seq = 0
        self._sent: list[dict] = []
        self._intents = 0
        self._ready = asyncio.Event()
        self._heartbeat = asyncio.Event()
        self._send_lock = asyncio.Lock()
        self._ws_tasks: set[asyncio.Task] = set()

    @property
    def connected(self) -> bool:
        """A bot socket is open and its session got READY (or RESUMED)."""
        return self._ws is not None and not self._ws.closed and self._ready.is_set()

    async def wait_ready(self, timeout: float = 10) -> None:
        """Wait until a client identified or resumed, and has read READY and GUILD_CREATE."""
        await asyncio.wait_for(self._ready.wait(), timeout)

    async def dispatch(self, event: str, data: dict) -> None:
        """Send a dispatch (op 0) with the next sequence; kept for RESUME replay."""
        async with self._send_lock:
            self._seq += 1
            frame = {"op": 0, "t": event, "s": self._seq, "d": data}
            self._sent.append(frame)
            ws = self._live
            if ws is not None and not ws.closed:
                await self._send_frame(ws, frame)

    async def _send_frame(self, ws: web.WebSocketResponse, frame: dict) -> None:
        if frame.get("t") in CONTENT_EVENTS and not self._intents & MESSAGE_CONTENT_INTENT:
            frame = {**frame, "d": self.blank_content(frame["d"])}
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(json.dumps(frame))

    async def _send_op(self, op: int, data: Any) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._send_frame(self._ws, {"op": op, "d": data, "s": None, "t": None})

    async def drop(self, *, resumable: bool) -> None:
        """Close the bot's socket: it should RESUME, or (not resumable) identify anew."""
        ws, self._live = self._ws, None
        self._ready.clear()
        if ws is None or ws.closed:
            return
        if resumable:
            await ws.close(code=4000, message=b"dropped by the test")
            return
        self._session_id = None
        await self._send_op(9, False)  # the client closes and identifies anew

    async def sync(self, timeout: float = 5) -> None:
        """Ask the client to heartbeat; its answer shows it has read everything sent before."""
        self._heartbeat.clear()
        await self._send_op(1, self._seq)
        await asyncio.wait_for(self._heartbeat.wait(), timeout)

    async def _handle_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        old, self._ws, self._live = self._ws, ws, None
        self._ready.clear()
        if old is not None and not old.closed:
            await old.close(code=4000)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL}}))
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            frame = json.loads(msg.data)
            self.gateway_frames.append(frame)
            task = asyncio.create_task(self._on_frame(ws, frame))
            self._ws_tasks.add(task)
            task.add_done_callback(self._ws_tasks.discard)
        if self._ws is ws:
            self._live = None
            self._ready.clear()
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: dict) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            self._heartbeat.set()
            await ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            await self._identify(ws, data)
        elif op == 6:
            await self._resume(ws, data)
        elif op == 8:
            await self._chunk(data)

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> None:
        self.identify_payloads.append(data)
        intents = int(data.get("intents", 0))
        refused_members = intents & MEMBERS_INTENT and not self.members_allowed
        if refused_members or (
            intents & MESSAGE_CONTENT_INTENT and not self.message_content_allowed
        ):
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        async with self._send_lock:
            self._intents, self._seq, self._sent = intents, 0, []
            self._session_id = secrets.token_hex(16)
            self._live = ws
        ready = {
            "v": 10, "user": self.bot_user, "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": self._session_id, "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url or self.gateway_url,
            "private_channels": [], "presences": [],
            "relationships": [], "guild_join_requests": [], "user_settings": {},
            "application": {"id": self.app_id, "flags": self._application_flags()},
            "geo_ordered_rtc_regions": ["local"], "_trace": ["fake-discord"],
        }  # fmt: skip
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        await self.dispatch("GUILD_CREATE", self.guild_create_payload())
        await self._confirm_ready(ws)

    def _application_flags(self) -> int:
        flags = 1 << 23  # the application command badge
        flags |= (1 << 15) if self.members_allowed else 0  # members intent (limited)
        return flags | (1 << 19) if self.message_content_allowed else flags  # content (limited)

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> None:
        if not data or data.get("session_id") != self._session_id or self._session_id is None:
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        self.resumes += 1
        seq = data.get("seq") or 0
        async with self._send_lock:
            for frame in self._sent:
                if frame["s"] > seq:
                    await self._send_frame(ws, frame)
            self._live = ws
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        await self._confirm_ready(ws)

    async def _confirm_ready(self, ws: web.WebSocketResponse) -> None:
        if self._ws is not ws or ws.closed:
            return
        try:
            await self.sync()
        except TimeoutError:
            return
        if self._ws is ws and not ws.closed:
            self._ready.set()

    async def _chunk(self, data: dict) -> None:
        query = (data.get("query") or "").lower()
        wanted = {str(u) for u in data.get("user_ids") or []}
        members = [
            m
            for uid, m in self.members.items()
            if (uid in wanted if wanted else m["user"]["username"].lower().startswith(query))
        ]
        limit = data.get("limit") or 0
        chunk = {
            "guild_id": self.guild_id, "members": members[:limit] if limit else members,
            "chunk_index": 0, "chunk_count": 1, "not_found": sorted(wanted - set(self.members)),
        }  # fmt: skip
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
