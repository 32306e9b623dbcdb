"""The fake Discord's REST API under /api/v10: routing, recording, injected failures, routes."""

from __future__ import annotations

import asyncio
import copy
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from tests.fakes.discord_state import (
    ATTACH,
    EMBED,
    HISTORY,
    SEND,
    SEND_IN_THREADS,
    THREAD_TYPES,
    VIEW,
    FakeState,
    Recorded,
    iso,
)

Handler = Callable[[Recorded, re.Match], Awaitable[web.StreamResponse]]
API_PREFIX = "/api/v10"


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> web.Response:
    """JSON with Discord's exact content type (discord.py compares it without a charset)."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def error(status: int, code: int, message: str) -> web.Response:
    return json_response({"message": message, "code": code}, status=status)


class RestMixin(FakeState):
    """Routes, the request log and `fail_next`; message routes live here too."""

    dispatch: Callable[[str, dict], Awaitable[None]]
    connected: bool
    gateway_url: str
    react: Callable[..., Awaitable[None]]
    new_thread: Callable[..., Awaitable[dict]]
    _application_flags: Callable[[], int]

    def _init_rest(self) -> None:
        self.token: str | None = None  # when set, a bot token other than this one gets 401
        self.requests: list[Recorded] = []
        self.command_syncs: list[tuple[str | None, list[dict]]] = []
        self.commands: dict[str | None, list[dict]] = {}
        self._failures: list[dict] = []
        self._routes: list[tuple[str, re.Pattern, Handler]] = []
        c, m = r"/channels/(?P<cid>\d+)", r"/messages/(?P<mid>\d+)"
        app = r"/applications/(?P<app>\d+)(?:/guilds/(?P<gid>\d+))?/commands"
        for method, pattern, handler in [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/oauth2/applications/@me", self._get_app),
            ("GET", r"/gateway(?:/bot)?", self._get_gateway),
            ("PUT", app, self._put_commands),
            ("GET", app, self._get_commands),
            ("POST", c + r"/messages", self._post_message),
            ("GET", c + r"/messages", self._get_history),
            ("GET", c + m, self._get_message),
            ("PATCH", c + m, self._patch_message),
            ("DELETE", c + m, self._delete_message),
            ("PUT", c + m + r"/reactions/(?P<emoji>[^/]+)/@me", self._put_reaction),
            ("DELETE", c + m + r"/reactions/(?P<emoji>[^/]+)/(?P<uid>@me|\d+)", self._del_reaction),
            ("GET", c + m + r"/reactions/(?P<emoji>[^/]+)", self._get_reactions),
            ("POST", c + r"(?:/messages/(?P<mid>\d+))?/threads", self._post_thread),
        ]:
            self.route(method, pattern, handler)

    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """Serve `method` on paths fully matching `pattern` (after /api/v10)."""
        self._routes.append((method, re.compile(pattern), handler))

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.05,
    ) -> None:
        """Answer the next `times` matching requests with `status` (429: a Discord rate limit)."""
        rule = {"method": method.upper(), "re": re.compile(path_regex), "status": status}
        self._failures.append({**rule, "times": times, "retry_after": retry_after})

    async def wait_request(
        self, method: str, path_regex: str, timeout: float = 5, count: int = 1
    ) -> list[Recorded]:
        """Wait until `count` matching requests were recorded (since start); return all matches."""
        pattern = re.compile(path_regex)

        def found() -> list[Recorded]:
            return [
                r for r in self.requests if r.method == method.upper() and pattern.search(r.path)
            ]

        async def poll() -> list[Recorded]:
            while len(found()) < count:
                await asyncio.sleep(0.01)
            return found()

        return await asyncio.wait_for(poll(), timeout)

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        body, files = await self._read_body(request)
        rec = Recorded(
            request.method, path, dict(request.query), body, files, dict(request.headers)
        )
        self.requests.append(rec)
        failure = self._take_failure(rec)
        if failure is not None:
            return failure
        bot_auth = request.headers.get("Authorization", "").startswith("Bot ")
        if (
            self.token is not None
            and bot_auth
            and request.headers["Authorization"] != f"Bot {self.token}"
        ):
            return error(401, 0, "401: Unauthorized")
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method == request.method:
                return await handler(rec, match)
        return error(404, 0, "404: Not Found")

    async def _read_body(self, request: web.Request) -> tuple[Any, list[tuple[str, str, bytes]]]:
        if request.content_type.startswith("multipart/"):
            body, files = None, []
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files.append((value.filename, value.content_type, value.file.read()))
                elif key == "payload_json":
                    body = json.loads(value)
            return body, files
        raw = await request.read() if request.can_read_body else b""
        try:
            return (json.loads(raw) if raw else None), []
        except ValueError:
            return raw.decode(errors="replace"), []

    def _take_failure(self, rec: Recorded) -> web.Response | None:
        for rule in self._failures:
            if rule["method"] == rec.method and rule["re"].search(rec.path):
                rule["times"] -= 1
                if rule["times"] <= 0:
                    self._failures.remove(rule)
                return self._failure_response(rule["status"], rule["retry_after"])
        return None

    def _failure_response(self, status: int, retry_after: float) -> web.Response:
        if status != 429:
            codes = {403: 50013, 404: 10008, 400: 50035}
            return error(status, codes.get(status, 0), f"{status}: fake failure")
        headers = {
            "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{retry_after:.3f}", "X-RateLimit-Bucket": "fakebucket",
            "X-RateLimit-Scope": "user", "Retry-After": str(math.ceil(retry_after)),
            "Via": "1.1 google",
        }  # fmt: skip
        body = {"message": "You are being rate limited.", "retry_after": retry_after}
        return json_response({**body, "global": False}, status=429, headers=headers)

    # users, application, gateway, commands
    async def _get_me(self, rec: Recorded, m: re.Match) -> web.Response:
        return json_response(self.bot_user)

    async def _get_app(self, rec: Recorded, m: re.Match) -> web.Response:
        owner = {**self.bot_user, "id": self.owner_id, "username": "owner", "bot": False}
        return json_response({
            "id": self.app_id, "name": "Steward", "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False, "owner": owner, "team": None,
            "verify_key": "0" * 64, "flags": self._application_flags(), "summary": "",
            "bot": self.bot_user, "interactions_endpoint_url": None, "redirect_uris": [],
            "tags": [], "approximate_guild_count": 1, "integration_types_config": {},
        })  # fmt: skip

    async def _get_gateway(self, rec: Recorded, m: re.Match) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _put_commands(self, rec: Recorded, m: re.Match) -> web.Response:
        scope, payload = m["gid"], list(rec.json or [])
        self.command_syncs.append((scope, copy.deepcopy(payload)))
        known = {(c["name"], c.get("type", 1)): c["id"] for c in self.commands.get(scope, [])}
        stored = []
        for command in payload:
            kind = command.get("type", 1)
            stored.append({
                "id": known.get((command["name"], kind)) or self.snowflake(), "type": kind,
                "application_id": self.app_id, "version": self.snowflake(), "description": "",
                "options": [], "default_member_permissions": None, "dm_permission": True,
                "nsfw": False, "name_localizations": None, "description_localizations": None,
                **command, **({"guild_id": scope} if scope else {}),
            })  # fmt: skip
        self.commands[scope] = stored
        return json_response(stored)

    async def _get_commands(self, rec: Recorded, m: re.Match) -> web.Response:
        return json_response(self.commands.get(m["gid"], []))

    # messages
    def _channel_or_error(self, channel_id: str) -> tuple[dict | None, web.Response | None]:
        channel = self.channel_payload(channel_id)
        if channel is None:
            return None, error(404, 10003, "Unknown Channel")
        if not self.permissions_for(self.bot_id, channel_id) & VIEW:
            return None, error(403, 50001, "Missing Access")
        return channel, None

    def _visible(self, message: dict) -> dict:
        return message if self.message_content_allowed else self.blank_content(message)

    async def _post_message(self, rec: Recorded, m: re.Match) -> web.Response:
        channel, failed = self._channel_or_error(m["cid"])
        if failed is not None or channel is None:
            return failed or error(404, 10003, "Unknown Channel")
        perms = self.permissions_for(self.bot_id, m["cid"])
        needed = SEND_IN_THREADS if channel["type"] in THREAD_TYPES else SEND
        if not perms & needed or (rec.files and not perms & ATTACH):
            return error(403, 50013, "Missing Permissions")
        body = rec.json if isinstance(rec.json, dict) else {}
        message = self.message_from_body(m["cid"], body, rec.files, embeds_allowed=perms & EMBED)
        if isinstance(message, web.Response):
            return message
        message["flags"] &= ~(1 << 6)  # ephemeral only exists for interaction answers
        self.store_message(message)
        if self.connected:
            await self.dispatch("MESSAGE_CREATE", message)
        return json_response(message)

    def message_from_body(
        self, channel_id: str, body: dict, files: list, *, embeds_allowed: int = EMBED, **kw: Any
    ) -> dict | web.Response:
        """A new bot message from a REST body, or the 400 Discord would answer."""
        content = body.get("content") or ""
        if len(content) > 2000:
            return error(400, 50035, "Invalid Form Body: content: Must be 2000 or fewer in length.")
        reply_to = (body.get("message_reference") or {}).get("message_id")
        if reply_to is not None and self.find_message(str(reply_to)) is None:
            return error(400, 50035, "Invalid Form Body: message_reference: Unknown message")
        attachments = self.attachments_from(channel_id, body, files, [])
        embeds = body.get("embeds") or ([body["embed"]] if body.get("embed") else [])
        parts = (content, embeds, attachments, body.get("components"), body.get("poll"))
        if not any(parts) and not body.get("sticker_ids"):
            return error(400, 50006, "Cannot send an empty message")
        message = self.build_message(
            channel_id, self.bot_id, content, reply_to=str(reply_to) if reply_to else None,
            embeds=embeds if embeds_allowed else [], components=body.get("components") or [],
            attachments=attachments, flags=int(body.get("flags") or 0), **kw,
        )  # fmt: skip
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        if body.get("poll"):
            message["poll"] = body["poll"]
        return message

    def attachments_from(self, channel_id: str, body: dict, files: list, old: list) -> list:
        """Attachments a body keeps (by id) and uploads (files[n], described by id n)."""
        kept = {a["id"]: a for a in old}
        described = {str(a.get("id")): a for a in body.get("attachments") or []}
        result = [kept[i] for i in described if i in kept] if "attachments" in body else list(old)
        for index, (filename, ctype, data) in enumerate(files):
            meta = described.get(str(index), {})
            att = self.make_attachment(channel_id, meta.get("filename") or filename, data, ctype)
            if meta.get("description"):
                att["description"] = meta["description"]
            result.append(att)
        return result

    async def _get_history(self, rec: Recorded, m: re.Match) -> web.Response:
        _, failed = self._channel_or_error(m["cid"])
        if failed is not None:
            return failed
        if not self.permissions_for(self.bot_id, m["cid"]) & HISTORY:
            return json_response([])
        q = rec.query
        limit = max(1, min(int(q.get("limit", 50)), 100))
        ordered = sorted(self.messages.get(m["cid"], []), key=lambda x: int(x["id"]))
        if "after" in q:
            picked = [x for x in ordered if int(x["id"]) > int(q["after"])][:limit]
        elif "before" in q:
            picked = [x for x in ordered if int(x["id"]) < int(q["before"])][-limit:]
        elif "around" in q:
            older = [x for x in ordered if int(x["id"]) < int(q["around"])]
            newer = [x for x in ordered if int(x["id"]) >= int(q["around"])]
            half = limit // 2
            picked = older[-half:] + newer[: limit - min(half, len(older))] if half else newer[:1]
        else:
            picked = ordered[-limit:]
        return json_response([self._visible(x) for x in reversed(picked)])

    async def _get_message(self, rec: Recorded, m: re.Match) -> web.Response:
        message = self.find_message(m["mid"], m["cid"])
        if message is None:
            return error(404, 10008, "Unknown Message")
        return json_response(self._visible(message))

    async def _patch_message(self, rec: Recorded, m: re.Match) -> web.Response:
        message = self.find_message(m["mid"], m["cid"])
        if message is None:
            return error(404, 10008, "Unknown Message")
        if message["author"]["id"] != self.bot_id:
            return error(403, 50005, "Cannot edit a message authored by another user")
        self.apply_edit(message, rec.json if isinstance(rec.json, dict) else {}, rec.files)
        if self.connected:
            await self.dispatch("MESSAGE_UPDATE", message)
        return json_response(message)

    def apply_edit(self, message: dict, body: dict, files: list) -> None:
        """Apply an edit body (content, embeds, components, flags, attachments) to a message."""
        for key in ("content", "components"):
            if key in body:
                message[key] = (
                    body[key] if body[key] is not None else ([] if key != "content" else "")
                )
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **e} for e in body["embeds"] or []]
        if "flags" in body and body["flags"] is not None:
            message["flags"] = int(body["flags"]) & ~(1 << 7)
        if "attachments" in body or files:
            old = message["attachments"]
            message["attachments"] = self.attachments_from(message["channel_id"], body, files, old)
        message["edited_timestamp"] = iso()
        self.fill_mentions(message)

    async def _delete_message(self, rec: Recorded, m: re.Match) -> web.Response:
        message = self.find_message(m["mid"], m["cid"])
        if message is None:
            return error(404, 10008, "Unknown Message")
        mine = message["author"]["id"] == self.bot_id
        if not mine and not self.permissions_for(self.bot_id, m["cid"]) & (1 << 13):
            return error(403, 50013, "Missing Permissions")
        await self.remove_message(m["cid"], m["mid"])
        return web.Response(status=204)

    async def remove_message(self, channel_id: str, message_id: str) -> None:
        messages = self.messages.get(channel_id, [])
        messages[:] = [x for x in messages if x["id"] != message_id]
        if self.connected:
            event = {"id": message_id, "channel_id": channel_id}
            if channel_id in self.channels:
                event["guild_id"] = self.guild_id
            await self.dispatch("MESSAGE_DELETE", event)

    async def _put_reaction(self, rec: Recorded, m: re.Match) -> web.Response:
        if self.find_message(m["mid"], m["cid"]) is None:
            return error(404, 10008, "Unknown Message")
        if not self.permissions_for(self.bot_id, m["cid"]) & (1 << 6):
            return error(403, 50013, "Missing Permissions")
        await self.react(m["cid"], m["mid"], self.bot_id, m["emoji"])
        return web.Response(status=204)

    async def _del_reaction(self, rec: Recorded, m: re.Match) -> web.Response:
        user_id = self.bot_id if m["uid"] == "@me" else m["uid"]
        await self.react(m["cid"], m["mid"], user_id, m["emoji"], remove=True)
        return web.Response(status=204)

    async def _get_reactions(self, rec: Recorded, m: re.Match) -> web.Response:
        users = self.reaction_users.get((m["mid"], m["emoji"]), [])
        return json_response([self.users[u] for u in users])

    async def _post_thread(self, rec: Recorded, m: re.Match) -> web.Response:
        channel, failed = self._channel_or_error(m["cid"])
        if failed is not None or channel is None:
            return failed or error(404, 10003, "Unknown Channel")
        body = rec.json if isinstance(rec.json, dict) else {}
        starter = None
        if channel["type"] == 15:
            starter = self.message_from_body(m["cid"], body.get("message") or {}, rec.files)
            if isinstance(starter, web.Response):
                return starter
        thread = await self.new_thread(
            m["cid"], body.get("name", "thread"), owner_id=self.bot_id, thread_id=m["mid"],
            starter=starter, type=int(body.get("type") or 11),
        )  # fmt: skip
        return json_response(thread)
