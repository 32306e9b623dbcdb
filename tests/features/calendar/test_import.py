"""Importing calendar posts from CSV and ICS: good files, bad rows by line, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli
from tests.conftest import Community
from tests.features.calendar.support import MANAGER, berlin, posts, published, timeline

FIXTURES = Path(__file__).parent / "fixtures"
MONDAY_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Mon 09:00 CET


async def test_good_csv_imports_every_row_and_publishes_them(db_url: str) -> None:
    async with berlin(db_url, MONDAY_BERLIN) as community:
        out = await community.run(f"{MANAGER}\n/calendar import file:{FIXTURES / 'good.csv'}")
        assert (
            "[managers] Steward: Imported 4 calendar posts from good.csv (#1, #2, #3, #4). "
            "/calendar list shows them." in out
        )
        agenda = await community.run("/calendar list days:5")
        out = await community.run(":advance 4d9h")  # to Fri 18:00 CET
    assert "09:00 #1 [article] #announcements — Weekly update (weekly)" in agenda
    assert "18:30 #2 [discussion] #general — What are you working on?" in agenda
    assert "12:00 #3 [poll] #general — Best AMA day?" in agenda
    assert "17:00 #4 [video] #announcements — Demo day (0 17 * * 5)" in agenda
    posted = [text for text in published(out) if not text.startswith("Results")]  # poll closing
    assert posted == [
        "Weekly update",
        "What are you working on?",
        "Best AMA day?",
        "Demo day",
    ]
    assert "[announcements] Steward [video]: Demo day\n    Watch the demo\n    (two lines)" in out


async def test_good_ics_with_rrule_keeps_the_event_zone_and_count(db_url: str) -> None:
    async with berlin(db_url, MONDAY_BERLIN) as community:
        out = await community.run(f"{MANAGER}\n/calendar import file:{FIXTURES / 'good.ics'}")
        assert "Imported 2 calendar posts from good.ics (#1, #2)." in out
        agenda = await community.run("/calendar list days:60")
        out = await community.run(":advance 2d8h59m\n:advance 1m")  # to Wed 18:00 CET
    ama = [line for line in agenda.splitlines() if "Weekly AMA" in line]
    assert len(ama) == 6  # COUNT=6
    assert all(line.strip().startswith("18:00 #1 [event] #announcements") for line in ama)
    assert "== Wed 2026-04-08 ==\n    18:00 #1 [event]" in agenda  # after the DST change
    assert "09:00 #2 [announcement] #general — Launch" in agenda  # 08:00Z is 09:00 CET
    assert timeline(out) == ["Wed 2026-03-04 18:00 CET Weekly AMA"]
    assert "Ask us anything, every Wednesday." in out


async def test_bad_csv_reports_each_line_and_imports_nothing(community: Community) -> None:
    out = await community.run(f"{MANAGER}\n/calendar import file:{FIXTURES / 'bad.csv'}")
    assert "→ ann (private): Nothing imported from bad.csv: 3 of 5 rows have problems." in out
    assert "line 3: '2026-02-30T09:00' is not a date and time" in out
    assert "line 4: unknown channel #newz." in out
    assert "line 5: unknown type 'podcast'; use one of article, video, poll" in out
    assert "(channels: #announcements, #general, #help, #managers)" in out
    assert "line 2" not in out and "line 6" not in out
    assert posts(community) == []


async def test_skip_bad_imports_only_the_good_rows(community: Community) -> None:
    out = await community.run(
        f"{MANAGER}\n/calendar import file:{FIXTURES / 'bad.csv'} skip_bad:true"
    )
    assert "Imported 2 calendar posts from bad.csv (#1, #2); skipped 3 bad rows." in out
    assert [p.text for p in posts(community)] == ["A good row", "Another good row"]


async def test_bad_ics_rows_by_line(community: Community) -> None:
    out = await community.run(f"{MANAGER}\n/calendar import file:{FIXTURES / 'bad.ics'}")
    assert "Nothing imported from bad.ics: 2 of 3 rows have problems." in out
    assert "line 11: all-day event on 2026-03-05; give it a start time to publish it." in out
    assert "line 18: RRULE:FREQ=HOURLY: hourly (or more frequent) rules are not supported." in out
    assert posts(community) == []


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.csv", b"", "empty.csv is empty."),
        ("blank.csv", b"  \n\n", "blank.csv is empty."),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.csv is not a text file"),
        (
            "latin1.csv",
            "when,channel,type,text\n+1h,general,article,Caf\xe9\n".encode("latin-1"),
            "latin1.csv is not UTF-8 text",
        ),
        (
            "big.csv",
            (b"when,channel,type,text\n" + b"+1h,general,article,x\n" * 460_000)[: 10**7],
            "big.csv is 10.0 MB; the limit is 1 MB.",
        ),
        ("header.csv", b"when,channel,kind,text\n+1h,general,article,x\n", "unknown column 'kind'"),
        ("only-header.csv", b"when,channel,type,text\n", "only-header.csv has no posts in it."),
        (
            "broken.ics",
            b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:notadate\n",
            "broken.ics is not a valid ICS calendar",
        ),
        ("posts.xlsx", b"PK\x03\x04 not really", "posts.xlsx: attach a .csv or .ics file."),
    ],
)
async def test_unusable_files_are_refused_whole(
    community: Community, tmp_path: Path, name: str, data: bytes, error: str
) -> None:
    path = _write(tmp_path, name, data)
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "Steward → ann (private): Nothing imported: " in out
    assert error in out
    assert "Usage: /calendar import (attach a CSV or ICS file)" in out
    assert posts(community) == []


async def test_a_row_with_the_wrong_number_of_fields(community: Community, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "fields.csv",
        b"when;channel;type;text\n2026-03-03T09:00;general;article;ok\n"
        b"2026-03-04T09:00;general;article\n",
    )
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "line 3: 3 fields; the header has 4." in out
    assert posts(community) == []


async def test_import_needs_an_attachment(community: Community) -> None:
    out = await community.run(f"{MANAGER}\n/calendar import")
    assert "Attach the CSV or ICS file to import." in out


def test_command_line_import_all_or_nothing(db_url: str) -> None:
    runner = CliRunner()
    base = ["--db", db_url, "--now", "2026-03-02T09:00Z"]
    bad = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "bad.csv"), *base])
    assert bad.exit_code == 1
    assert "Nothing imported from bad.csv: 3 of 5 rows have problems." in bad.output
    assert "line 4: unknown channel #newz." in bad.output
    good = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "good.ics"), *base])
    assert good.exit_code == 0, good.output
    assert "Imported 2 calendar posts from good.ics (#1, #2)." in good.output
    skip = runner.invoke(
        cli, ["calendar", "import", str(FIXTURES / "bad.csv"), "--skip-bad", *base]
    )
    assert skip.exit_code == 0
    assert "Imported 2 calendar posts from bad.csv (#3, #4); skipped 3 bad rows." in skip.output


def test_command_line_refuses_an_empty_file(db_url: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "empty.ics", b"")
    result = CliRunner().invoke(cli, ["calendar", "import", str(path), "--db", db_url])
    assert result.exit_code == 1
    assert "nothing imported: empty.ics is empty." in result.output


async def test_importing_the_same_file_again_adds_no_post_twice(
    db_url: str, tmp_path: Path
) -> None:
    good = (FIXTURES / "good.csv").read_bytes()
    more = _write(tmp_path, "more.csv", good + b"2026-03-07T10:00,general,event,Meetup,Come,,\n")
    async with berlin(db_url, MONDAY_BERLIN) as community:
        await community.run(f"{MANAGER}\n/calendar import file:{FIXTURES / 'good.csv'}")
        again = await community.run(f"/calendar import file:{FIXTURES / 'good.csv'}")
        grown = await community.run(f"/calendar import file:{more}")
        # after the one-off discussion went out (Wed 18:30) and one post was cancelled
        later = await community.run(
            f":advance 3d\n/calendar cancel id:3\n/calendar import file:{more}"
        )
        out = await community.run(":advance 2d2h")  # to Sat 11:00
        stored = posts(community)
    assert (
        "Steward → ann (private): Nothing new in good.csv: its 4 posts are already in the "
        "calendar (#1, #2, #3, #4); none was imported again." in again
    )
    assert (
        "[managers] Steward: Imported 1 calendar post from more.csv (#5). 4 rows are already "
        "in the calendar (#1, #2, #3, #4) and were not imported again." in grown
    )
    assert "Nothing new in more.csv: its 5 posts are already in the calendar (#1, #2, " in later
    assert "#3 cancelled" in later and "in the past" not in later
    assert len(stored) == 5
    assert published(out).count("Meetup") == 1


async def test_the_same_row_twice_in_one_file_is_imported_once(
    community: Community, tmp_path: Path
) -> None:
    row = b"2026-03-03T09:00,general,article,,Hello,,\n"
    path = _write(tmp_path, "twice.csv", b"when,channel,type,title,text,link,repeat\n" + row * 2)
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "Imported 1 calendar post from twice.csv (#1). Line 3 repeats line 2." in out
    assert len(posts(community)) == 1


def test_command_line_import_twice_is_not_an_error(db_url: str) -> None:
    runner = CliRunner()
    base = ["--db", db_url, "--now", "2026-03-02T09:00Z"]
    first = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "good.ics"), *base])
    second = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "good.ics"), *base])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Nothing new in good.ics: its 2 posts are already in the calendar (#1, #2)" in (
        second.output
    )


async def test_ics_floating_times_are_read_in_the_community_zone(
    db_url: str, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "floating.ics",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:f1\r\n"
        b"DTSTART:20260303T090000\r\nSUMMARY:Floating\r\nLOCATION:general\r\n"
        b"CATEGORIES:article\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    async with berlin(db_url, MONDAY_BERLIN) as community:
        out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
        agenda = await community.run("/calendar list days:2")
    assert "Imported 1 calendar post from floating.ics (#1)." in out
    assert "== Tue 2026-03-03 ==\n    09:00 #1 [article] #general — Floating" in agenda


async def test_rows_the_platform_would_refuse_are_bad_rows(
    community: Community, tmp_path: Path
) -> None:
    long_title = "T" * 257
    path = _write(
        tmp_path,
        "limits.csv",
        "when,channel,type,title,text,link\n"
        f"2026-03-03T09:00,general,article,{long_title},x,\n"
        "2026-03-03T10:00,general,poll,Best day?,Mon | mon,\n"
        "2026-03-03T11:00,general,article,,x,https://\n".encode(),
    )
    out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "line 2: `title` is 257 characters; the limit is 256." in out
    assert "line 3: 'mon' is given twice; each option must be different." in out
    assert "line 4: `link` must be a web address like https://example.org/page" in out
    assert posts(community) == []


async def test_an_excel_csv_with_bom_semicolons_and_empty_columns(
    db_url: str, tmp_path: Path
) -> None:
    path = _write(
        tmp_path,
        "excel.csv",
        b"\xef\xbb\xbfWhen;Channel;Type;Title;Text;;\r\n"
        b'2026-03-03 09:00;#general;Article;Hi;"two\r\nlines";;\r\n'
        b";;;;;;\r\n"
        b"2026-03-03 10:00;general;article;;Note;;stray\r\n",
    )
    async with berlin(db_url, MONDAY_BERLIN) as community:
        out = await community.run(f"{MANAGER}\n/calendar import file:{path}")
    assert "Nothing imported from excel.csv: 1 of 2 rows have problems." in out
    assert "line 5: 'stray' is in column 7, which has no name in the first line." in out
    assert "line 2" not in out


async def test_a_google_calendar_export(db_url: str) -> None:
    """VTIMEZONE and TZID, an UNTIL rule, an all-day event, an HTML description."""
    google = FIXTURES / "google.ics"
    async with berlin(db_url, datetime(2026, 3, 27, 7, 0, tzinfo=UTC)) as community:
        refused = await community.run(f"{MANAGER}\n/calendar import file:{google}")
        out = await community.run(f"/calendar import file:{google} skip_bad:true")
        agenda = await community.run("/calendar list days:35")
        await community.run(":advance 6d8h")  # to Thu 2026-04-02 17:00 CEST
        town_hall = await community.run(":advance 1h")
    assert "Nothing imported from google.ics: 1 of 3 rows have problems." in refused
    assert "line 42: all-day event on 2026-04-01; give it a start time" in refused
    assert "Imported 2 calendar posts from google.ics (#1, #2); skipped 1 bad row." in out
    standups = [line for line in agenda.splitlines() if "Standup" in line]
    assert len(standups) == 4  # every Monday 09:00 until 27 April (UNTIL is before 09:00)
    assert all(line.strip().startswith("09:00 #1 [article] #announcements") for line in standups)
    assert (
        "[general] Steward [event]: Town hall\n    **Agenda**\n    1. Roadmap & Q&A\n"
        "    notes (https://example.org/notes)\n    • one\n    • two\n" in town_hall
    )


def test_reimport_with_skip_bad_says_the_good_rows_are_already_there(db_url: str) -> None:
    runner = CliRunner()
    args = ["calendar", "import", str(FIXTURES / "bad.csv"), "--skip-bad"]
    base = ["--db", db_url, "--now", "2026-03-02T09:00Z"]
    runner.invoke(cli, [*args, *base])
    again = runner.invoke(cli, [*args, *base])
    assert again.exit_code == 0, again.output
    assert (
        "Nothing new in bad.csv: 2 of its posts are already in the calendar (#1, #2); "
        "3 rows have problems. Nothing was imported." in again.output
    )
    assert "line 4: unknown channel #newz." in again.output
