"""ICS files icalendar reads only in part: each problem is one line naming the event, never a
crash, a raw file line or a library warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.main import cli
from tests.features.calendar.support import posts
from tests.features.calendar.test_import import import_file, said_to_ann
from tests.recording import Recorded


def _ics(tmp_path: Path, name: str, *events: str) -> Path:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    path = tmp_path / name
    path.write_text(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n")
    return path


def _ics_data(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}END:VCALENDAR\r\n".encode()


def _problem(text: str, line: int) -> str:
    """The problem reported for `line` (one line of the reply)."""
    return next(part for part in text.splitlines() if part.startswith(f"line {line}: "))


GOOD = (
    "UID:good\r\nDTSTART:20260310T090000Z\r\nSUMMARY:Fine\r\nLOCATION:general\r\nCATEGORIES:event"
)


async def test_two_dtstart_lines_are_one_line_naming_the_event(recorded: Recorded) -> None:
    data = _ics_data(
        "UID:d1\r\nDTSTART:20260310T090000Z\r\nDTSTART:20260311T090000Z\r\nSUMMARY:Double start"
        "\r\nLOCATION:general\r\nCATEGORIES:event",
        GOOD,
    )
    [reply] = await import_file(recorded, "double.ics", data)
    assert reply.private_to == recorded.member("ann")
    assert _problem(reply.plain, 4) == (
        "line 4: event 'Double start': it has 2 DTSTART lines; keep one."
    )
    assert reply.plain.startswith("Nothing imported from double.ics: 1 of 2 rows have problems.")
    assert "AttributeError" not in reply.plain and "internal error" not in reply.plain.lower()
    assert posts(recorded) == []


async def test_a_location_with_line_breaks_is_shown_on_one_line(recorded: Recorded) -> None:
    data = _ics_data(
        "UID:r1\r\nDTSTART:20260310T090000Z\r\nSUMMARY:Room talk\r\n"
        "LOCATION:Room 1\\nBuilding 2\\n" + "very long street name " * 5 + "\r\nCATEGORIES:event",
    )
    [reply] = await import_file(recorded, "rooms.ics", data)
    problem = _problem(reply.plain, 4)
    assert problem.startswith("line 4: LOCATION 'Room 1 Building 2 very long street…' is not")
    assert problem.endswith("(--channel on the command line).")


UNREADABLE = [
    (
        "UID:b1\r\nSUMMARY:Too many semicolons\r\nDTSTART;;VALUE=DATE-TIME:20260310T093000",
        "line 4: event 'Too many semicolons': its DTSTART line cannot be read; correct it.",
    ),
    (
        "UID:b2\r\nDTSTART:INVALID-DATE",
        "line 4: event 'b2': DTSTART 'INVALID-DATE' cannot be read; correct that line.",
    ),
]


@pytest.mark.parametrize(("event", "said"), UNREADABLE)
async def test_an_unreadable_line_names_the_event_not_the_parser(
    recorded: Recorded, event: str, said: str
) -> None:
    [reply] = await import_file(recorded, "broken.ics", _ics_data(event))
    assert said in reply.plain.splitlines()
    assert "Content line could not be parsed" not in reply.plain
    assert "vDDDTypes" not in reply.plain


async def test_a_guessed_time_zone_is_a_note_and_no_warning_reaches_stderr(
    recorded: Recorded, capfd: pytest.CaptureFixture[str]
) -> None:
    data = _ics_data(
        "UID:t1\r\nDTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20260310T090000\r\n"
        "SUMMARY:Old Thunderbird\r\nLOCATION:general\r\nCATEGORIES:event",
    )
    said = await import_file(recorded, "thunderbird.ics", data)
    captured = capfd.readouterr()
    text = said_to_ann(said)
    assert "Imported 1 calendar post from thunderbird.ics (#1)." in text
    assert (
        "line 4: event 'Old Thunderbird': time zone '/mozilla.org/20070129_1/Europe/Berlin' "
        "read as Europe/Berlin." in text
    )
    assert [post.timezone for post in posts(recorded)] == ["Europe/Berlin"]
    assert "GloballyUniqueTZIDGuessed" not in text + captured.out + captured.err
    assert "site-packages" not in text + captured.out + captured.err


def test_the_command_line_shows_no_library_warning(db_url: str, tmp_path: Path) -> None:
    path = _ics(
        tmp_path,
        "tb.ics",
        "UID:t1\r\nDTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20260310T090000\r\n"
        "SUMMARY:Old Thunderbird",
    )
    args = ["calendar", "import", str(path), "--db", db_url, "--now", "2026-03-02T09:00Z"]
    result = CliRunner().invoke(cli, [*args, "--channel", "general", "--type", "event"])
    assert result.exit_code == 0, result.output
    assert "time zone '/mozilla.org/20070129_1/Europe/Berlin' read as Europe/Berlin." in (
        result.output
    )
    assert "Warning" not in result.output and "site-packages" not in result.output


BROKEN_EVENTS = [
    (
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\nBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        "two.ics is not a valid ICS calendar (it holds more than one calendar; export or "
        "import them one at a time).",
    ),
    (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Cut short\r\nEND:VEVENT\r\n",
        "two.ics is not a valid ICS calendar (it does not hold one whole calendar from "
        "BEGIN:VCALENDAR to END:VCALENDAR).",
    ),
    (
        "BEGIN:VCALENDAR\r\nX\r\nEND:VCALENDAR\r\n",
        "two.ics is not a valid ICS calendar (Content line could not be parsed into parts",
    ),
]


@pytest.mark.parametrize(("text", "said"), BROKEN_EVENTS)
async def test_a_file_icalendar_cannot_read_is_one_line(
    recorded: Recorded, text: str, said: str
) -> None:
    [reply] = await import_file(recorded, "two.ics", text.encode())
    refusal = next(line for line in reply.plain.splitlines() if "Nothing imported" in line)
    assert said in refusal
    assert "SUMMARY" not in reply.plain and "END:VEVENT" not in reply.plain  # no line of the file
