"""How Slack reaches Steward: an HTTP endpoint (`/slack/events` on `[slack] port`, every
request's signature checked by bolt, within Slack's 5-minute replay window), or Socket
Mode (a websocket Steward opens with the app-level token; no public URL needed)."""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from adapters.slack.manifest import EVENTS_PATH

log = logging.getLogger(__name__)

HOST = "0.0.0.0"  # behind the community's HTTPS reverse proxy


class HttpEndpoint:
    """An aiohttp server handing every POST on /slack/events to bolt."""

    def __init__(self, bolt: AsyncApp, port: int) -> None:
        self.bolt = bolt
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        server = web.Application()
        server.router.add_post(EVENTS_PATH, self._dispatch)
        self._runner = web.AppRunner(server, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("Slack: listening for Slack on port %d, path %s", self.port, EVENTS_PATH)

    async def _dispatch(self, request: web.Request) -> web.Response:
        answer = await self.bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(answer)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


class SocketConnection:
    """Socket Mode through bolt's handler (slack_sdk's aiohttp client, with its reconnects)."""

    def __init__(self, bolt: AsyncApp, app_token: str) -> None:
        self.handler = AsyncSocketModeHandler(bolt, app_token)

    async def start(self) -> None:
        """Ask for the websocket URL first: a refused app token raises SlackApiError here
        (slack_sdk's connect would retry it every few seconds, forever)."""
        client = self.handler.client
        answer = await client.web_client.apps_connections_open(app_token=client.app_token)
        client.wss_uri = answer["url"]
        await self.handler.connect_async()
        log.info("Slack: connected through Socket Mode")

    async def stop(self) -> None:
        await self.handler.close_async()
