"""Configuration: defaults documented, bad files refused in one line with exit code 2."""

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import Result
from pydantic import BaseModel
from typer.testing import CliRunner

from bot.cli.main import cli
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


def _steward(tmp_path: Path, toml: str, *args: str) -> Result:
    """`steward db upgrade --config steward.toml ARGS` in-process, as a user would run it."""
    path = tmp_path / "steward.toml"
    path.write_text(toml)
    return CliRunner().invoke(cli, ["db", "upgrade", "--config", str(path), *args], env={})


def _one_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


BAD = {
    "unknown key": ("[community]\ncolour = 'blue'\n", "unknown key 'community.colour'"),
    "unknown section": ("[dicsord]\nenabled = true\n", "unknown key 'dicsord'"),
    "wrong type": ("[slack]\nport = 'eighty'\n", "slack.port"),
    "unknown time zone": ("[community]\ntimezone = 'Mars/Olympus'\n", "Mars/Olympus"),
    "bad duration": ("[calendar]\nmisfire_grace = 'soon'\n", "calendar.misfire_grace"),
    "absurd duration": ("[calendar]\nheads_up = '99999999999d'\n", "calendar.heads_up: '9"),
    "discord without token": ("[discord]\nenabled = true\n", "discord.token is required"),
    "slack without tokens": ("[slack]\nenabled = true\n", "slack.bot_token is required"),
    "not toml": ("[storage\nurl=1", "not valid TOML"),
    "no console channel": (
        "[console]\nchannels = []\n",
        "console.channels: the console needs at least one channel",
    ),
    "another database": (
        "[storage]\nurl = 'mysql://bob:hunter2@db/steward'\n",
        "storage.url: 'mysql://bob:***@db/steward': Steward stores its data in SQLite or "
        "PostgreSQL; write sqlite:///path/steward.db or postgresql://user@host/db",
    ),
    "bad digest schedule": (
        "[digest]\nschedule = 'mondays'\n",
        "digest.schedule: 'mondays' is not a weekly time; write a weekday and a time, like mon",
    ),
    "not a url": ("[storage]\nurl = 'steward.db'\n", "'steward.db' is not a database URL"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_config_is_one_line_naming_key_and_file(tmp_path: Path, case: str) -> None:
    toml, expected = BAD[case]
    line = _one_line(_steward(tmp_path, toml))
    assert line.startswith("steward: configuration error: ")
    assert expected in line
    assert "steward.toml" in line
    assert "hunter2" not in line


def test_bad_config_exits_2_from_the_real_command(tmp_path: Path) -> None:
    """The one test that needs a process: the exit code and stderr a shell sees."""
    path = tmp_path / "steward.toml"
    path.write_text("[console]\nchannels = []\n")
    result = subprocess.run(
        [*STEWARD, "console", "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"steward: configuration error: {path}: console.channels: the console needs at least "
        "one channel, each with a name (got [])"
    ]
    assert result.stdout == ""


def test_missing_config_file_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--config", str(tmp_path / "nope.toml")])
    assert _one_line(result) == (
        f"steward: configuration error: {tmp_path / 'nope.toml'}: no such configuration file"
    )


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("notaurl", "steward: --db 'notaurl' is not a database URL; write sqlite:///"),
        ("mysql://x", "steward: --db 'mysql://x': Steward stores its data in SQLite or PostgreSQL"),
        (
            "postgresql://bob:hunter2@127.0.0.1:1/steward",
            "steward: cannot open the database postgresql://bob:***@127.0.0.1:1/steward: "
            "connection failed",
        ),
    ],
)
def test_a_bad_database_url_is_one_line_without_its_password(
    tmp_path: Path, db: str, expected: str
) -> None:
    line = _one_line(_steward(tmp_path, "", "--db", db))
    assert line.startswith(expected)
    assert "hunter2" not in line


def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: milk, eggs\n" * 100)
    line = _one_line(_steward(tmp_path, "", "--db", f"sqlite:///{notes}"))
    assert line == f"steward: cannot open the database sqlite:///{notes}: file is not a database"
    assert notes.read_text().startswith("shopping")


def test_every_command_that_opens_the_database_says_so_in_one_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    url = f"sqlite:///{notes}"
    for args in (["console", "--db", url], ["run", "--db", url]):
        assert "file is not a database" in _one_line(CliRunner().invoke(cli, args, input=""))
    imported = CliRunner().invoke(cli, ["calendar", "import", str(notes), "--db", url])
    assert "file is not a database" in _one_line(imported)


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
