"""The fake Slack's views.* (modals, one-use 3-second trigger ids) and files: the 3-step
external upload and the private downloads that need the bot token."""

from __future__ import annotations

import copy
import mimetypes
import secrets
import time
from typing import Any

from aiohttp import web

from tests.fakes.slack_api import Params, SlackError, invalid_arguments
from tests.fakes.slack_blocks import filled, text_object, view_errors
from tests.fakes.slack_chat import ChatMixin

TRIGGER_SECONDS = 3.0
LOGIN_PAGE = (
    "<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Fake Team</body></html>"
)


class ViewsFilesMixin(ChatMixin):
    """Modals the bot opens (`views`, `open_views`) and files it uploads (`uploads`)."""

    def _init_views_files(self) -> None:
        self.views: list[dict] = []
        self.open_views: dict[str, dict] = {}
        self.uploads: list[dict] = []
        self.downloads: list[str] = []
        self._triggers: dict[str, float] = {}
        self._used_triggers: set[str] = set()
        self._pending: dict[str, dict] = {}

    # trigger ids
    def mint_trigger(self) -> str:
        """A trigger id like Slack's, good for one views.open within 3 seconds."""
        trigger = f"{secrets.randbelow(10**11)}.{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        self._triggers[trigger] = time.monotonic()
        return trigger

    def _check_trigger(self, trigger: Any) -> None:
        if trigger in self._used_triggers:
            raise SlackError("expired_trigger_id")
        minted = self._triggers.get(trigger)
        if minted is None:
            raise SlackError("invalid_trigger_id")
        if time.monotonic() - minted > TRIGGER_SECONDS:
            raise SlackError("expired_trigger_id")

    # views
    def _view(self, p: Params) -> dict:
        view = p.json("view")
        errors = view_errors(view)
        if errors:
            raise invalid_arguments(*errors)
        return view

    def view_payload(self, view: dict, view_id: str, *, previous: str | None = None) -> dict:
        """A view as Slack answers views.open and sends it back in view_submission."""
        return {
            "id": view_id, "team_id": self.team_id, "type": view["type"],
            "blocks": filled(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""), "state": {"values": {}},
            "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
            "title": text_object(view.get("title")),
            "clear_on_close": bool(view.get("clear_on_close")),
            "notify_on_close": bool(view.get("notify_on_close")),
            "close": text_object(view.get("close")),
            "submit": text_object(view.get("submit")),
            "previous_view_id": previous, "root_view_id": view_id, "app_id": self.app_id,
            "external_id": view.get("external_id", ""), "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }  # fmt: skip

    def _open(self, p: Params, *, previous: str | None = None) -> dict:
        trigger = p.get("trigger_id") or p.get("interactivity_pointer")
        self._check_trigger(trigger)
        view = self._view(p)
        self._used_triggers.add(trigger)
        view_id = self.new_id("V")
        payload = self.view_payload(view, view_id, previous=previous)
        self.open_views[view_id] = payload
        return {"view": copy.deepcopy(payload)}

    def api_views_open(self, p: Params) -> dict:
        self.views.append({**p, "view": p.json("view")})
        return self._open(p)

    def api_views_push(self, p: Params) -> dict:
        previous = next(reversed(self.open_views), None)
        return self._open(p, previous=previous)

    def api_views_update(self, p: Params) -> dict:
        found = self.open_views.get(p.get("view_id") or "") or next(
            (
                v
                for v in self.open_views.values()
                if p.get("external_id") and v["external_id"] == p["external_id"]
            ),
            None,
        )
        if found is None:
            raise SlackError("not_found")
        if p.get("hash") and p["hash"] != found["hash"]:
            raise SlackError("hash_conflict")
        payload = self.view_payload(self._view(p), found["id"], previous=found["previous_view_id"])
        self.open_views[found["id"]] = payload
        return {"view": copy.deepcopy(payload)}

    # files: the 3-step upload
    def api_files_getUploadURLExternal(self, p: Params) -> dict:
        self.require("files:write")
        filename = p.need("filename")
        if p.int("length", 0) <= 0:
            raise invalid_arguments("[ERROR] must be greater than 0 [json-pointer:/length]")
        file_id, ticket = self.new_id("F"), secrets.token_urlsafe(24)
        self._pending[file_id] = {
            "filename": filename,
            "length": p.int("length", 0),
            "alt_txt": p.get("alt_txt"),
            "ticket": ticket,
            "data": None,
        }
        return {"upload_url": f"{self.http_base}/upload/v1/{ticket}", "file_id": file_id}

    async def _receive_upload(self, request: web.Request) -> web.Response:
        """The upload URL: raw bytes (as slack_sdk posts them) or a multipart `file`."""
        ticket = request.match_info["ticket"]
        pending = next((f for f in self._pending.values() if f["ticket"] == ticket), None)
        if pending is None:
            return web.Response(status=404, text="Not Found", content_type="text/plain")
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            field = form.get("file") or next(iter(form.values()), b"")
            data = field.file.read() if isinstance(field, web.FileField) else str(field).encode()
        else:
            data = await request.read()
        pending["data"] = data
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")

    def api_files_completeUploadExternal(self, p: Params) -> dict:
        self.require("files:write")
        items = p.json("files")
        if not isinstance(items, list) or not items:
            raise invalid_arguments("[ERROR] missing required field: files")
        if any(self._pending.get(i.get("id"), {}).get("data") is None for i in items):
            raise SlackError("file_not_found")
        target = p.get("channel_id") or str(p.get("channels") or "").split(",")[0]
        channel_id = self.postable(Params(channel=target)) if target else None
        root = self.thread_root(channel_id, p.get("thread_ts")) if channel_id else None
        files = []
        for item in items:
            pending = self._pending.pop(item["id"])
            name = pending["filename"]
            mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            title = item.get("title") or name
            f = self.add_file(name, pending["data"], mimetype, title=title, file_id=item["id"])
            files.append(f)
            self.uploads.append({
                "filename": name, "title": title, "data": pending["data"],
                "channel_id": channel_id, "thread_ts": p.get("thread_ts"),
                "initial_comment": p.get("initial_comment"), "alt_txt": pending["alt_txt"],
                "file_id": f["id"],
            })  # fmt: skip
        if channel_id:
            self._share(channel_id, files, str(p.get("initial_comment") or ""), root)
        return {"files": copy.deepcopy(files)}

    def _share(self, channel_id: str, files: list[dict], comment: str, root: dict | None) -> None:
        message = self.bot_message(comment, self.next_ts())
        message.update(subtype="file_share", files=files, upload=True, display_as_bot=False)
        if root is not None:
            message.update(thread_ts=root["ts"], parent_user_id=root.get("user"))
        kind = {"channel": "channels", "group": "groups", "im": "ims", "mpim": "groups"}
        for f in files:
            f.setdefault(kind[self.channel_type(channel_id)], []).append(channel_id)
        self.store(channel_id, message)

    def api_files_info(self, p: Params) -> dict:
        self.require("files:read")
        f = self.files.get(p.get("file") or "")
        if f is None:
            raise SlackError("file_not_found")
        return {"file": copy.deepcopy(f), "comments": [], "response_metadata": {"next_cursor": ""}}

    # files: private downloads
    async def _serve_file(self, request: web.Request) -> web.StreamResponse:
        """url_private(_download): the bytes with the bot token, else Slack's login page."""
        file_id = request.match_info["key"].partition("-")[2]
        if file_id not in self.files:
            return web.Response(status=404, text="Not Found")
        auth = request.headers.get("Authorization", "")
        if auth != f"Bearer {self.bot_token}":
            raise web.HTTPFound(f"{self.http_base}/?redir={request.path}")
        if "files:read" not in self.scopes:
            return web.Response(status=403, text=LOGIN_PAGE, content_type="text/html")
        f = self.files[file_id]
        self.downloads.append(file_id)
        headers = {}
        if request.match_info.get("download"):
            headers["Content-Disposition"] = f'attachment; filename="{f["name"]}"'
        return web.Response(
            body=self.file_data[file_id], headers=headers, content_type=f["mimetype"]
        )

    async def _login_page(self, request: web.Request) -> web.Response:
        return web.Response(text=LOGIN_PAGE, content_type="text/html")
