"""The `steward` command line: its version and the help a user reads."""

from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli


def test_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"steward {version('steward')}\n"
    assert version("steward")[0].isdigit()


@pytest.mark.parametrize("command", ["run", "console", "db upgrade", "calendar import"])
def test_db_help_names_the_storage_key(command: str) -> None:
    result = CliRunner().invoke(cli, [*command.split(), "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "overriding [storage] url" in result.stdout
