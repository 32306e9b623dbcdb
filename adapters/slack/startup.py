"""Starting on Slack: the bot token checked (`auth.test`), the workspace learned (channels,
people, the managers and their channels), the way in opened; what cannot work is one line
for `steward run` to print (exit 2)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
from slack_sdk.errors import SlackApiError

from adapters.slack import health, names
from adapters.slack.transport import HttpEndpoint, SocketConnection
from bot.core.errors import StartupError

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)


async def log_in(adapter: SlackAdapter) -> set[str] | None:
    """auth.test: the token works; Steward's own ids; the workspace's URL (for message
    links); the scopes it was given."""
    try:
        answer = await adapter.client.auth_test()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack refused the bot token ([slack] bot_token or SLACK_BOT_TOKEN): "
            f"{exc.response.get('error')}; copy the Bot User OAuth Token (xoxb-…) again from "
            "api.slack.com/apps → Steward → OAuth & Permissions"
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise StartupError(
            f"Slack: cannot reach {adapter.config.api_base_url} ({exc}); check the network "
            "or [slack] api_base_url"
        ) from None
    adapter.bot_user_id, adapter.bot_id = answer.get("user_id", ""), answer.get("bot_id", "")
    adapter.workspace_url = answer.get("url") or ""
    return health.granted_scopes(answer)


async def learn(adapter: SlackAdapter) -> None:
    """Channels and people; the managers (ids and the group's members); the managers' and
    digest channels by id (kept from an earlier start if renamed since)."""
    try:
        await adapter.directory.load()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack: cannot list the workspace's channels and people "
            f"({exc.response.get('error')}); see the README's scopes"
        ) from None
    adapter.translator.managers = set(adapter.config.managers)
    if adapter.config.manager_group:
        await _learn_group(adapter)
    await names.resolve(adapter)


async def _learn_group(adapter: SlackAdapter) -> None:
    """The members of `[slack] manager_group` are managers too."""
    wanted = adapter.config.manager_group
    try:
        await adapter.directory.load_groups()
        group = adapter.directory.find_group(wanted)
        if group is None:
            log.warning("Slack: no user group %r ([slack] manager_group)", wanted)
            return
        members = await adapter.client.usergroups_users_list(usergroup=group["id"])
    except SlackApiError as exc:
        log.warning("Slack: cannot read user group %r: %s", wanted, exc.response.get("error"))
        return
    adapter.translator.manager_group_id = group["id"]
    adapter.set_group_members(set(members.get("users", [])))


async def open_transport(adapter: SlackAdapter, transport: HttpEndpoint | SocketConnection) -> None:
    """Listen for Slack's requests, or connect through Socket Mode."""
    try:
        await transport.start()
    except SlackApiError as exc:
        raise StartupError(
            f"Slack refused the app-level token ([slack] app_token or SLACK_APP_TOKEN): "
            f"{exc.response.get('error')}; create one with connections:write under Basic "
            "Information → App-Level Tokens"
        ) from None
    except OSError as exc:
        raise StartupError(
            f"Slack: cannot listen on port {adapter.config.port} ({exc.strerror}); "
            "choose another [slack] port"
        ) from None
