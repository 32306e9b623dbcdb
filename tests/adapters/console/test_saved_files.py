"""The console keeps the images and files Steward sends and prints where, for a user to open."""

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from adapters.console.adapter import ConsoleAdapter
from adapters.console.saved_files import SavedFiles, safe_name
from bot.bootstrap import build_app
from bot.cli.main import cli
from bot.cli.options import files_folder
from bot.core.clock import VirtualClock
from bot.core.messages import FileData, Image, Message
from bot.store.database import Store
from tests.conftest import START, Community, make_settings


@pytest.fixture
async def saving(settings, tmp_path: Path) -> AsyncIterator[Community]:
    """A console community that keeps what it is sent in tmp_path/out."""
    out = io.StringIO()
    app = build_app(settings, VirtualClock(START), Store.open(settings.storage.url))
    adapter = ConsoleAdapter(settings.console, out=out, files_dir=tmp_path / "out")
    app.add_adapter(adapter)
    await app.start()
    yield Community(app, adapter, out)
    await app.stop()
    app.store.close()


def _saved_path(out: str, kind: str) -> Path:
    line = next(line for line in out.splitlines() if line.strip().startswith(f"[{kind} "))
    return Path(line.split(", saved as ", 1)[1].split(" — ")[0].rstrip("]"))


async def test_a_poll_chart_is_saved_and_its_path_printed(saving: Community, tmp_path) -> None:
    out = await saving.run(
        ':as ana\n/poll create question:"Best day?" options:"Mon | Fri" closes:1h\n'
        ":click 2 Fri\n:advance 2h"
    )
    path = _saved_path(out, "image")
    assert path == (tmp_path / "out" / "poll-1-results.png").resolve()
    assert path.read_bytes().startswith(b"\x89PNG")
    assert f"[image poll-1-results.png, {path.stat().st_size:,} bytes, saved as {path}" in out


async def test_an_export_file_is_saved_whole(saving: Community) -> None:
    out = await saving.run(":as ana\nhello\n/privacy export")
    path = _saved_path(out, "file")
    assert path.name == "steward-export-console-ana.json"
    assert json.loads(path.read_text())  # the member's data, as shown below the line


def test_names_never_collide_or_leave_the_folder(tmp_path: Path) -> None:
    files = SavedFiles(tmp_path / "out")
    first = files.note("chart.png", b"one")
    again = files.note("chart.png", b"one")  # the same picture, re-rendered on an edit
    other = files.note("chart.png", b"two")
    sneaky = files.note("../../escape.png", b"three")
    assert first == again == f", saved as {tmp_path / 'out' / 'chart.png'}"
    assert other == f", saved as {tmp_path / 'out' / 'chart-2.png'}"
    assert sneaky == f", saved as {tmp_path / 'out' / 'escape.png'}"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "chart-2.png",
        "chart.png",
        "escape.png",
    ]
    assert not (tmp_path / "escape.png").exists()
    assert [safe_name(n) for n in ("..", "a\\b\\c.csv", ".env", "")] == [
        "file",
        "c.csv",
        "env",
        "file",
    ]


def test_a_file_that_cannot_be_written_is_said_so(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the folder should be")
    assert SavedFiles(tmp_path / "taken").note("x.png", b"x").startswith(", not saved (")


def test_without_a_folder_nothing_is_kept() -> None:
    assert SavedFiles(None).note("x.png", b"x") == ""


def test_the_folder_sits_beside_the_database_or_where_asked(tmp_path: Path) -> None:
    sqlite = make_settings(f"sqlite:///{tmp_path / 'data' / 'steward.db'}")
    assert files_folder(sqlite) == tmp_path / "data" / "steward-files"
    postgres = make_settings("postgresql://steward@db.example/steward")
    assert files_folder(postgres) == Path("steward-files")
    assert files_folder(sqlite, tmp_path / "charts") == tmp_path / "charts"


@pytest.mark.parametrize("command", ["console", "run"])
def test_the_command_line_saves_beside_the_database_or_in_out(tmp_path: Path, command: str) -> None:
    db = f"sqlite:///{tmp_path / 'data' / 'steward.db'}"
    runner = CliRunner()
    result = runner.invoke(cli, [command, "--db", db], input="/privacy export\n", env={})
    assert result.exit_code == 0, result.output
    saved = tmp_path / "data" / "steward-files" / "steward-export-console-you.json"
    assert f"saved as {saved}" in result.stdout and saved.is_file()
    out = tmp_path / "charts"
    result = runner.invoke(cli, [command, "--db", db, "--out", str(out)], input="/privacy export\n")
    assert f"saved as {out / 'steward-export-console-you.json'}" in result.stdout


def test_message_rendering_without_a_folder_is_unchanged() -> None:
    from adapters.console.render import render_body

    message = Message(text="x", image=Image("a.png", b"12", "alt"), file=FileData("b.bin", b"1"))
    assert render_body(message) == ["    [image a.png, 2 bytes — alt]", "    [file b.bin, 1 bytes]"]
