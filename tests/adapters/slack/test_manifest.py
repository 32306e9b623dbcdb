"""The Slack app manifest: every command of the registry, the scopes and events the adapter
needs, request URLs in http mode only, and nothing Slack would refuse."""

from __future__ import annotations

import pytest

from adapters.slack.manifest import (
    BOT_EVENTS,
    BOT_SCOPES,
    DESCRIPTION_LIMIT,
    USAGE_HINT_LIMIT,
    manifest,
)
from bot.bootstrap import build_app
from bot.core.clock import VirtualClock
from bot.core.commands import CommandSpec, Option
from bot.core.config import Settings, SlackConfig
from bot.store.database import Store

URL = "https://steward.example.org/slack/events"


async def _nothing(ctx) -> None:
    return None


@pytest.fixture(scope="module")
def specs() -> list[CommandSpec]:
    store = Store.open("sqlite://", migrate=False)
    try:
        return list(build_app(Settings(), VirtualClock(), store).registry)
    finally:
        store.close()


def _commands(result: dict) -> dict[str, dict]:
    return {entry["command"]: entry for entry in result["features"]["slash_commands"]}


def test_every_first_word_of_the_registry_is_a_slash_command_and_so_is_steward(specs) -> None:
    commands = _commands(manifest(SlackConfig(), specs, request_url=URL))
    assert set(commands) == {f"/{spec.words[0]}" for spec in specs} | {"/steward"}
    assert {"/poll", "/calendar", "/feedback-summary", "/help"} <= set(commands)
    assert commands["/poll"]["description"] == "poll: close, create, results"
    assert all(entry["should_escape"] is True for entry in commands.values())


def test_the_prefix_goes_before_every_command_but_the_umbrella(specs) -> None:
    commands = _commands(manifest(SlackConfig(command_prefix="sw-"), specs, request_url=URL))
    assert "/sw-poll" in commands and "/poll" not in commands
    assert "/steward" in commands and "/sw-steward" not in commands
    assert all(name.startswith("/sw-") for name in commands if name != "/steward")


def test_http_mode_sends_everything_to_the_request_url(specs) -> None:
    result = manifest(SlackConfig(mode="http"), specs, request_url=URL)
    assert {entry["url"] for entry in result["features"]["slash_commands"]} == {URL}
    assert result["settings"]["event_subscriptions"]["request_url"] == URL
    assert result["settings"]["interactivity"] == {"is_enabled": True, "request_url": URL}
    assert result["settings"]["socket_mode_enabled"] is False


def test_socket_mode_has_no_url_anywhere(specs) -> None:
    result = manifest(SlackConfig(mode="socket"), specs, request_url=URL)
    assert URL not in repr(result)
    assert all("url" not in entry for entry in result["features"]["slash_commands"])
    assert "request_url" not in result["settings"]["event_subscriptions"]
    assert result["settings"]["interactivity"] == {"is_enabled": True}
    assert result["settings"]["socket_mode_enabled"] is True


def test_scopes_events_and_the_bot_user(specs) -> None:
    result = manifest(SlackConfig(), specs, request_url=URL)
    assert result["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert {"commands", "chat:write", "files:read", "files:write", "im:write"} <= set(BOT_SCOPES)
    assert result["settings"]["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)
    assert "message.groups" in BOT_EVENTS and "team_join" in BOT_EVENTS
    assert result["features"]["bot_user"] == {"display_name": "Steward", "always_online": True}
    assert result["display_information"]["name"] == "Steward"
    assert result["settings"]["org_deploy_enabled"] is False
    assert result["settings"]["token_rotation_enabled"] is False


def test_descriptions_and_usage_hints_are_cut_to_slack_s_limits() -> None:
    long = [
        CommandSpec("report", "word " * 1000, _nothing, options=(Option("x" * 1500),)),
        CommandSpec("quiet", "Does nothing visible.", _nothing),
        CommandSpec("silent", "", _nothing),
    ]
    commands = _commands(manifest(SlackConfig(), long, request_url=URL))
    report = commands["/report"]
    assert len(report["description"]) <= DESCRIPTION_LIMIT
    assert report["description"].endswith("…")
    assert len(report["usage_hint"]) <= USAGE_HINT_LIMIT
    assert "usage_hint" not in commands["/quiet"]  # Slack refuses an empty one
    assert commands["/silent"]["description"] == "silent"  # nor an empty description


def test_real_commands_fit_slack_s_limits(specs) -> None:
    for entry in manifest(SlackConfig(), specs, request_url=URL)["features"]["slash_commands"]:
        assert 2 <= len(entry["command"]) <= 32
        assert 1 <= len(entry["description"]) <= DESCRIPTION_LIMIT
        assert 1 <= len(entry.get("usage_hint", "x")) <= USAGE_HINT_LIMIT
    shown = manifest(SlackConfig(), specs, request_url=URL)["display_information"]
    assert 1 <= len(shown["description"]) <= 140 and len(shown["name"]) <= 35


def test_a_name_too_long_with_the_prefix_is_refused_by_name(specs) -> None:
    config = SlackConfig(command_prefix="community-assistant-")
    with pytest.raises(ValueError, match=r"/community-assistant-feedback-summary has 37 char"):
        manifest(config, specs, request_url=URL)


def test_a_prefix_with_capitals_or_spaces_is_refused(specs) -> None:
    with pytest.raises(ValueError, match="lower case without spaces"):
        manifest(SlackConfig(command_prefix="Sw "), specs, request_url=URL)


def test_a_request_url_that_is_not_http_is_refused_in_http_mode(specs) -> None:
    with pytest.raises(ValueError, match="must start with https://"):
        manifest(SlackConfig(), specs, request_url="steward.example.org/slack/events")
    assert manifest(SlackConfig(mode="socket"), specs, request_url="")["settings"]
