"""Importing calendar posts from CSV and ICS: good files, bad rows by line, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli
from bot.core.capabilities import Dialect
from bot.core.events import Attachment
from bot.core.markup import render
from tests.features.calendar.support import (
    berlin_recorded,
    first_lines,
    manage,
    posts,
    timeline_of,
)
from tests.recording import Posted, Recorded, Said

FIXTURES = Path(__file__).parent / "fixtures"
MONDAY_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Mon 09:00 CET


async def import_file(
    recorded: Recorded, name: str, data: bytes | None = None, options: str = ""
) -> Said:
    """ann, a manager, attaches `name` (a fixture, or `data`) to `/calendar import`."""
    data = (FIXTURES / name).read_bytes() if data is None else data
    recorded.manager("ann")
    return await recorded.command(
        f"/calendar import {options}".strip(),
        by="ann",
        in_="managers",
        attachments=(Attachment(name, data),),
    )


def said_to_ann(said: Said) -> str:
    """Everything said to ann about an import: privately, or in the managers' channel."""
    return "\n".join(p.plain for p in said if p.channel.name == "managers")


async def agenda_of(recorded: Recorded, days: int) -> Posted:
    [agenda] = await manage(recorded, f"/calendar list days:{days}")
    return agenda


async def test_good_csv_imports_every_row_and_publishes_them(db_url: str) -> None:
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        said = await import_file(recorded, "good.csv")
        assert said.posted_in("managers") == [
            "Imported 4 calendar posts from good.csv (#1, #2, #3, #4). /calendar list shows them."
        ]
        agenda = (await agenda_of(recorded, 5)).plain
        said = await recorded.advance("4d9h")  # to Fri 18:00 CET
    assert "09:00 #1 [article] #announcements — Weekly update (weekly)" in agenda
    assert "18:30 #2 [discussion] #general — What are you working on?" in agenda
    assert "12:00 #3 [poll] #general — Best AMA day?" in agenda
    assert "17:00 #4 [video] #announcements — Demo day (0 17 * * 5)" in agenda
    posted = [text for text in first_lines(said) if not text.startswith("Results")]
    assert posted == ["Weekly update", "What are you working on?", "Best AMA day?", "Demo day"]
    [demo] = said.public("video")
    assert demo.channel.name == "announcements"
    assert demo.plain.startswith("Demo day\nWatch the demo\n(two lines)\n")


async def test_good_ics_with_rrule_keeps_the_event_zone_and_count(db_url: str) -> None:
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        said = await import_file(recorded, "good.ics")
        assert any(
            "Imported 2 calendar posts from good.ics (#1, #2)." in t
            for t in said.posted_in("managers")
        )
        agenda = await agenda_of(recorded, 60)
        said = await recorded.advance("2d9h")  # to Wed 18:00 CET
    ama = [line for line in agenda.plain.splitlines() if "Weekly AMA" in line]
    assert len(ama) == 6  # COUNT=6
    assert all(line.startswith("18:00 #1 [event] #announcements") for line in ama)
    assert agenda.section("Wed 2026-04-08").text.startswith("18:00 #1 [event]")  # after DST
    assert "09:00 #2 [announcement] #general — Launch" in agenda.plain  # 08:00Z is 09:00 CET
    assert timeline_of(said) == ["Wed 2026-03-04 18:00 CET Weekly AMA"]
    [ama_post] = said.public("event")
    assert "Ask us anything, every Wednesday." in ama_post.plain


async def test_bad_csv_reports_each_line_and_imports_nothing(recorded: Recorded) -> None:
    [reply] = await import_file(recorded, "bad.csv")
    assert reply.private_to == recorded.member("ann")
    text = reply.plain
    assert text.startswith("Nothing imported from bad.csv: 3 of 5 rows have problems.")
    assert "line 3: '2026-02-30T09:00' is not a date and time" in text
    assert "line 4: unknown channel #newz." in text
    assert "line 5: unknown type 'podcast'; use one of article, video, poll" in text
    assert "(channels: #announcements, #general, #help, #managers)" in text
    assert "line 2" not in text and "line 6" not in text
    assert posts(recorded) == []


async def test_skip_bad_imports_only_the_good_rows(recorded: Recorded) -> None:
    said = await import_file(recorded, "bad.csv", options="skip_bad:true")
    assert "Imported 2 calendar posts from bad.csv (#1, #2); skipped 3 bad rows." in said_to_ann(
        said
    )
    assert [p.text for p in posts(recorded)] == ["A good row", "Another good row"]


async def test_bad_ics_rows_by_line(recorded: Recorded) -> None:
    [reply] = await import_file(recorded, "bad.ics")
    assert reply.private_to == recorded.member("ann")
    assert reply.plain.startswith("Nothing imported from bad.ics: 2 of 3 rows have problems.")
    assert (
        "line 11: all-day event on 2026-03-05; give it a start time to publish it." in reply.plain
    )
    assert (
        "line 18: RRULE:FREQ=HOURLY: hourly (or more frequent) rules are not supported."
        in reply.plain
    )
    assert posts(recorded) == []


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


UNUSABLE = [
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
]


@pytest.mark.parametrize(("name", "data", "error"), UNUSABLE)
async def test_unusable_files_are_refused_whole(
    recorded: Recorded, name: str, data: bytes, error: str
) -> None:
    [reply] = await import_file(recorded, name, data)
    assert reply.private_to == recorded.member("ann")
    assert reply.plain.startswith("Nothing imported: ")
    assert error in reply.plain
    assert "Usage: /calendar import (attach a CSV or ICS file)" in reply.plain
    assert posts(recorded) == []


async def test_a_row_with_the_wrong_number_of_fields(recorded: Recorded) -> None:
    data = (
        b"when;channel;type;text\n2026-03-03T09:00;general;article;ok\n"
        b"2026-03-04T09:00;general;article\n"
    )
    [reply] = await import_file(recorded, "fields.csv", data)
    assert "line 3: 3 fields; the header has 4." in reply.plain
    assert posts(recorded) == []


async def test_import_needs_an_attachment(recorded: Recorded) -> None:
    [reply] = await manage(recorded, "/calendar import")
    assert reply.private_to == recorded.member("ann")
    assert "Attach the CSV or ICS file to import." in reply.plain


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


async def test_importing_the_same_file_again_adds_no_post_twice(db_url: str) -> None:
    good = (FIXTURES / "good.csv").read_bytes()
    more = good + b"2026-03-07T10:00,general,event,Meetup,Come,,\n"
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        await import_file(recorded, "good.csv")
        again = await import_file(recorded, "good.csv")
        grown = await import_file(recorded, "more.csv", more)
        # after the one-off discussion went out (Wed 18:30) and one post was cancelled
        await recorded.advance("3d")
        await manage(recorded, "/calendar cancel id:3")
        later = await import_file(recorded, "more.csv", more)
        said = await recorded.advance("2d2h")  # to Sat 11:00
        stored = posts(recorded)
    assert again.told("ann") == [
        "Nothing new in good.csv: its 4 posts are already in the "
        "calendar (#1, #2, #3, #4); none was imported again."
    ]
    [grew] = grown.posted_in("managers")
    assert grew.startswith(
        "Imported 1 calendar post from more.csv (#5). 4 rows are already "
        "in the calendar (#1, #2, #3, #4) and were not imported again."
    )
    later_text = said_to_ann(later)
    assert "Nothing new in more.csv: its 5 posts are already in the calendar (#1, #2, " in (
        later_text
    )
    assert "#3 cancelled" in later_text and "in the past" not in later_text
    assert len(stored) == 5
    assert first_lines(said).count("Meetup") == 1


async def test_the_same_row_twice_in_one_file_is_imported_once(recorded: Recorded) -> None:
    row = b"2026-03-03T09:00,general,article,,Hello,,\n"
    data = b"when,channel,type,title,text,link,repeat\n" + row * 2
    said = await import_file(recorded, "twice.csv", data)
    assert "Imported 1 calendar post from twice.csv (#1). Line 3 repeats line 2." in said_to_ann(
        said
    )
    assert len(posts(recorded)) == 1


def test_command_line_import_twice_is_not_an_error(db_url: str) -> None:
    runner = CliRunner()
    base = ["--db", db_url, "--now", "2026-03-02T09:00Z"]
    first = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "good.ics"), *base])
    second = runner.invoke(cli, ["calendar", "import", str(FIXTURES / "good.ics"), *base])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "Nothing new in good.ics: its 2 posts are already in the calendar (#1, #2)" in (
        second.output
    )


async def test_ics_floating_times_are_read_in_the_community_zone(db_url: str) -> None:
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:f1\r\n"
        b"DTSTART:20260303T090000\r\nSUMMARY:Floating\r\nLOCATION:general\r\n"
        b"CATEGORIES:article\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        said = await import_file(recorded, "floating.ics", data)
        agenda = await agenda_of(recorded, 2)
    assert "Imported 1 calendar post from floating.ics (#1)." in said_to_ann(said)
    assert agenda.section("Tue 2026-03-03").text == "09:00 #1 [article] #general — Floating"


async def test_rows_the_platform_would_refuse_are_bad_rows(recorded: Recorded) -> None:
    long_title = "T" * 257
    data = (
        "when,channel,type,title,text,link\n"
        f"2026-03-03T09:00,general,article,{long_title},x,\n"
        "2026-03-03T10:00,general,poll,Best day?,Mon | mon,\n"
        "2026-03-03T11:00,general,article,,x,https://\n".encode()
    )
    [reply] = await import_file(recorded, "limits.csv", data)
    assert "line 2: `title` is 257 characters; the limit is 256." in reply.plain
    assert "line 3: 'mon' is given twice; each option must be different." in reply.plain
    assert "line 4: `link` must be a web address like https://example.org/page" in reply.plain
    assert posts(recorded) == []


async def test_an_excel_csv_with_bom_semicolons_and_empty_columns(db_url: str) -> None:
    data = (
        b"\xef\xbb\xbfWhen;Channel;Type;Title;Text;;\r\n"
        b'2026-03-03 09:00;#general;Article;Hi;"two\r\nlines";;\r\n'
        b";;;;;;\r\n"
        b"2026-03-03 10:00;general;article;;Note;;stray\r\n"
    )
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        [reply] = await import_file(recorded, "excel.csv", data)
    assert reply.plain.startswith("Nothing imported from excel.csv: 1 of 2 rows have problems.")
    assert "line 5: 'stray' is in column 7, which has no name in the first line." in reply.plain
    assert "line 2" not in reply.plain


async def test_a_google_calendar_export(db_url: str) -> None:
    """VTIMEZONE and TZID, an UNTIL rule, an all-day event, an HTML description."""
    async with berlin_recorded(db_url, datetime(2026, 3, 27, 7, 0, tzinfo=UTC)) as recorded:
        [refused] = await import_file(recorded, "google.ics")
        imported = await import_file(recorded, "google.ics", options="skip_bad:true")
        agenda = await agenda_of(recorded, 35)
        await recorded.advance("6d8h")  # to Thu 2026-04-02 17:00 CEST
        said = await recorded.advance("1h")
    assert refused.plain.startswith("Nothing imported from google.ics: 1 of 3 rows have problems.")
    assert "line 42: all-day event on 2026-04-01; give it a start time" in refused.plain
    assert "Imported 2 calendar posts from google.ics (#1, #2); skipped 1 bad row." in said_to_ann(
        imported
    )
    standups = [line for line in agenda.plain.splitlines() if "Standup" in line]
    assert len(standups) == 4  # every Monday 09:00 until 27 April (UNTIL is before 09:00)
    assert all(line.startswith("09:00 #1 [article] #announcements") for line in standups)
    [town_hall] = said.public("event")
    assert town_hall.channel.name == "general"
    assert town_hall.plain.startswith(
        "Town hall\nAgenda\n1. Roadmap & Q&A\nnotes (https://example.org/notes)\n• one\n• two"
    )
    published = render(town_hall.message.plain_text(), Dialect.DISCORD)  # bold, link: markdown
    assert "**Agenda**" in published and "[notes](https://example.org/notes)" in published


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
