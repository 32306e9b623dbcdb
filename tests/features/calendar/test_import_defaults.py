"""Real calendar exports: LOCATION and CATEGORIES used only when they name a channel or a
type; otherwise the file's defaults (`channel:` `type:`, `--channel` `--type`), and the reply
says which posts took them."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import cli
from tests.features.calendar.support import berlin_recorded, manage, posts
from tests.features.calendar.test_import import import_file, said_to_ann
from tests.recording import Recorded

FIXTURES = Path(__file__).parent / "fixtures"
GOOGLE = FIXTURES / "google_export.ics"
OUTLOOK = FIXTURES / "outlook_export.ics"
MONDAY_BERLIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def test_a_google_export_without_defaults_says_to_give_a_channel(
    recorded: Recorded,
) -> None:
    [reply] = await import_file(recorded, GOOGLE.name, GOOGLE.read_bytes())
    assert reply.private_to == recorded.member("ann")
    text = reply.plain
    assert text.startswith(
        "Nothing imported from google_export.ics: none of its 3 rows is a valid post."
    )
    assert (
        "LOCATION 'https://meet.google.com/abc-defg-hij' is not a channel here; give the "
        "channel for the whole file with channel:… (--channel on the command line)." in text
    )
    assert "LOCATION 'Room 4.12, Main building, Berlin' is not a channel here" in text
    assert "the event has no CATEGORIES naming a content type; give the type for the whole " in (
        text
    )
    assert "(channels: #announcements, #general, #help, #managers)" in text
    assert posts(recorded) == []


async def test_a_google_export_with_defaults_imports_and_names_who_took_them(
    db_url: str,
) -> None:
    async with berlin_recorded(db_url, MONDAY_BERLIN) as recorded:
        said = await import_file(
            recorded, GOOGLE.name, GOOGLE.read_bytes(), "channel:announcements type:event"
        )
        [agenda] = await manage(recorded, "/calendar list days:10")
        stored = posts(recorded)
    assert said.posted_in("managers") == [
        "Imported 3 calendar posts from google_export.ics (#1, #2, #3). 2 posts took the "
        "default channel #announcements (Community AMA, Meetup); 3 posts took the default "
        "type event (Community AMA, Meetup, Release notes). /calendar list shows them."
    ]
    assert [(post.title, post.channel_name, post.content_type) for post in stored] == [
        ("Community AMA", "announcements", "event"),
        ("Meetup", "announcements", "event"),
        ("Release notes", "general", "event"),  # its LOCATION names a channel
    ]
    assert "18:00 #1 [event] #announcements — Community AMA (RRULE:FREQ=WEEKLY" in agenda.plain
    assert "17:00 #3 [event] #general — Release notes" in agenda.plain  # 16:00Z is 17:00 CET


async def test_only_the_first_few_names_are_listed(recorded: Recorded) -> None:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}\r\nDTSTART:2026031{n}T090000Z\r\nSUMMARY:Event {n}\r\n"
        "LOCATION:Room 1\r\nEND:VEVENT\r\n"
        for n in range(5)
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n".encode()
    said = await import_file(recorded, "many.ics", data, "channel:general type:video")
    assert "5 posts took the default channel #general (Event 0, Event 1, Event 2, …)" in (
        said_to_ann(said)
    )


def test_an_outlook_export_on_the_command_line(db_url: str) -> None:
    base = ["--db", db_url, "--now", "2026-03-02T09:00Z"]
    runner = CliRunner()
    bare = runner.invoke(cli, ["calendar", "import", str(OUTLOOK), *base])
    no_type = runner.invoke(
        cli, ["calendar", "import", str(OUTLOOK), "--channel", "general", *base]
    )
    result = runner.invoke(
        cli, ["calendar", "import", str(OUTLOOK), "--channel", "general", "--type", "event", *base]
    )
    assert bare.exit_code == 1
    assert "LOCATION 'Microsoft Teams Meeting' is not a channel here; give the channel" in (
        bare.output
    )
    assert "CATEGORIES 'blue category' names no content type; give the type for the whole file" in (
        no_type.output
    )
    assert result.exit_code == 0, result.output
    assert (
        "Imported 2 calendar posts from outlook_export.ics (#1, #2). 2 posts took the default "
        "channel #general (Moderator planning, Product video premiere); 1 post took the default "
        "type event (Moderator planning)." in result.output
    )
    assert "'Moderator planning': time zone 'W. Europe Standard Time' read as Europe/Berlin." in (
        result.output
    )


def test_a_bad_default_type_is_refused_with_the_choices(db_url: str) -> None:
    result = CliRunner().invoke(
        cli, ["calendar", "import", str(OUTLOOK), "--type", "podcast", "--db", db_url]
    )
    assert result.exit_code == 2
    assert "'podcast' is not one of" in result.output and "announcement" in result.output


async def test_an_unknown_default_channel_is_refused_whole(recorded: Recorded) -> None:
    [reply] = await import_file(recorded, GOOGLE.name, GOOGLE.read_bytes(), "channel:nowhere")
    assert reply.private_to == recorded.member("ann")
    assert reply.plain.startswith(
        "`channel`: there is no channel #nowhere. "
        "Channels: #announcements, #general, #help, #managers."
    )
    assert posts(recorded) == []


async def test_a_csv_without_channel_or_type_columns_takes_the_defaults(
    recorded: Recorded,
) -> None:
    data = b"when,title,text\n2026-03-03T09:00,Hello,First\n2026-03-04T09:00,Again,Second\n"
    [refused] = await import_file(recorded, "plain.csv", data)
    said = await import_file(recorded, "plain.csv", data, "channel:#general type:article")
    assert "no 'channel' column" in refused.plain and "channel:… type:…" in refused.plain
    assert "Imported 2 calendar posts from plain.csv (#1, #2). 2 posts took the default" in (
        said_to_ann(said)
    )
    assert [(post.channel_name, post.content_type) for post in posts(recorded)] == [
        ("general", "article"),
        ("general", "article"),
    ]


async def test_a_csv_row_naming_its_own_channel_keeps_it(recorded: Recorded) -> None:
    data = (
        b"when,channel,type,text\n2026-03-03T09:00,help,,Own channel\n"
        b"2026-03-04T09:00,,video,Default channel\n2026-03-05T09:00,newz,article,Typo\n"
    )
    [reply] = await import_file(recorded, "mixed.csv", data, "channel:general type:event")
    assert "line 4: unknown channel #newz." in reply.plain  # a row's own channel is kept
    assert reply.plain.startswith("Nothing imported from mixed.csv: 1 of 3 rows have problems.")
    again = await import_file(
        recorded, "mixed.csv", data, "channel:general type:event skip_bad:true"
    )
    assert "1 post took the default channel #general (Default channel); 1 post took the " in (
        said_to_ann(again)
    )
    assert [(post.channel_name, post.content_type) for post in posts(recorded)] == [
        ("help", "event"),
        ("general", "video"),
    ]
