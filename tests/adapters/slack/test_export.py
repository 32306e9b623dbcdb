"""A Slack export read for `steward import slack`: each day file's events as the live adapter
gives them (ids, members, channels, times from `ts`), what is skipped and why, the notes, the
same from a zip, and bad exports refused with one line naming the file."""

from __future__ import annotations

import json
import shutil
import struct
import time
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import export, export_archive, export_messages, inbound
from adapters.slack.directory import Directory
from adapters.slack.export import open_slack_export
from adapters.slack.inbound import Translator
from bot.core.events import InboundEvent, MemberRef, MessageShared, ReactionAdded, ReplyPosted
from bot.core.export_files import BadExport, Export, Item, Skipped

FIXTURE = Path(__file__).parents[2] / "fixtures" / "slack_export"
REALDATA = (Path(__file__).parents[3] / ".." / "shared" / "realdata" / "10academy-slack").resolve()
ROOT = "1704103500.000100"  # the thread in #help
ROOT_ID = f"C0HELP001:{ROOT}"
POLLY = MemberRef("slack", "U0GHOST99", "Polly", is_bot=True)
NO_TS = "skipped: messages without a valid ts (no time to record them at)"
NO_AUTHOR = "skipped: messages without a user or a bot (no one to attribute them to)"
UNNAMED = "skipped: reactions whose reactors the export does not name"
TOMBSTONE = (
    "skipped: deleted messages (a tombstone kept for their thread; the replies are imported)"
)
LOST = "skipped: reactions on deleted or unattributed messages"
DAY = "help/2024-01-02.json"  # the day file the tests below write their messages in
BOB_SAYS = {"type": "message", "user": "U0BOB0002", "text": "hi", "ts": "1704186000.000100"}
BOBS = "message C0HELP001:1704186000.000100 by U0BOB0002 in C0HELP001 at 01-02 09:00:00.000100"
NO_EDIT = "skipped: edits without a valid ts (their message is imported unedited)"
UNREADABLE = "encrypted, or compressed in a way Python cannot read: unzip it and give the folder"

EXPECTED = {
    "general/2024-01-01.json": [
        NO_TS,
        "member_joined join:C0GENERAL:U0CAROL03:1704099600.000100 by U0CAROL03 in C0GENERAL "
        "at 01-01 09:00:00.000100",
        "message C0GENERAL:1704103200.000200 by U0ALICE01 manager in C0GENERAL "
        "at 01-01 10:00:00.000200",
        "reaction_added reaction:C0GENERAL:1704103200.000200:U0BOB0002:+1:add:export "
        "by U0BOB0002 in C0GENERAL at 01-01 10:00:00.000200",
        "reaction_added reaction:C0GENERAL:1704103200.000200:U0CAROL03:+1:add:export "
        "by U0CAROL03 in C0GENERAL at 01-01 10:00:00.000200",
        UNNAMED,
        "reaction_added reaction:C0GENERAL:1704103200.000200:U0BOB0002:partyparrot:add:export "
        "by U0BOB0002 in C0GENERAL at 01-01 10:00:00.000200",
        "skipped: channel_topic records (not a member's post)",
        "message C0GENERAL:1704110400.000400 by U0BOB0002 in C0GENERAL at 01-01 12:00:00.000400",
        "message C0GENERAL:1704114000.000500 by U0CAROL03 in C0GENERAL at 01-01 13:00:00.000500",
        "message_edited edit:C0GENERAL:1704110400.000400:1704117600.000000 by U0BOB0002 "
        "in C0GENERAL at 01-01 14:00:00.000000",
        "message C0GENERAL:1704121200.000600 by U0DAVE004 in C0GENERAL at 01-01 15:00:00.000600",
        NO_AUTHOR,
    ],
    "help/2024-01-01.json": [
        f"message C0HELP001:{ROOT} by U0DAVE004 in C0HELP001 at 01-01 10:05:00.000100",
        f"reply C0HELP001:1704104100.000200 by U0ALICE01 manager in C0HELP001/{ROOT} "
        "at 01-01 10:15:00.000200",
        f"reply C0HELP001:1704104700.000300 by U0BOB0002 in C0HELP001/{ROOT} "
        "at 01-01 10:25:00.000300",
        TOMBSTONE,
        "reply C0HELP001:1704108600.000500 by U0CAROL03 in C0HELP001/1704108000.000400 "
        "at 01-01 11:30:00.000500",
        "message C0HELP001:1704112200.000600 by U0CAROL03 in C0HELP001 at 01-01 12:30:00.000600",
    ],
    "managers/2024-01-01.json": [
        "message C0MANAGE1:1704110000.000100 by U0ALICE01 manager in C0MANAGE1 (admin) "
        "at 01-01 11:53:20.000100",
        "reaction_added reaction:C0MANAGE1:1704110000.000100:U0BOB0002:white_check_mark:add:"
        "export by U0BOB0002 in C0MANAGE1 (admin) at 01-01 11:53:20.000100",
        "skipped: pinned_item records (not a member's post)",
    ],
    "general/2024-01-02.json": [  # out of ts order in the file; its first is 01-01 23:30 UTC
        "message C0GENERAL:1704151800.000100 by U0BOB0002 in C0GENERAL at 01-01 23:30:00.000100",
        "message C0GENERAL:1704189600.000200 by B0FEEDBOT bot in C0GENERAL "
        "at 01-02 10:00:00.000200",
        "message C0GENERAL:1704193200.000300 by U0HELPBOT bot in C0GENERAL "
        "at 01-02 11:00:00.000300",
        "message_shared C0GENERAL:1704196800.000400 by U0BOB0002 in C0GENERAL "
        "at 01-02 12:00:00.000400",
        "member_left leave:C0GENERAL:U0DAVE004:1704200400.000500 by U0DAVE004 in C0GENERAL "
        "at 01-02 13:00:00.000500",
        "message C0GENERAL:1704204000.000600 by U0GHOST99 bot in C0GENERAL "
        "at 01-02 14:00:00.000600",
        "reaction_added reaction:C0GENERAL:1704204000.000600:U0ALICE01:white_check_mark:add:"
        "export by U0ALICE01 manager in C0GENERAL at 01-02 14:00:00.000600",
    ],
    "help/2024-01-02.json": [
        f"reply C0HELP001:1704186000.000100 by U0BOB0002 in C0HELP001/{ROOT} "
        "at 01-02 09:00:00.000100",
    ],
    "orphan/2024-01-02.json": [
        "message orphan:1704210000.000100 by U0BOB0002 in orphan at 01-02 15:40:00.000100",
    ],
    "secret-team/2024-01-02.json": [
        "message G0SECRET1:1704200000.000100 by U0CAROL03 in G0SECRET1 at 01-02 12:53:20.000100",
    ],
}
NOTES = [
    "direct messages are private and were not imported: 1 in dms.json, 1 in mpims.json",
    "channel folder orphan is not in channels.json or groups.json: imported under its folder "
    "name, so its messages will not match the live ones",
    "2 files in channel folders are not day files and were not read: general/notes.txt, "
    "help/tss.json",
]


def opened(path: Path = FIXTURE) -> Export:
    return open_slack_export(path, managers=["U0ALICE01"], admin_channel="managers")


def shown(item: Item) -> str:
    """An item in one line: its kind, id, who (bot, manager), where (thread, admin), when."""
    if isinstance(item, Skipped):
        return f"skipped: {item.reason}"
    member, channel = item.member, item.channel
    who = member.user_id + " bot" * member.is_bot + " manager" * member.is_manager
    where = channel.channel_id + (f"/{channel.thread_id}" if channel.thread_id else "")
    where += " (admin)" * channel.is_admin
    return f"{item.kind} {item.event_id} by {who} in {where} at {item.at:%m-%d %H:%M:%S.%f}"


def items_of(export: Export) -> dict[str, list[Item]]:
    return {file.name: list(file.read()) for file in export.files}


def events_of(export: Export) -> dict[str, InboundEvent]:
    """Every event of the export by its id."""
    found = {}
    for items in items_of(export).values():
        found.update({i.event_id: i for i in items if isinstance(i, InboundEvent)})
    return found


def zipped(tmp_path: Path, top: str = "", extra: dict[str, bytes] | None = None) -> Path:
    """The fixture as a zip: its files at the root, or under the folder `top`."""
    target = tmp_path / "export.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(FIXTURE.rglob("*")):
            if file.is_file():
                archive.write(file, f"{top}{file.relative_to(FIXTURE).as_posix()}")
        if top:
            archive.writestr("__MACOSX/._users.json", b"\0resource fork")  # as macOS zips
            archive.writestr("README.txt", b"a file beside the export's folder")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def copied(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "export"))


def day_of(tmp_path: Path, *messages: dict) -> list[str]:
    """The items of a day holding `messages` (in help/2024-01-02.json), shown."""
    folder = copied(tmp_path)
    (folder / DAY).write_text(json.dumps(list(messages)))
    (day,) = [file for file in opened(folder).files if file.name == DAY]
    return [shown(item) for item in day.read()]


def central_record(archive: Path, entry: str, offset: int, value: int) -> None:
    """Set a 2-byte field of `entry`'s record in the zip's central directory (its flags at
    8, its compression method at 10): what Python's zipfile cannot write itself."""
    data = bytearray(archive.read_bytes())
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(entry)] != entry.encode():
        at = data.index(b"PK\x01\x02", at + 1)
    struct.pack_into("<H", data, at + offset, value)
    archive.write_bytes(bytes(data))


# ---- what an export gives ---------------------------------------------------------------
def test_day_files_come_by_day_then_channel_with_their_sizes_and_the_notes() -> None:
    export = opened()
    assert (export.platform, export.source) == ("slack", str(FIXTURE))
    assert [f.name for f in export.files] == list(EXPECTED)
    assert [f.size for f in export.files] == [(FIXTURE / n).stat().st_size for n in EXPECTED]
    assert export.notes == NOTES


def test_each_day_file_gives_its_events_in_time_order_and_says_what_it_skipped() -> None:
    assert {name: [shown(i) for i in items] for name, items in items_of(opened()).items()} == (
        EXPECTED
    )


def test_members_channels_texts_and_threads_are_the_live_adapters() -> None:
    events = events_of(opened())
    welcome = events["C0GENERAL:1704103200.000200"]
    assert welcome.text == "Welcome <everyone> & hi <@U0BOB0002>"  # type: ignore[attr-defined]
    assert welcome.mentions == ("U0BOB0002",)  # type: ignore[attr-defined]
    assert (welcome.member.name, welcome.channel.name) == ("Alice", "general")
    reply = events["C0HELP001:1704104100.000200"]
    assert isinstance(reply, ReplyPosted) and reply.text == "Settings > Account"
    assert reply.parent_id == ROOT and reply.parent_author == events[ROOT_ID].member
    share = events["C0GENERAL:1704196800.000400"]
    assert isinstance(share, MessageShared)
    shared = (share.source_channel_id, share.source_message_id, share.source_author)
    assert shared == ("C0HELP001", ROOT, events[ROOT_ID].member) and share.text == "look at this"
    assert events["edit:C0GENERAL:1704110400.000400:1704117600.000000"].text == "Meeting at 3pm"  # type: ignore[attr-defined]
    assert events["C0GENERAL:1704121200.000600"].member.name == "Dave"  # files, no text
    assert events["G0SECRET1:1704200000.000100"].channel.name == "secret-team"
    assert events["orphan:1704210000.000100"].channel.name == "orphan"
    assert events["C0GENERAL:1704151800.000100"].member.name == "Bob Builder"


def test_the_managers_channel_is_found_by_id_or_name() -> None:
    by_id = open_slack_export(FIXTURE, admin_channel="C0MANAGE1")
    managers = next(f for f in by_id.files if f.name == "managers/2024-01-01.json")
    admin = [i.channel.is_admin for i in managers.read() if isinstance(i, InboundEvent)]
    assert admin == [True, True]
    assert not any(e.member.is_manager for e in events_of(by_id).values())
    elsewhere = open_slack_export(FIXTURE, managers=["U0ALICE01"], admin_channel="#ops")
    assert elsewhere.notes == NOTES
    assert not any(e.channel.is_admin for e in events_of(elsewhere).values())


def test_bots_are_kept_apart_by_name_and_reactions_name_their_message_author() -> None:
    events = events_of(opened())
    bots = {e.member.user_id: e.member.name for e in events.values() if e.member.is_bot}
    assert bots == {"B0FEEDBOT": "feedbot", "U0HELPBOT": "HelpBot", "U0GHOST99": "Polly"}
    reactions = [e for e in events.values() if isinstance(e, ReactionAdded)]
    assert {(r.emoji, r.message_id, r.message_author.user_id) for r in reactions} == {  # type: ignore[union-attr]
        ("👍", "1704103200.000200", "U0ALICE01"),
        ("partyparrot", "1704103200.000200", "U0ALICE01"),
        ("✅", "1704110000.000100", "U0ALICE01"),
        ("✅", "1704204000.000600", "U0GHOST99"),
    }
    polly = next(r for r in reactions if r.message_id == "1704204000.000600")
    assert polly.message_author is not None and polly.message_author.is_bot


def test_an_imported_post_and_edit_are_what_the_live_adapter_makes_of_them() -> None:
    """The live Translator's event (id included), so re-imports and live overlap dedupe."""
    directory = Directory(AsyncWebClient())
    for user in json.loads((FIXTURE / "users.json").read_text()):
        directory.remember_person(user)
    for name in ("channels.json", "groups.json"):
        for channel in json.loads((FIXTURE / name).read_text()):
            directory.remember_place(channel)
    live = Translator(directory, managers={"U0ALICE01"}, admin_channel_id="C0MANAGE1")
    events = events_of(opened())
    for day in ("help/2024-01-01.json", "general/2024-01-02.json", "managers/2024-01-01.json"):
        channel_id = directory.find_place(day.split("/")[0]).channel_id  # type: ignore[union-attr]
        for message in json.loads((FIXTURE / day).read_text()):
            if (event := live.posted(channel_id, message)) is not None:
                if message["user"] == "U0GHOST99":  # a bot not in users.json: kept apart
                    event = replace(event, member=POLLY)
                assert events[event.event_id] == event
    edited = json.loads((FIXTURE / "general/2024-01-01.json").read_text())[3]
    change = {"channel": "C0GENERAL", "ts": "1704117600.000001", "event_ts": "1704117600.000001"}
    change |= {"message": edited, "previous_message": {**edited, "text": "Meeting at 2pm"}}
    live_edit = live.edited(change)
    assert live_edit is not None and events[live_edit.event_id] == live_edit


def test_reactions_on_messages_not_imported_are_counted_as_skipped(tmp_path: Path) -> None:
    reactions = [{"name": "+1", "users": ["U0ALICE01", "U0CAROL03"], "count": 3}]
    tombstone = {"subtype": "tombstone", "user": "USLACKBOT", "ts": "1704186000.000100"}
    nobody = {"type": "message", "text": "who?", "ts": "1704186001.000100"}
    untimed = {"type": "message", "user": "U0BOB0002", "text": "when?"}
    items = day_of(
        tmp_path,
        {**tombstone, "reactions": reactions},
        {**nobody, "reactions": [*reactions, {"name": "tada", "users": ["U0BOB0002"]}]},
        {**untimed, "reactions": reactions},
    )
    assert items == [
        NO_TS,
        *["skipped: reactions on messages without a valid ts"] * 3,
        TOMBSTONE,
        *[LOST] * 3,  # two named, one counted
        NO_AUTHOR,
        *[LOST] * 4,
    ]


def test_the_export_takes_for_posts_the_subtypes_the_live_adapter_does() -> None:
    assert export_messages.POSTS is inbound.POSTS


# ---- zips -------------------------------------------------------------------------------
@pytest.mark.parametrize("top", ["", "slack-export/"], ids=["at-the-root", "under-a-folder"])
def test_a_zipped_export_gives_the_same_files_items_and_notes(tmp_path: Path, top: str) -> None:
    folder, archive = opened(), opened(zipped(tmp_path, top))
    assert archive.source == str(tmp_path / "export.zip")
    assert [(f.name, f.size) for f in archive.files] == [(f.name, f.size) for f in folder.files]
    assert items_of(archive) == items_of(folder)
    assert archive.notes == folder.notes


@pytest.mark.parametrize(
    "entry",
    [
        "../evil.json",
        "general/../../evil.json",
        "/etc/evil.json",
        "..\\evil.json",
        "general\\..\\..\\evil.json",
    ],
)
def test_a_zip_with_an_entry_outside_the_export_is_refused_at_open(
    tmp_path: Path, entry: str
) -> None:
    with pytest.raises(BadExport) as refused:
        opened(zipped(tmp_path, extra={entry: b"[]"}))
    assert refused.value.where == entry
    assert "absolute path or '..'" in refused.value.problem


def test_a_zip_made_on_windows_with_backslashes_gives_the_same_export(tmp_path: Path) -> None:
    archive = tmp_path / "windows.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as windows:
        for file in sorted(FIXTURE.rglob("*")):
            name = "slack-export\\" + str(file.relative_to(FIXTURE)).replace("/", "\\")
            if file.is_dir():
                windows.writestr(name + "\\", b"")  # a folder's entry
            else:
                windows.write(file, name)
    folder, zipped_on_windows = opened(), opened(archive)
    assert [(f.name, f.size) for f in zipped_on_windows.files] == [
        (f.name, f.size) for f in folder.files
    ]
    assert items_of(zipped_on_windows) == items_of(folder)
    assert zipped_on_windows.notes == folder.notes


@pytest.mark.parametrize(("offset", "value"), [(8, 0x1), (10, 9)], ids=["encrypted", "deflate64"])
def test_an_entry_python_cannot_unzip_is_refused_naming_it(
    tmp_path: Path, offset: int, value: int
) -> None:
    archive = zipped(tmp_path)
    central_record(archive, DAY, offset, value)
    files = {file.name: file for file in opened(archive).files}
    with pytest.raises(BadExport) as refused:
        list(files[DAY].read())
    assert (refused.value.where, refused.value.problem) == (DAY, UNREADABLE)
    assert [shown(i) for i in files["orphan/2024-01-02.json"].read()] == (
        EXPECTED["orphan/2024-01-02.json"]
    )


def test_a_zip_bomb_is_refused_at_open_naming_the_entry(tmp_path: Path) -> None:
    bomb = zipped(tmp_path)
    with (
        zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("general/2024-01-03.json", "w") as member,
    ):
        for _ in range(200):
            member.write(bytes(2**20))  # 200 MB of zeros
    with pytest.raises(BadExport) as refused:
        opened(bomb)
    assert refused.value.where == "general/2024-01-03.json"
    assert "(209,715,200 bytes from" in refused.value.problem
    assert refused.value.problem.endswith("a zip bomb? refused")


def test_a_zip_declaring_more_than_an_export_holds_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = zipped(tmp_path)
    total = sum(i.file_size for i in zipfile.ZipFile(archive).infolist())
    monkeypatch.setattr(export_archive, "MAX_UNZIPPED_BYTES", total - 1)
    with pytest.raises(BadExport) as refused:
        opened(archive)
    assert refused.value.where == str(archive)
    assert f"unpacks to {total:,} bytes" in refused.value.problem


def test_a_file_that_is_not_a_zip_or_a_damaged_zip_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "export.json"
    text.write_text("[]")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(zipped(tmp_path).read_bytes()[:-100])  # its central directory cut off
    for path in (text, cut):
        with pytest.raises(BadExport) as refused:
            opened(path)
        assert refused.value.where == str(path)
        assert refused.value.problem.startswith("not a zip file (truncated?) nor a folder")


# ---- bad exports and bad files ----------------------------------------------------------
def test_a_missing_path_or_a_folder_that_is_not_an_export_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadExport, match="no such file or folder"):
        opened(tmp_path / "nowhere")
    (tmp_path / "general").mkdir()
    (tmp_path / "general" / "2024-01-01.json").write_text("[]")
    (tmp_path / "users.json").write_text("[]")
    with pytest.raises(BadExport) as refused:
        opened(tmp_path)
    assert refused.value.where == str(tmp_path)
    assert refused.value.problem == (
        "not a Slack export (no users.json with channels.json or groups.json): export it in "
        "Slack (Workspace settings → Import/Export Data → Export) and give the .zip, or the "
        "folder it unzips to"
    )


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        ("users.json", '[{"id": "U1"', "not valid JSON (unexpected end of data: line 1"),
        ("channels.json", '{"channels": []}', "not Slack's list (a JSON object)"),
        ("groups.json", '[{"name": "x"}]', "item 1 has no id"),
        ("users.json", '[{"id": "U1", "profile": "x"}]', "item 1 is not shaped as Slack's ("),
        ("channels.json", '[{"id": "C1", "name": 5}]', "item 1 has a name that is not a string"),
    ],
)
def test_a_bad_users_or_channels_list_is_refused_at_open_naming_it(
    tmp_path: Path, name: str, text: str, problem: str
) -> None:
    export = copied(tmp_path)
    (export / name).write_text(text)
    with pytest.raises(BadExport) as refused:
        opened(export)
    assert refused.value.where == name
    assert refused.value.problem.startswith(problem)


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_a_truncated_day_file_is_refused_when_it_is_read_and_the_others_still_read(
    tmp_path: Path, as_zip: bool
) -> None:
    export = copied(tmp_path)
    day = export / "general" / "2024-01-02.json"
    text = day.read_text()
    day.write_text(text[: len(text) // 2])
    cut_at = text[: len(text) // 2].count("\n") + 1
    if as_zip:
        export = Path(shutil.make_archive(str(tmp_path / "cut"), "zip", export))
    files = {file.name: file for file in opened(export).files}  # opens: days are not read yet
    with pytest.raises(BadExport) as refused:
        list(files["general/2024-01-02.json"].read())
    assert refused.value.where == "general/2024-01-02.json"
    assert refused.value.problem.startswith("not valid JSON (")
    assert f": line {cut_at} column " in refused.value.problem
    assert refused.value.problem.endswith(") — truncated?")
    assert [shown(i) for i in files["help/2024-01-02.json"].read()] == (
        EXPECTED["help/2024-01-02.json"]
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"messages": []}', "not a day of Slack messages (a JSON object, not a list)"),
        ('[{"ts": "1.0"}, "hello"]', "not a day of Slack messages (item 2 is a string)"),
    ],
)
def test_a_day_file_that_is_not_a_list_of_messages_is_refused(
    tmp_path: Path, text: str, problem: str
) -> None:
    export = copied(tmp_path)
    (export / "help" / "2024-01-02.json").write_text(text)
    files = {file.name: file for file in opened(export).files}
    with pytest.raises(BadExport) as refused:
        list(files["help/2024-01-02.json"].read())
    assert (refused.value.where, refused.value.problem) == ("help/2024-01-02.json", problem)


def test_an_export_without_day_files_is_refused_at_open(tmp_path: Path) -> None:
    folder = copied(tmp_path)
    for day in folder.glob("*/*.json"):
        day.unlink()
    with pytest.raises(BadExport) as refused:
        opened(folder)
    assert refused.value.where == str(folder)
    assert refused.value.problem.startswith(
        "no day files (channel folders of YYYY-MM-DD.json): export it in Slack"
    )


def test_a_day_file_too_big_to_be_one_is_refused_at_open(tmp_path: Path) -> None:
    folder = copied(tmp_path)
    with (folder / DAY).open("r+b") as day:
        day.truncate(64 * 2**20 + 1)  # sparse: nothing is written
    with pytest.raises(BadExport) as refused:
        opened(folder)
    assert (refused.value.where, refused.value.problem) == (
        DAY,
        "is 67 MB: larger than any Slack day file; is it one?",
    )


def test_a_day_entry_too_big_to_be_one_is_refused_at_open_from_a_zip(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = zipped(tmp_path)
    assert export.MAX_ENTRY_BYTES == export_archive.MAX_ENTRY_BYTES == 64 * 2**20
    biggest = max(EXPECTED, key=lambda day: (FIXTURE / day).stat().st_size)
    monkeypatch.setattr(export, "MAX_ENTRY_BYTES", (FIXTURE / biggest).stat().st_size - 1)
    with pytest.raises(BadExport) as refused:
        opened(archive)
    assert refused.value.where == biggest
    assert refused.value.problem.endswith("MB: larger than any Slack day file; is it one?")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"text": 123}, 'has "text" as a number, not a string'),
        ({"subtype": ["x"]}, 'has "subtype" as a list, not a string'),
        ({"user": 5}, 'has "user" as a number, not a string'),
        ({"thread_ts": 1704186000}, 'has "thread_ts" as a number, not a string'),
        ({"attachments": "zz"}, 'has "attachments" as a string, not a list'),
        ({"bot_profile": "x", "bot_id": "B1"}, 'has "bot_profile" as a string, not an object'),
        ({"attachments": ["zz"]}, "has an attachment that is a string, not an object"),
        (
            {"attachments": [{"is_share": True, "ts": "1.0", "author_id": 5}]},
            'shares a message whose "author_id" is a number, not a string',
        ),
        (
            {"reactions": [{"name": "+1", "users": [], "count": 10**12}]},
            "is not shaped as Slack writes one (a reaction counted 1,000,000,000,000 times, "
            "more than a workspace has members)",
        ),
    ],
)
def test_a_message_slack_never_writes_so_refuses_its_day_file_naming_it(
    tmp_path: Path, change: dict, problem: str
) -> None:
    with pytest.raises(BadExport) as refused:
        day_of(tmp_path, {**BOB_SAYS, **change})
    assert (refused.value.where, refused.value.problem) == (
        DAY,
        f"message 1704186000.000100 {problem}; export it again from Slack",
    )


@pytest.mark.parametrize(
    ("change", "items"),
    [
        ({"ts": "1e30"}, [NO_TS]),
        ({"ts": "1_704_186_000"}, [NO_TS]),
        ({"ts": 1704186000.0001}, [NO_TS]),
        ({"edited": {"user": "U0BOB0002", "ts": "nan"}}, [BOBS, NO_EDIT]),
        ({"edited": {"user": "U0BOB0002", "ts": "1e30"}}, [BOBS, NO_EDIT]),
    ],
)
def test_a_message_or_an_edit_without_a_valid_ts_is_skipped(
    tmp_path: Path, change: dict, items: list[str]
) -> None:
    assert day_of(tmp_path, {**BOB_SAYS, **change}) == items


# ---- the real export --------------------------------------------------------------------
@pytest.mark.skipif(not REALDATA.is_dir(), reason="the shared real export is absent")
def test_the_real_export_reads_whole_and_gives_one_message_event_per_members_post() -> None:
    started = time.perf_counter()
    export = open_slack_export(REALDATA)
    kinds: Counter[str] = Counter()
    for file in export.files:
        kinds.update(str(i.kind) if isinstance(i, InboundEvent) else "skipped" for i in file.read())
    took = time.perf_counter() - started
    posts = days = 0
    for day in REALDATA.glob("*/*.json"):
        days += 1
        posts += sum(
            1
            for m in json.loads(day.read_text())
            if m.get("subtype") in {None, "thread_broadcast", "file_share", "me_message"}
            and m.get("user")
        )
    assert len(export.files) == days
    assert kinds["message"] + kinds["reply"] + kinds["message_shared"] == posts
    events = sum(kinds.values()) - kinds["skipped"]
    print(f"\n{days} day files, {posts} posts, {dict(kinds)}: {took:.2f} s, {events / took:,.0f}/s")
