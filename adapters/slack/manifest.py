"""Steward's Slack app manifest: the slash commands, scopes and events the adapter needs, to
paste into api.slack.com/apps → Create New App → From an app manifest."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from adapters.slack.slash import NAME_LIMIT, help_line, slash_commands, usage_hint
from bot.core.commands import CommandSpec
from bot.core.config import SlackConfig
from bot.text.excerpts import excerpt

EVENTS_PATH = "/slack/events"  # where the HTTP endpoint listens, on `[slack] port`

# Slack's limits on a manifest (github.com/slackapi/manifest-schema, v1)
DESCRIPTION_LIMIT = 2000  # a slash command's description
USAGE_HINT_LIMIT = 1000  # a slash command's usage hint
COMMANDS_LIMIT = 50  # slash commands per app

BOT_SCOPES: tuple[str, ...] = (
    "commands",  # slash commands
    "chat:write",  # post, edit and answer privately (ephemeral) in channels it is in
    "channels:history",  # read public channels' messages: stats, questions, catch-up
    "groups:history",  # the same in private channels (the managers' channel)
    "channels:read",  # public channels' names and ids, to resolve #general
    "groups:read",  # private channels' names and ids
    "users:read",  # members' names and whether they are bots (Slack gives no join dates)
    "usergroups:read",  # `[slack] manager_group`: who is a manager
    "reactions:read",  # reactions counted in member stats
    "files:read",  # download a shared CSV/ICS for /calendar import
    "files:write",  # charts and exports (files_upload_v2)
    "im:write",  # open direct messages to members
)

BOT_EVENTS: tuple[str, ...] = (
    "message.channels",
    "message.groups",
    "reaction_added",
    "reaction_removed",
    "member_joined_channel",
    "member_left_channel",
    "team_join",
    "channel_created",  # the directory learns new channels' names
    "channel_rename",
    "group_rename",
    "user_change",  # and members' new names
    "subteam_members_changed",  # the manager group's members
)


def manifest(
    config: SlackConfig, specs: Iterable[CommandSpec], *, request_url: str
) -> dict[str, Any]:
    """The app manifest for these commands and `[slack]` settings; `request_url` (Steward's
    public `…/slack/events`) is used in http mode only. ValueError when a command's name does
    not fit Slack (too long, or a prefix with spaces or capitals) or the URL is not http(s)."""
    specs = list(specs)
    http = config.mode == "http"
    if http and not request_url.startswith(("https://", "http://")):
        raise ValueError(f"the request URL must start with https:// (got {request_url!r})")
    url = {"url": request_url} if http else {}
    request = {"request_url": request_url} if http else {}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Steward",
            "description": "Community assistant: content calendar, polls, surveys, contests.",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": False,
                "messages_tab_enabled": True,  # Steward's direct messages to a member
                "messages_tab_read_only_enabled": True,  # it reads no direct messages
            },
            "bot_user": {"display_name": "Steward", "always_online": True},
            "slash_commands": [{**entry, **url} for entry in slash_entries(config, specs)],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": {**request, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, **request},
            "org_deploy_enabled": False,
            "socket_mode_enabled": not http,
            "token_rotation_enabled": False,
        },
    }


def slash_entries(config: SlackConfig, specs: list[CommandSpec]) -> list[dict[str, Any]]:
    """One manifest entry per slash command (no URL), in Slack's limits."""
    commands = slash_commands(specs, config.command_prefix)
    if len(commands) > COMMANDS_LIMIT:
        raise ValueError(f"{len(commands)} slash commands; a Slack app has {COMMANDS_LIMIT}")
    entries = []
    for command, word in commands.items():
        _check_name(command, config.command_prefix)
        entry = {
            "command": command,
            "description": excerpt(help_line(specs, word), DESCRIPTION_LIMIT) or word,
            "should_escape": True,  # #general and @bob arrive as <#C…|general>, <@U…|bob>
        }
        hint = excerpt(usage_hint(specs, word), USAGE_HINT_LIMIT)
        if hint:  # Slack refuses an empty usage hint
            entry["usage_hint"] = hint
        entries.append(entry)
    return entries


def _check_name(command: str, prefix: str) -> None:
    fix = f": shorten [slack] command_prefix {prefix!r}" if prefix else ""
    if len(command) > NAME_LIMIT:
        raise ValueError(
            f"the slash command {command} has {len(command)} characters; Slack allows "
            f"{NAME_LIMIT}, the slash included{fix}"
        )
    if command != command.lower() or any(char.isspace() for char in command):
        raise ValueError(
            f"the slash command {command!r} must be lower case without spaces: "
            f"fix [slack] command_prefix {prefix!r}"
        )
