"""The fake Discord's interactions: slash commands, clicks, modal submits, and their answers."""

from __future__ import annotations

import asyncio
import copy
import inspect
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.fakes.discord_rest import RestMixin, error, json_response
from tests.fakes.discord_state import Recorded, snowflake_time

ACK_SECONDS = 3.0  # Discord forgets an interaction not answered within this

EPHEMERAL, LOADING = 1 << 6, 1 << 7


async def wait_for(predicate: Callable[[], Any], timeout: float = 5) -> Any:
    """Poll `predicate` until it returns something truthy (awaiting it if need be); return it."""

    async def poll() -> Any:
        while True:
            value = predicate()
            if inspect.isawaitable(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.01)

    return await asyncio.wait_for(poll(), timeout)


def _texts_of(body: dict) -> list[str]:
    out = [body["content"]] if body.get("content") else []
    for embed in body.get("embeds") or []:
        out += [embed[k] for k in ("title", "description") if embed.get(k)]
        out += [f["value"] for f in embed.get("fields") or [] if f.get("value")]
    stack = list(body.get("components") or [])
    while stack:
        component = stack.pop(0)
        if component.get("type") == 10 and component.get("content"):
            out.append(component["content"])
        stack[:0] = list(component.get("components") or [])
        if component.get("component"):
            stack.insert(0, component["component"])
    return out


class InteractionRecord:
    """One interaction the fake sent, and everything the bot answered to it."""

    def __init__(self, id: str, token: str, type: int, channel_id: str, user_id: str) -> None:
        self.id, self.token, self.type = id, token, type
        self.channel_id, self.user_id = channel_id, user_id
        self.message_id: str | None = None  # the clicked message, for components
        self.payload: dict = {}
        self.callbacks: list[dict] = []
        self.followups: list[dict] = []
        self.edits: list[dict] = []
        self.original: dict | None = None
        self.messages: dict[str, dict] = {}  # followup messages by id
        self.late = False  # the first response came after Discord's 3 seconds
        self._log: list[dict] = []

    async def answered(self, timeout: float = 5) -> dict:
        """Wait for the first callback and return it."""
        await wait_for(lambda: self.callbacks, timeout)
        return self.callbacks[0]

    async def wait(self, predicate: Callable[[InteractionRecord], Any], timeout: float = 5) -> Any:
        return await wait_for(lambda: predicate(self), timeout)

    def texts(self) -> list[str]:
        """Contents, embed titles/descriptions/field values and text displays, in order."""
        return [text for body in self._log for text in _texts_of(body)]


class InteractionsMixin(RestMixin):
    """INTERACTION_CREATE builders and the callback and webhook routes."""

    def _init_interactions(self) -> None:
        self.interactions: dict[str, InteractionRecord] = {}
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        target = hook + r"/messages/(?P<mid>@original|\d+)"
        self.route("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", self._callback)
        self.route("POST", hook, self._followup)
        self.route("PATCH", target, self._edit_response)
        self.route("GET", target, self._get_response)
        self.route("DELETE", target, self._delete_response)

    # sending interactions
    async def slash(
        self,
        user_id: str,
        channel_id: str,
        name: str,
        options: dict | None = None,
        *,
        subcommand: str | None = None,
    ) -> InteractionRecord:
        """A chat-input command; option types from the last synced payload of `name`."""
        scope, command = self._find_command(name)
        data: dict[str, Any] = {"id": command["id"] if command else self.snowflake()}
        data.update(name=name, type=1, **({"guild_id": scope} if scope else {}))
        defs = (command or {}).get("options") or []
        chain = []
        parts = subcommand.split() if subcommand else []
        for index, part in enumerate(parts):
            found = next((o for o in defs if o["name"] == part), None)
            kind = found["type"] if found else (1 if index == len(parts) - 1 else 2)
            chain.append((part, kind))
            defs = (found or {}).get("options") or []
        resolved: dict[str, dict] = {}
        built = [
            self._option(next((o for o in defs if o["name"] == k), {}), k, v, resolved, channel_id)
            for k, v in (options or {}).items()
        ]
        for part, kind in reversed(chain):
            built = [{"type": kind, "name": part, "options": built}]
        data["options"] = built
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, user_id, channel_id, data)

    def _find_command(self, name: str) -> tuple[str | None, dict | None]:
        for scope in (self.guild_id, None):
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == 1:
                    return scope, command
        return None, None

    def _option(self, defn: dict, name: str, value: Any, resolved: dict, channel_id: str) -> dict:
        kind = defn.get("type") or self._infer_type(value)
        if kind == 9:
            kind_of = 6 if str(value) in self.users else 8
            self._resolve(kind_of, str(value), resolved, channel_id)
        elif kind in (6, 7, 8):
            self._resolve(kind, str(value), resolved, channel_id)
        if kind == 11:
            if isinstance(value, dict):
                att = value
            else:
                filename, data, ctype = value
                att = self.make_attachment(channel_id, filename, data, ctype)
            resolved.setdefault("attachments", {})[att["id"]] = att
            value = att["id"]
        convert: dict[int, Callable[[Any], Any]] = {3: str, 4: int, 5: bool, 10: float}
        value = convert.get(kind, str)(value)
        return {"type": kind, "name": name, "value": value}

    @staticmethod
    def _infer_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 11 if isinstance(value, (tuple, dict)) else 3

    def _resolve(self, kind: int, key: str, resolved: dict, channel_id: str) -> None:
        if kind == 6 and key in self.users:
            resolved.setdefault("users", {})[key] = copy.deepcopy(self.users[key])
            member = self.member_partial(key)
            if member is not None:
                member["permissions"] = str(self.permissions_for(key, channel_id))
                resolved.setdefault("members", {})[key] = member
        elif kind == 8 and key in self.roles:
            resolved.setdefault("roles", {})[key] = copy.deepcopy(self.roles[key])
        elif kind == 7 and key in self.channels:
            channel = self.channel_payload(key) or {}
            channel["permissions"] = str(self.permissions_for(self.bot_id, key))
            resolved.setdefault("channels", {})[key] = channel

    async def click(
        self,
        user_id: str,
        channel_id: str,
        message_id: str,
        custom_id: str,
        *,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """A button press (or, with `values`, a string select) on a stored message."""
        message = self.find_message(message_id)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
        if values is not None:
            data.update(component_type=3, values=list(values))
        extra = {"message": copy.deepcopy(message)} if message else {}
        record = await self._interact(3, user_id, channel_id, data, extra, message_id=message_id)
        return record

    async def submit(
        self, user_id: str, channel_id: str, custom_id: str, values: dict[str, str]
    ) -> InteractionRecord:
        """A modal submit, laid out as the bot's modal was (labels or action rows)."""
        labelled = False
        for record in self.interactions.values():
            for body in record.callbacks:
                data = body.get("data") or {}
                if body.get("type") == 9 and data.get("custom_id") == custom_id:
                    labelled = any(c.get("type") == 18 for c in data.get("components") or [])
        rows = []
        for key, value in values.items():
            text = {"type": 4, "custom_id": key, "value": value}
            rows.append(
                {"type": 18, "component": text} if labelled else {"type": 1, "components": [text]}
            )
        return await self._interact(
            5, user_id, channel_id, {"custom_id": custom_id, "components": rows}
        )

    async def _interact(
        self,
        type: int,
        user_id: str,
        channel_id: str,
        data: dict,
        extra: dict | None = None,
        message_id: str | None = None,
    ) -> InteractionRecord:
        iid, token = self.snowflake(), "fake-" + secrets.token_urlsafe(24)
        payload: dict[str, Any] = {
            "id": iid, "application_id": self.app_id, "type": type, "data": data,
            "token": token, "version": 1, "channel_id": channel_id,
            "channel": self.channel_payload(channel_id) or {"id": channel_id, "type": 0},
            "app_permissions": str(self.permissions_for(self.bot_id, channel_id)),
            "locale": "en-US", "entitlements": [], "entitlement_sku_ids": [],
            "attachment_size_limit": 26214400, **(extra or {}),
        }  # fmt: skip
        if channel_id in self.channels:
            member = copy.deepcopy(self.members[user_id])
            member["permissions"] = str(self.permissions_for(user_id, channel_id))
            payload.update(guild_id=self.guild_id, guild_locale="en-US", member=member, context=0)
            payload["authorizing_integration_owners"] = {"0": self.guild_id}
        else:
            payload.update(user=copy.deepcopy(self.users[user_id]), context=1)
            payload["authorizing_integration_owners"] = {"1": user_id}
        record = InteractionRecord(iid, token, type, channel_id, user_id)
        record.message_id, record.payload = message_id, payload
        self.interactions[iid] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    # answers
    def _record(self, token: str) -> InteractionRecord | None:
        return next((r for r in self.interactions.values() if r.token == token), None)

    def _response_message(self, record: InteractionRecord, body: dict, files: list) -> Any:
        kind = 20 if record.type == 2 else 0
        message = self.message_from_body(
            record.channel_id, body, files, webhook_id=self.app_id, type=kind
        )
        if isinstance(message, dict):
            user = self.users[record.user_id]
            message["interaction_metadata"] = {
                "id": record.id, "type": record.type, "user": user,
                "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
            }  # fmt: skip
        return message

    async def _publish(self, message: dict, event: str = "MESSAGE_CREATE") -> None:
        if message["flags"] & EPHEMERAL:
            return
        if event == "MESSAGE_CREATE":
            self.store_message(message)
        if self.connected:
            await self.dispatch(event, message)

    async def _callback(self, rec: Recorded, m: re.Match) -> web.StreamResponse:
        record = self.interactions.get(m["iid"])
        if record is None or record.token != m["token"]:
            return error(404, 10062, "Unknown interaction")
        if record.callbacks:
            return error(400, 40060, "Interaction has already been acknowledged.")
        if time.time() - snowflake_time(record.id).timestamp() > ACK_SECONDS:
            record.late = True
            return error(404, 10062, "Unknown interaction")  # Discord's answer after 3 s
        body = rec.json if isinstance(rec.json, dict) else {}
        kind, data = body.get("type"), body.get("data") or {}
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        message = None
        if kind == 4:
            message = self._response_message(record, data, rec.files)
            if isinstance(message, web.Response):
                return message
        elif kind == 5:
            flags = LOADING | (EPHEMERAL if ephemeral else 0)
            message = self.build_message(
                record.channel_id, self.bot_id, flags=flags, webhook_id=self.app_id
            )
        record.callbacks.append(body)
        record._log.append(data)
        if message is not None:
            record.original = message
            await self._publish(message)
        elif kind in (6, 7) and record.message_id:
            record.original = message = self.find_message(record.message_id)
            if kind == 7 and message is not None:
                self.apply_edit(message, data, rec.files)
                await self._publish(message, "MESSAGE_UPDATE")
        if rec.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        info = {
            "id": record.id, "type": record.type, "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }  # fmt: skip
        resource: dict[str, Any] = {"type": kind}
        if message is not None and kind in (4, 5, 7):
            info["response_message_id"] = message["id"]
            resource["message"] = message
        return json_response({"interaction": info, "resource": resource})

    async def _followup(self, rec: Recorded, m: re.Match) -> web.StreamResponse:
        record = self._record(m["token"])
        if record is None or not record.callbacks:
            return error(404, 10015, "Unknown Webhook")
        body = rec.json if isinstance(rec.json, dict) else {}
        original = record.original
        if original is not None and original["flags"] & LOADING and not record.followups:
            message = original  # the first follow-up replaces the "thinking" message
            self.apply_edit(message, body, rec.files)
            message["flags"] &= ~LOADING
            event = "MESSAGE_UPDATE"
        else:
            message = self._response_message(record, body, rec.files)
            if isinstance(message, web.Response):
                return message
            event = "MESSAGE_CREATE"
        record.followups.append(body)
        record._log.append(body)
        record.messages[message["id"]] = message
        await self._publish(message, event)
        if rec.query.get("wait") in ("1", "true", "True"):
            return json_response(message)
        return web.Response(status=204)

    def _target(self, m: re.Match) -> tuple[InteractionRecord | None, dict | None]:
        record = self._record(m["token"])
        if record is None:
            return None, None
        if m["mid"] == "@original":
            return record, record.original
        found = record.messages.get(m["mid"]) or self.find_message(m["mid"])
        return record, found

    async def _edit_response(self, rec: Recorded, m: re.Match) -> web.StreamResponse:
        record, message = self._target(m)
        if record is None:
            return error(404, 10015, "Unknown Webhook")
        if message is None:
            return error(404, 10008, "Unknown Message")
        body = rec.json if isinstance(rec.json, dict) else {}
        record.edits.append(body)
        record._log.append(body)
        self.apply_edit(message, body, rec.files)
        message["flags"] &= ~LOADING
        await self._publish(message, "MESSAGE_UPDATE")
        return json_response(message)

    async def _get_response(self, rec: Recorded, m: re.Match) -> web.StreamResponse:
        _, message = self._target(m)
        return json_response(message) if message else error(404, 10008, "Unknown Message")

    async def _delete_response(self, rec: Recorded, m: re.Match) -> web.StreamResponse:
        _, message = self._target(m)
        if message is None:
            return error(404, 10008, "Unknown Message")
        await self.remove_message(message["channel_id"], message["id"])
        return web.Response(status=204)
