"""Where discord.py talks to: `[discord] api_base_url` for every REST call (interaction
callbacks and webhooks go through the same route base) and `gateway_url` for the websocket."""

from __future__ import annotations

import discord
import yarl
from discord.gateway import DiscordWebSocket

DEFAULT_API = "https://discord.com/api/v10"
DEFAULT_GATEWAY = "wss://gateway.discord.gg"


def point_at(api_base_url: str, gateway_url: str) -> None:
    """Send discord.py's REST calls to `api_base_url` and connect its gateway to `gateway_url`."""
    discord.http.Route.BASE = api_base_url.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def keeps_gateway(gateway_url: str) -> bool:
    """Whether a configured gateway must be kept when resuming (Discord's READY names its own
    resume address; a proxy or a test server must be used for every connection)."""
    return gateway_url.rstrip("/") != DEFAULT_GATEWAY


def keep_gateway(client: discord.Client, gateway_url: str) -> None:
    """Resume through the configured gateway rather than the one READY named."""
    if client.ws is not None and keeps_gateway(gateway_url):
        client.ws.gateway = yarl.URL(gateway_url)
