"""The fake Slack's Web API dispatch: reading params as slack_sdk sends them (query, form,
multipart or JSON), tokens and scopes, injected failures, pagination and the replies."""

from __future__ import annotations

import base64
import json
import secrets
from typing import Any

from aiohttp import web

from tests.fakes.slack_state import Call, SlackState

APP_TOKEN_METHODS = {"apps.connections.open"}
ANY_TOKEN_METHODS = {"auth.test"}
TRUE = {"1", "true", "True", True}


class SlackError(Exception):
    """An `{"ok": false, "error": …}` answer (HTTP 200 unless `status`)."""

    def __init__(
        self, error: str, *, status: int = 200, headers: dict | None = None, **extra: Any
    ) -> None:
        super().__init__(error)
        self.error, self.status, self.headers, self.extra = error, status, headers or {}, extra


def invalid_arguments(*messages: str) -> SlackError:
    return SlackError("invalid_arguments", response_metadata={"messages": list(messages)})


class Params(dict):
    """A call's params (query, form and JSON merged) with typed getters."""

    def flag(self, key: str, default: bool = False) -> bool:
        return self[key] in TRUE if key in self else default

    def int(self, key: str, default: int) -> int:
        try:
            return int(self.get(key) or default)
        except (TypeError, ValueError) as e:
            raise invalid_arguments(f"[ERROR] must be an integer [json-pointer:/{key}]") from e

    def json(self, key: str, error: str = "invalid_arguments") -> Any:
        """A JSON param: slack_sdk sends lists and dicts in a JSON body, or a JSON string."""
        value = self.get(key)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as e:
            raise SlackError(error) from e

    def need(self, key: str) -> Any:
        if self.get(key) in (None, ""):
            raise invalid_arguments(f"[ERROR] missing required field: {key}")
        return self[key]


def reply(data: dict, status: int = 200, headers: dict | None = None) -> web.Response:
    body = json.dumps(data).encode()
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return web.Response(body=body, status=status, headers=all_headers)


def encode_cursor(kind: str, value: Any) -> str:
    return base64.b64encode(f"{kind}:{value}".encode()).decode()


def decode_cursor(cursor: str, kind: str) -> str:
    try:
        found, _, value = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
    except ValueError as e:
        raise SlackError("invalid_cursor") from e
    if found != kind or not value:
        raise SlackError("invalid_cursor")
    return value


class ApiMixin(SlackState):
    """`POST /api/<method>`: every call recorded in `calls`, then answered."""

    def _init_api(self) -> None:
        self._failures: dict[str, list[dict]] = {}
        self.socket_tickets: set[str] = set()
        self.ws_url_base = ""

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Queue `times` failures of `method` (a 429 carries a Retry-After header)."""
        failure = {"error": error, "status": status, "retry_after": retry_after}
        self._failures.setdefault(method, []).extend([failure] * times)

    def called(self, method: str) -> list[dict]:
        """The params of every call to `method`, in order."""
        return [c.params for c in self.calls if c.method == method]

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            provided = ",".join(sorted(self.scopes))
            raise SlackError("missing_scope", needed=scope, provided=provided)

    async def _read_params(self, request: web.Request) -> tuple[Params, str | None]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.text()
            params.update(json.loads(body) if body.strip() else {})
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                params[key] = value.file.read() if isinstance(value, web.FileField) else value
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else params.get("token")
        params.pop("token", None)
        return Params(params), token

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, token = await self._read_params(request)
        self.calls.append(Call(method, dict(params), token))
        handler = getattr(self, "api_" + method.replace(".", "_"), None)
        headers = {"x-slack-req-id": secrets.token_hex(16)}
        if token == self.bot_token:
            headers["x-oauth-scopes"] = ",".join(sorted(self.scopes))
        try:
            if handler is None:
                raise SlackError("unknown_method", req_method=method)
            self._injected_failure(method)
            self._authenticate(method, token)
            data = handler(params)
        except SlackError as e:
            body = {"ok": False, "error": e.error, **e.extra}
            return reply(body, e.status, {**headers, **e.headers})
        return reply({"ok": True, **data}, 200, headers)

    def _injected_failure(self, method: str) -> None:
        queued = self._failures.get(method)
        if not queued:
            return
        failure = queued.pop(0)
        headers = {"Retry-After": str(failure["retry_after"])} if failure["status"] == 429 else {}
        raise SlackError(failure["error"], status=failure["status"], headers=headers)

    def _authenticate(self, method: str, token: str | None) -> None:
        if not token:
            raise SlackError("not_authed")
        if token not in (self.bot_token, self.app_token):
            raise SlackError("invalid_auth")
        if method in ANY_TOKEN_METHODS:
            return
        if (token == self.app_token) != (method in APP_TOKEN_METHODS):
            raise SlackError("not_allowed_token_type")

    # shared helpers of the method handlers
    def page(
        self, items: list, p: Params, kind: str, *, default: int = 100, maximum: int = 1000
    ) -> tuple[list, str]:
        """One page of `items` from `cursor`, `limit` long; and the next cursor ("" at the end)."""
        start = int(decode_cursor(p["cursor"], kind)) if p.get("cursor") else 0
        limit = min(p.int("limit", default) or default, maximum)
        chunk = items[start : start + limit]
        more = start + limit < len(items)
        return chunk, encode_cursor(kind, start + limit) if more else ""

    def channel_for(self, p: Params, key: str = "channel", *, history: bool = False) -> str:
        """The channel the bot can see (else channel_not_found); with `history`, the bot must
        be in it (not_in_channel) and hold the type's history scope."""
        channel_id = p.get(key)
        if isinstance(channel_id, str) and channel_id.startswith("#"):
            channel_id = self.channel_named(channel_id[1:])
        ch = self.channels.get(channel_id or "")
        if ch is None or (ch["is_private"] and not ch["bot_member"]):
            raise SlackError("channel_not_found")
        if history:
            self.require(f"{self.scope_prefix(channel_id)}:history")
            if not ch["bot_member"]:
                raise SlackError("not_in_channel")
        return channel_id

    def channel_named(self, name: str) -> str | None:
        return next((cid for cid, ch in self.channels.items() if ch["name"] == name), None)

    def scope_prefix(self, channel_id: str) -> str:
        return {"channel": "channels", "group": "groups"}.get(
            self.channel_type(channel_id), self.channel_type(channel_id)
        )

    # auth and socket mode
    def api_auth_test(self, p: Params) -> dict:
        return {
            "url": f"https://{self.team_domain}.slack.com/", "team": self.team_name,
            "user": self.bot_name, "team_id": self.team_id, "user_id": self.bot_user_id,
            "bot_id": self.bot_id, "is_enterprise_install": False,
        }  # fmt: skip

    def api_apps_connections_open(self, p: Params) -> dict:
        ticket = secrets.token_hex(16)
        self.socket_tickets.add(ticket)
        return {"url": f"{self.ws_url_base}?ticket={ticket}&app_id={self.app_id}"}
