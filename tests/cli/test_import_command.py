"""`steward import slack PATH` and `steward import discord FILE...` as a manager runs them:
the summary printed, what the database then holds, and one line naming the file on bad input."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli.main import cli

FIXTURES = Path(__file__).parents[1] / "fixtures"
SLACK = FIXTURES / "slack_export"
DISCORD = sorted((FIXTURES / "discord_export").glob("*.json"))
DISCORD_GENERAL, DISCORD_THREAD = DISCORD  # the channel's file, then its thread's
# the summary's words for each kind, as the interaction log names it
KINDS = {
    "message": "message",
    "messages": "message",
    "reply": "reply",
    "replies": "reply",
    "share": "message_shared",
    "shares": "message_shared",
    "reaction": "reaction_added",
    "reactions": "reaction_added",
    "join": "member_joined",
    "joins": "member_joined",
    "leave": "member_left",
    "leaves": "member_left",
    "edit": "message_edited",
    "edits": "message_edited",
    "thread": "thread_created",
    "threads": "thread_created",
}
SLACK_SKIPPED = [
    "    messages without a valid ts (no time to record them at): 1",
    "    reactions whose reactors the export does not name: 1",
    "    channel_topic records (not a member's post): 1",
    "    messages without a user or a bot (no one to attribute them to): 1",
    "    deleted messages (a tombstone kept for their thread; the replies are imported): 1",
    "    pinned_item records (not a member's post): 1",
]
SLACK_NOTES = [
    "  note: direct messages are private and were not imported: 1 in dms.json, 1 in mpims.json",
    "  note: channel folder orphan is not in channels.json or groups.json: imported under its "
    "folder name, so its messages will not match the live ones",
    "  note: 2 files in channel folders are not day files and were not read: "
    "general/notes.txt, help/tss.json",
    "  note: questions in #help are tracked as inquiries",
]
SLACK_SUMMARY = [
    "  new: 13 messages · 4 replies · 1 share · 5 reactions · 1 join · 1 leave · 1 edit",
    "  already recorded: 0 (skipped as repeats)",
    "  of them by bots (kept apart from members): 3 messages",
    "  members: 7 in the export, 7 new to Steward · channels: 5, 5 new",
    "  time range: 2024-01-01 09:00 UTC – 2024-01-02 15:40 UTC",
    "  reactions carry no time in the export: each is recorded at its message's time",
    "  skipped 6 records:",
    *SLACK_SKIPPED,
    *SLACK_NOTES,
]
SLACK_AGAIN = [
    "  new: nothing",
    "  already recorded: 26 (skipped as repeats)",
    "  members: 7 in the export, 0 new to Steward · channels: 5, 0 new",
    "  time range: 2024-01-01 09:00 UTC – 2024-01-02 15:40 UTC",
    "  skipped 6 records:",
    *SLACK_SKIPPED,
    *SLACK_NOTES,
]
# import order is by day, then channel: the fourth file is the first of the second day
SLACK_FIRST_DAY = {
    "message": 7,
    "reply": 3,
    "reaction_added": 4,
    "member_joined": 1,
    "message_edited": 1,
}
SLACK_SECOND_DAY = "general/2024-01-02.json"
SLACK_ALL = {
    "message": 13,
    "reply": 4,
    "message_shared": 1,
    "reaction_added": 5,
    "member_joined": 1,
    "member_left": 1,
    "message_edited": 1,
}
DISCORD_SUMMARY = [
    "  new: 4 messages · 2 replies · 1 share · 5 reactions · 1 join · 1 edit · 1 thread",
    "  already recorded: 0 (skipped as repeats)",
    "  of them by bots (kept apart from members): 1 message",
    "  members: 4 in the export, 4 new to Steward · channels: 1, 1 new",
    "  time range: 2024-03-01 09:00 UTC – 2024-03-01 09:10 UTC",
    "  reactions carry no time in the export: each is recorded at its message's time",
    "  skipped 4 records:",
    "    reactions whose reactors the export does not list: 2",
    "    ChannelPinnedMessage messages (not a member's post): 1",
    "    RecipientAdd messages (not a member's post): 1",
    "  note: no help channel ([inquiries] help_channels: help) is in the export",
]
DISCORD_CHANNEL = "1090000000000000100"
DISCORD_THREAD_MESSAGES = ["1090000000000030001", "1090000000000030003"]


@pytest.fixture
def db(tmp_path: Path, sqlite_template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database at heads; the commands run in tmp_path, where no steward.toml is."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "s.db"
    shutil.copy(sqlite_template, path)
    return path


def steward(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", f"sqlite:///{db}"])


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def kinds(db: Path) -> dict[str, int]:
    return dict(query(db, "SELECT kind, count(*) FROM interaction GROUP BY kind"))


def event_ids(db: Path) -> list[str]:
    return [row[0] for row in query(db, "SELECT platform_event_id FROM interaction ORDER BY 1")]


def nothing_in(db: Path) -> bool:
    tables = ("interaction", "member", "channel")
    return all(query(db, f"SELECT count(*) FROM {table}") == [(0,)] for table in tables)


def new_counts(result: Result) -> dict[str, int]:
    """The summary's "new:" line, by the interaction log's kinds."""
    [line] = [line for line in result.stdout.splitlines() if line.startswith("  new: ")]
    counts: Counter[str] = Counter()
    for part in line.removeprefix("  new: ").split(" · "):
        number, words = part.split(" ", 1)
        counts[KINDS[words]] += int(number.replace(",", ""))
    return dict(counts)


def headline(result: Result, platform: str, source: str, done: int, files: int) -> None:
    """The summary's first line: which files of how many were imported, and how fast."""
    pattern = (
        rf"{platform} export {re.escape(source)}: {done} of {files} files imported "
        r"in \d+\.\d+s(, [\d,]+ new events/s)?"
    )
    assert re.fullmatch(pattern, result.stdout.splitlines()[0]), result.stdout


def one_error(result: Result) -> str:
    """Exit 2 and exactly one "steward: " line on stderr; that line."""
    assert result.exit_code == 2, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith("steward: ")]
    return line


def zipped(folder: Path, to: Path, under: str = "", extra: dict[str, str] | None = None) -> Path:
    """The export folder as a zip (its files at the root, or `under` one folder)."""
    with zipfile.ZipFile(to, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, under + file.relative_to(folder).as_posix())
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return to


# ---- Slack ------------------------------------------------------------------------------


def test_a_slack_export_is_summed_up_and_recorded_and_a_second_run_adds_nothing(db: Path):
    first = steward(db, "import", "slack", str(SLACK))
    assert first.exit_code == 0, first.output
    headline(first, "Slack", str(SLACK), 7, 7)
    assert first.stdout.splitlines()[1:] == SLACK_SUMMARY
    assert kinds(db) == new_counts(first) == SLACK_ALL
    recorded = event_ids(db)
    assert len(recorded) == 26

    again = steward(db, "import", "slack", str(SLACK))
    assert again.exit_code == 0, again.output
    headline(again, "Slack", str(SLACK), 7, 7)
    assert again.stdout.splitlines()[1:] == SLACK_AGAIN
    assert event_ids(db) == recorded


@pytest.mark.parametrize("under", ["", "export/"], ids=["at-the-root", "in-a-folder"])
def test_the_same_export_as_a_zip_gives_the_same_counts(db: Path, tmp_path: Path, under: str):
    zipped(SLACK, tmp_path / "export.zip", under)
    result = steward(db, "import", "slack", "export.zip")
    assert result.exit_code == 0, result.output
    headline(result, "Slack", "export.zip", 7, 7)
    assert result.stdout.splitlines()[1:] == SLACK_SUMMARY
    assert kinds(db) == new_counts(result) == SLACK_ALL


def test_a_dry_run_shows_the_same_counts_and_writes_nothing(db: Path):
    result = steward(db, "import", "slack", str(SLACK), "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    checked = rf"Slack export {re.escape(str(SLACK))}: 7 of 7 files checked \(dry run: nothing "
    assert re.fullmatch(checked + r"written\) in \d+\.\d+s(, [\d,]+ new events/s)?", lines[0])
    would = [line.replace(" are tracked", " would be tracked") for line in SLACK_SUMMARY]
    assert lines[1:] == would
    assert nothing_in(db)


def test_a_dry_run_warns_of_nothing(db: Path):
    result = steward(db, "import", "slack", str(SLACK), "--dry-run")
    assert [line for line in result.stderr.splitlines() if not line.startswith("import: ")] == []


def test_a_folder_that_is_not_an_export_is_refused_naming_it(db: Path, tmp_path: Path):
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "2024-01-01.json").write_text("[]")
    result = steward(db, "import", "slack", "photos")
    assert one_error(result).startswith("steward: photos: not a Slack export")
    assert result.stderr.count("\n") == 1
    assert nothing_in(db)


def test_a_truncated_day_file_stops_the_import_there_and_a_rerun_imports_the_rest(
    db: Path, tmp_path: Path
):
    export = tmp_path / "export"
    shutil.copytree(SLACK, export)
    day = export / SLACK_SECOND_DAY
    whole = day.read_bytes()
    day.write_bytes(whole[: len(whole) // 2])

    stopped = steward(db, "import", "slack", "export")
    line = one_error(stopped)
    assert line.startswith(f"steward: {SLACK_SECOND_DAY}: not valid JSON (")
    assert line.endswith("— truncated?")
    headline(stopped, "Slack", "export", 3, 7)
    assert stopped.stdout.splitlines()[-2:] == [
        f"  stopped at {line.removeprefix('steward: ')}",
        "  4 of the 7 files were not imported: run the same command again once it is mended"
        " (what is imported already is skipped)",
    ]
    assert kinds(db) == SLACK_FIRST_DAY == new_counts(stopped)
    stamps = [message["ts"] for message in json.loads(whole)]
    assert not [e for e in event_ids(db) if any(ts in e for ts in stamps)]
    assert not [e for e in event_ids(db) if e.startswith(("orphan:", "G0SECRET1:"))]

    day.write_bytes(whole)
    rest = steward(db, "import", "slack", "export")
    assert rest.exit_code == 0, rest.output
    headline(rest, "Slack", "export", 7, 7)
    assert rest.stdout.splitlines()[1:3] == [
        "  new: 6 messages · 1 reply · 1 share · 1 reaction · 1 leave",
        "  already recorded: 16 (skipped as repeats)",
    ]
    assert kinds(db) == dict(Counter(SLACK_FIRST_DAY) + Counter(new_counts(rest))) == SLACK_ALL
    assert len(event_ids(db)) == 26


def test_a_zip_with_an_entry_outside_the_export_is_refused_before_anything(
    db: Path, tmp_path: Path
):
    zipped(SLACK, tmp_path / "bad.zip", extra={"../evil.json": "[]"})
    result = steward(db, "import", "slack", "bad.zip")
    line = one_error(result)
    assert line.startswith("steward: ../evil.json: an entry of bad.zip with an absolute path or")
    assert result.stderr.count("\n") == 1
    assert nothing_in(db)


# ---- Discord ----------------------------------------------------------------------------


def test_discord_exports_are_summed_up_and_a_thread_counts_in_its_channel(db: Path):
    result = steward(db, "import", "discord", *map(str, DISCORD))
    assert result.exit_code == 0, result.output
    headline(result, "Discord", ", ".join(map(str, DISCORD)), 2, 2)
    assert result.stdout.splitlines()[1:] == DISCORD_SUMMARY
    assert kinds(db) == new_counts(result)
    [(channel, platform_id, name)] = query(db, "SELECT id, platform_channel_id, name FROM channel")
    assert (platform_id, name) == (DISCORD_CHANNEL, "general")
    in_thread = query(
        db,
        "SELECT message_id, channel_id FROM interaction WHERE message_id IN "
        f"({', '.join(repr(m) for m in DISCORD_THREAD_MESSAGES)}) ORDER BY 1",
    )
    assert in_thread == [(message, channel) for message in DISCORD_THREAD_MESSAGES]


def test_a_discord_file_that_breaks_off_keeps_none_of_its_messages(db: Path, tmp_path: Path):
    text = DISCORD_THREAD.read_text()
    cut = tmp_path / "thread.json"  # its first message whole, then it stops
    cut.write_text(text[: text.index('"id": "1090000000000030003"')])
    result = steward(db, "import", "discord", str(DISCORD_GENERAL), "thread.json")
    line = one_error(result)
    assert line.startswith("steward: thread.json: ends after 2 messages: it looks truncated")
    headline(result, "Discord", f"{DISCORD_GENERAL}, thread.json", 1, 2)
    assert result.stdout.splitlines()[-2] == f"  stopped at {line.removeprefix('steward: ')}"
    assert result.stdout.splitlines()[-1].startswith("  1 of the 2 files were not imported")
    assert "1090000000000010002" in event_ids(db)
    assert not [e for e in event_ids(db) if "109000000000003" in e]


def test_a_discord_path_that_does_not_exist_is_refused_and_nothing_imported(db: Path):
    result = steward(db, "import", "discord", str(DISCORD_GENERAL), "missing.json")
    assert one_error(result) == "steward: missing.json: no such file or folder"
    assert result.stderr.count("\n") == 1
    assert nothing_in(db)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("Notes from the meeting\n", "not JSON"),
        ((SLACK / "channels.json").read_text(), "not a DiscordChatExporter export"),
    ],
    ids=["text", "another-json"],
)
def test_a_file_of_another_format_is_refused_naming_it(
    db: Path, tmp_path: Path, content: str, problem: str
):
    (tmp_path / "notes.json").write_text(content)
    result = steward(db, "import", "discord", "notes.json")
    assert one_error(result).startswith(f"steward: notes.json: {problem}; export with ")
    assert result.stderr.count("\n") == 1
    assert nothing_in(db)


# ---- progress -----------------------------------------------------------------------------


def test_progress_off_a_terminal_is_plain_lines_the_last_saying_all_files_are_done(db: Path):
    result = steward(db, "import", "slack", str(SLACK))
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("import: ")]
    assert progress, result.stderr
    assert re.fullmatch(r"import: 7/7 files, [\d,]+ records, [\d,]+/s, 100%", progress[-1])
    assert "\x1b" not in result.stderr  # no terminal codes in a log


def test_progress_counts_the_records_of_the_export(db: Path):
    result = steward(db, "import", "slack", str(SLACK))
    progress = [line for line in result.stderr.splitlines() if line.startswith("import: ")]
    assert progress[-1].startswith("import: 7/7 files, 32 records, ")  # 26 events, 6 skipped
