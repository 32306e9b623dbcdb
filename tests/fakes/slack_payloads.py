"""What Slack sends an app: event_callback envelopes, slash command forms and interactive
payloads (block_actions, view_submission), with the trigger ids and response_urls the fake
mints for them."""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from tests.fakes.slack_events import escaped
from tests.fakes.slack_views_files import ViewsFilesMixin

VALUE_KEYS = {
    "static_select": "selected_option", "radio_buttons": "selected_option",
    "external_select": "selected_option", "multi_static_select": "selected_options",
    "checkboxes": "selected_options", "multi_external_select": "selected_options",
    "users_select": "selected_user", "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation", "channels_select": "selected_channel",
    "multi_conversations_select": "selected_conversations",
    "multi_channels_select": "selected_channels", "datepicker": "selected_date",
    "timepicker": "selected_time",
}  # fmt: skip


def _option(element: dict, value: str) -> dict:
    for option in element.get("options") or []:
        if option.get("value") == value:
            return copy.deepcopy(option)
    return {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}


def state_value(element: dict, value: Any) -> dict:
    """One `view.state.values[block][action]` entry for an element given a test's value."""
    kind = element.get("type", "plain_text_input")
    key = VALUE_KEYS.get(kind, "value")
    if key == "selected_option":
        found = _option(element, value) if value is not None else None
    elif key == "selected_options":
        values = value.split(",") if isinstance(value, str) else list(value or [])
        found = [_option(element, v) for v in values]
    else:
        found = value
    return {"type": kind, key: found}


class PayloadsMixin(ViewsFilesMixin):
    """`event`, `command`, `block_actions`, `view_submission`: bodies to deliver."""

    def _init_payloads(self) -> None:
        self.response_urls: dict[str, dict] = {}

    def mint_response_url(self, kind: str, **context: Any) -> str:
        """A response_url on the fake (`kind` commands or actions); POSTs to it are recorded
        in `ephemerals` and act on `context` (channel_id, message_ts)."""
        url_id = f"{secrets.randbelow(10**13)}/{secrets.token_urlsafe(18)}"
        self.response_urls[url_id] = {"kind": kind, "uses": 0, **context}
        return f"{self.http_base}/{kind}/{self.team_id}/{url_id}"

    def _user_ref(self, user_id: str) -> dict:
        name = self.users[user_id]["name"] if user_id in self.users else user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}

    def _channel_name(self, channel_id: str) -> str:
        ch = self.channels.get(channel_id)
        if ch is None or ch["is_im"]:
            return "directmessage"
        return ch["name"]

    def event(self, event: dict, *, event_id: str | None = None) -> dict:
        """The `event_callback` envelope Slack POSTs (or sends in socket mode) for `event`."""
        event_time = int(float(event.get("event_ts") or time.time()))
        return {
            "token": self.verification_token, "team_id": self.team_id,
            "context_team_id": self.team_id, "context_enterprise_id": None,
            "api_app_id": self.app_id, "event": event, "type": "event_callback",
            "event_id": event_id or "Ev" + secrets.token_hex(5).upper(),
            "event_time": event_time,
            "authorizations": [{
                "enterprise_id": None, "team_id": self.team_id, "user_id": self.bot_user_id,
                "is_bot": True, "is_enterprise_install": False,
            }],
            "is_ext_shared_channel": False, "event_context": "4-" + secrets.token_urlsafe(24),
        }  # fmt: skip

    def url_verification(self) -> dict:
        return {
            "token": self.verification_token,
            "challenge": secrets.token_urlsafe(32),
            "type": "url_verification",
        }

    def command(
        self, command: str = "/poll", text: str = "", *, user_id: str, channel_id: str
    ) -> dict:
        """A slash command's form fields (all strings), with a fresh trigger_id and
        response_url."""
        return {
            "token": self.verification_token, "team_id": self.team_id,
            "team_domain": self.team_domain, "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id), "user_id": user_id,
            "user_name": self._user_ref(user_id)["name"], "command": command, "text": escaped(text),
            "api_app_id": self.app_id, "is_enterprise_install": "false",
            "response_url": self.mint_response_url("commands", channel_id=channel_id,
                                                   user_id=user_id),
            "trigger_id": self.mint_trigger(),
        }  # fmt: skip

    def _find_element(self, message: dict | None, action_id: str) -> tuple[str, dict]:
        for block in (message or {}).get("blocks") or []:
            elements = list(block.get("elements") or [])
            if isinstance(block.get("accessory"), dict):
                elements.append(block["accessory"])
            for el in elements:
                if isinstance(el, dict) and el.get("action_id") == action_id:
                    return block.get("block_id", ""), el
        return secrets.token_urlsafe(4), {"type": "button", "action_id": action_id}

    def block_actions(
        self,
        *,
        user_id: str,
        channel_id: str,
        message_ts: str,
        action_id: str,
        value: Any = None,
        message: dict | None = None,
    ) -> dict:
        """A click on `action_id` in a message (the stored one unless `message`); the
        element's block_id, text and value come from the message's blocks."""
        stored = message if message is not None else self.find(channel_id, message_ts)
        block_id, element = self._find_element(stored, action_id)
        action: dict[str, Any] = {"action_id": action_id, "block_id": block_id}
        if element["type"] == "button":
            action["text"] = copy.deepcopy(element.get("text")) or {
                "type": "plain_text",
                "text": action_id,
                "emoji": True,
            }
            action["value"] = value if value is not None else element.get("value")
            action.update({"style": element["style"]} if "style" in element else {})
        else:
            action.update(state_value(element, value))
        action.update(type=element["type"], action_ts=f"{time.time():.6f}")
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
            "is_ephemeral": stored is None,
        }
        if stored is not None and stored.get("thread_ts"):
            container["thread_ts"] = stored["thread_ts"]
        payload: dict[str, Any] = {
            "type": "block_actions", "user": self._user_ref(user_id), "api_app_id": self.app_id,
            "token": self.verification_token, "container": container,
            "trigger_id": self.mint_trigger(),
            "team": {"id": self.team_id, "domain": self.team_domain}, "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel_id, "name": self._channel_name(channel_id)},
        }  # fmt: skip
        if stored is not None:
            payload["message"] = copy.deepcopy(stored)
        payload.update(
            state={"values": {}},
            actions=[action],
            response_url=self.mint_response_url(
                "actions", channel_id=channel_id, message_ts=message_ts, user_id=user_id
            ),
        )
        return payload

    def _submitted_view(self, callback_id: str, view_id: str | None) -> dict:
        if view_id and view_id in self.open_views:
            return copy.deepcopy(self.open_views[view_id])
        for view in reversed(self.open_views.values()):
            if view["callback_id"] == callback_id:
                return copy.deepcopy(view)
        minimal = {
            "type": "modal",
            "callback_id": callback_id,
            "title": {"type": "plain_text", "text": "Form"},
        }
        return self.view_payload(minimal, view_id or self.new_id("V"))

    def view_submission(
        self,
        *,
        user_id: str,
        callback_id: str,
        values: dict[str, Any],
        private_metadata: str | None = None,
        view_id: str | None = None,
    ) -> dict:
        """A modal submitted: the last views.open view with `callback_id` (or `view_id`), its
        input blocks filled from `values` (keyed by block_id or action_id; other keys become
        {key: {key: plain_text_input}})."""
        view = self._submitted_view(callback_id, view_id)
        state: dict[str, dict] = {}
        left = dict(values)
        for block in view["blocks"]:
            element = block.get("element") if block.get("type") == "input" else None
            if not element:
                continue
            action_id = element.get("action_id", "")
            key = block["block_id"] if block["block_id"] in left else action_id
            state[block["block_id"]] = {action_id: state_value(element, left.pop(key, None))}
        for key, value in left.items():
            state[key] = {key: state_value({"type": "plain_text_input"}, value)}
        view["state"] = {"values": state}
        if private_metadata is not None:
            view["private_metadata"] = private_metadata
        return {
            "type": "view_submission", "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user_ref(user_id), "api_app_id": self.app_id,
            "token": self.verification_token, "trigger_id": self.mint_trigger(), "view": view,
            "response_urls": [], "is_enterprise_install": False, "enterprise": None,
        }  # fmt: skip
