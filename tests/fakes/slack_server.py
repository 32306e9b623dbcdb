"""A local fake Slack (Web API, Socket Mode, signed HTTP delivery) for end-to-end tests of a
slack_sdk / slack_bolt app, which run against it unmodified with `base_url=fake.api_base_url`.

The workspace starts with the bot's user, Slackbot (USLACKBOT, as users.list shows it) and a
public `general` channel (`fake.general_id`) the bot is in; a public channel without explicit
members has every active person in it. See the mixins for the parts:
slack_api (dispatch, tokens, scopes, `fail_next`), slack_conversations, slack_chat,
slack_views_files, slack_payloads (what Slack sends), slack_delivery (how), slack_activity
(people doing things), slack_blocks (Block Kit checks), slack_events (inner events).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from tests.fakes.discord_interactions import wait_for
from tests.fakes.slack_activity import ActivityMixin
from tests.fakes.slack_delivery import Delivered, DeliveryMixin, signature
from tests.fakes.slack_state import Call

__all__ = ["Call", "Delivered", "FakeSlack", "signature", "wait_for"]


class FakeSlack(ActivityMixin, DeliveryMixin):
    """One workspace, one app: the Web API under `api_base_url`, Socket Mode at the URL
    apps.connections.open hands out."""

    def __init__(self, **state: Any) -> None:
        """bot_token, app_token, signing_secret, team_id, bot_user_id, bot_id, app_id,
        team_domain, bot_name: see SlackState."""
        super().__init__(**state)
        self._init_api()
        self._init_chat()
        self._init_views_files()
        self._init_payloads()
        self._init_delivery()
        self._runner: web.AppRunner | None = None
        self.api_base_url = ""

    async def start(self) -> None:
        """Listen on 127.0.0.1 on a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_get("/socket", self._handle_socket)
        app.router.add_post("/upload/v1/{ticket}", self._receive_upload)
        app.router.add_get("/files-pri/{key}/{name}", self._serve_file)
        app.router.add_get("/files-pri/{key}/{download:download}/{name}", self._serve_file)
        app.router.add_get("/", self._login_page)
        for kind in ("commands", "actions"):
            app.router.add_post(f"/{kind}/{{team}}/{{id}}/{{secret}}", self._handle_response_url)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.http_base = f"http://127.0.0.1:{port}"
        self.api_base_url = f"{self.http_base}/api/"
        self.ws_url_base = f"ws://127.0.0.1:{port}/socket"
        for f in self.files.values():
            self._file_urls(f)

    async def stop(self) -> None:
        await self._close_delivery()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
