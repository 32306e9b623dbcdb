"""`steward digest` and `steward report` as a manager runs them: the digest in the terminal,
a report in each format, and a bad option told in one line with exit 2."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli
from bot.core.config import Settings
from tests.conftest import START, open_recorded

NOW = (START + timedelta(days=8)).isoformat()  # Tuesday of 2026-W11: W10's digest is kept


@pytest.fixture
async def kept(settings: Settings) -> str:
    """A store where three members talked in 2026-W10 and its digest went out."""
    r = await open_recorded(settings)
    for name, times in (("ana", 3), ("ben", 2), ("cy", 1)):
        for n in range(times):
            await r.post(f"note {n}", by=name)
    await r.advance(START + timedelta(days=7) - r.clock.now())
    await r.app.stop()
    r.app.store.close()
    return settings.storage.url


def steward(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_digest_of_a_week_is_printed(kept: str) -> None:
    done = steward("digest", "--week", "2026-W10", "--db", kept, "--now", NOW)
    assert done.exit_code == 0, done.output
    assert done.output.startswith("Weekly digest · our community · 2026-W10 (Mon 2 – Sun 8")
    assert "Messages: 6" in done.output and "1. ana · 3 (3 messages)" in done.output
    same = steward("digest", "--week", "2026-03-04", "--db", kept, "--now", NOW)
    assert same.output == done.output  # a date names its week
    last = steward("digest", "--db", kept, "--now", NOW)
    assert last.output == done.output  # the last full week by default


def test_a_report_in_each_format(kept: str, tmp_path: Path) -> None:
    span = ("--from", "2026-W09", "--to", "2026-W10", "--db", kept, "--now", NOW)
    table = steward("report", *span, "--format", "csv")
    assert table.exit_code == 0, table.output
    rows = list(csv.DictReader(io.StringIO(table.output)))
    assert [row["week"] for row in rows] == ["2026-W09", "2026-W10"]
    assert [row["messages"] for row in rows] == ["0", "6"]
    markdown = steward("report", *span)
    assert "2026-W10" in markdown.output and "|" in markdown.output
    page = tmp_path / "report.html"
    written = steward("report", *span, "--format", "html", "--out", str(page))
    assert written.output == f"wrote {page} (2 weeks, 2026-W09 to 2026-W10)\n"
    html = page.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "http://" not in html


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("digest", "--week", "2026-W99"), "steward: --week 2026 has no week 99: write an ISO"),
        (("digest", "--week", "soon"), "steward: --week 'soon' is not a week: write an ISO"),
        (("report", "--from", "2026-W10", "--to", "2026-W09"), "--from 2026-W10 is after --to"),
        (("report", "--from", "2026-W09", "--format", "html"), "--format html writes a file"),
        (("report", "--from", "1990-W01"), "a report holds at most 520 weeks"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(kept: str, args: tuple, says: str) -> None:
    done = steward(*args, "--db", kept, "--now", NOW)
    assert done.exit_code == 2, done.output
    [line] = done.stderr.strip().splitlines()
    assert says in line and "Traceback" not in done.output
