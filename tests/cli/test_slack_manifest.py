"""`steward slack manifest`: the app manifest on stdout as JSON, from the configuration."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import cli

COMMANDS = {"/sw-ask", "/sw-calendar", "/sw-contest", "/sw-feedback", "/sw-feedback-summary"}
COMMANDS |= {"/sw-help", "/sw-inquiries", "/sw-poll", "/sw-privacy", "/sw-stats"}
COMMANDS |= {"/sw-digest", "/sw-objective", "/sw-survey", "/steward"}


def _run(tmp_path: Path, slack: str, *args: str):
    config = tmp_path / "steward.toml"
    config.write_text(f"[slack]\n{slack}\n")
    return CliRunner().invoke(cli, ["slack", "manifest", "--config", str(config), *args])


def test_prints_every_command_with_the_prefix_and_the_given_url(tmp_path: Path) -> None:
    url = "https://steward.example.org/slack/events"
    result = _run(tmp_path, 'command_prefix = "sw-"', "--url", url)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads(result.stdout)
    commands = manifest["features"]["slash_commands"]
    assert {entry["command"] for entry in commands} == COMMANDS
    assert {entry["url"] for entry in commands} == {url}
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert result.stderr == ""


def test_without_url_the_placeholder_is_used_and_named_on_stderr(tmp_path: Path) -> None:
    result = _run(tmp_path, "")
    assert result.exit_code == 0
    manifest = json.loads(result.stdout)
    assert manifest["settings"]["interactivity"]["request_url"] == "https://YOUR-HOST/slack/events"
    assert "replace https://YOUR-HOST/slack/events" in result.stderr


def test_socket_mode_needs_no_url(tmp_path: Path) -> None:
    result = _run(tmp_path, 'mode = "socket"')
    assert result.exit_code == 0
    manifest = json.loads(result.stdout)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "YOUR-HOST" not in result.stdout and result.stderr == ""


def test_a_prefix_too_long_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, 'command_prefix = "our-community-assistant-"')
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("steward: the slash command /our-community-assistant-")
    assert result.stderr.count("\n") == 1


def test_a_bad_config_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, 'mode = "carrier-pigeon"')
    assert result.exit_code == 2
    assert result.stderr.startswith("steward: configuration error: ")
    assert "slack.mode" in result.stderr and result.stderr.count("\n") == 1
