"""Configuration: defaults documented, bad files refused in one line with exit code 2."""

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.core.config import ConfigError, Settings, load_settings
from bot.core.logging_setup import RedactSecrets

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"
STEWARD = [sys.executable, "-m", "bot.cli"]


def test_example_documents_every_key_with_its_default() -> None:
    documented = tomllib.loads(EXAMPLE.read_text())
    defaults = Settings()
    for section in Settings.model_fields:
        keys = set(type(getattr(defaults, section)).model_fields)
        assert set(documented[section]) == keys, section
    assert load_settings(EXAMPLE, env={}) == defaults


def _steward(tmp_path: Path, toml: str, *args: str, env: dict | None = None):
    path = tmp_path / "steward.toml"
    path.write_text(toml)
    return subprocess.run(
        [*STEWARD, "db", "upgrade", "--config", str(path), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
        timeout=60,
    )


BAD = {
    "unknown key": ("[community]\ncolour = 'blue'\n", "unknown key 'community.colour'"),
    "unknown section": ("[dicsord]\nenabled = true\n", "unknown key 'dicsord'"),
    "wrong type": ("[slack]\nport = 'eighty'\n", "slack.port"),
    "unknown time zone": ("[community]\ntimezone = 'Mars/Olympus'\n", "Mars/Olympus"),
    "bad duration": ("[calendar]\nmisfire_grace = 'soon'\n", "calendar.misfire_grace"),
    "discord without token": ("[discord]\nenabled = true\n", "discord.token is required"),
    "slack without tokens": ("[slack]\nenabled = true\n", "slack.bot_token is required"),
    "not toml": ("[storage\nurl=1", "not valid TOML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_config_exits_2_with_one_line_naming_key_and_file(tmp_path: Path, case: str) -> None:
    toml, expected = BAD[case]
    result = _steward(tmp_path, toml)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    assert "steward.toml" in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_config_file_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [*STEWARD, "run", "--config", str(tmp_path / "nope.toml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"steward: configuration error: {tmp_path / 'nope.toml'}: no such configuration file"
    )


def test_environment_secrets_win_and_never_show(tmp_path: Path) -> None:
    path = tmp_path / "steward.toml"
    path.write_text('[discord]\nenabled = true\ntoken = "file-token-123"\n')
    settings = load_settings(path, env={"DISCORD_TOKEN": "env-token-456"})
    assert settings.discord.token.get_secret_value() == "env-token-456"
    assert "env-token-456" not in repr(settings) and "env-token-456" not in str(settings)


def test_secret_of_wrong_type_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "steward.toml"
    path.write_text("[slack]\nbot_token = 12345678\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    assert "slack.bot_token" in str(caught.value)
    assert "12345678" not in str(caught.value)


def test_secrets_are_redacted_from_logs(caplog) -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "connecting with %s", ("xoxb-secret",), None
    )
    RedactSecrets(["xoxb-secret"]).filter(record)
    assert record.getMessage() == "connecting with [redacted]"


def test_every_section_is_strict() -> None:
    for section in Settings.model_fields:
        model = type(getattr(Settings(), section))
        assert issubclass(model, BaseModel)
        assert model.model_config.get("extra") == "forbid", section
