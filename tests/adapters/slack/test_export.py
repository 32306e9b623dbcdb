"""A Slack export read for `steward import slack`: each day file's events as the live adapter
gives them (ids, members, channels, times from `ts`), what is skipped and why, the notes, the
same from a zip, and bad exports refused with one line naming the file."""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import export_archive
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


# ---- zips -------------------------------------------------------------------------------
@pytest.mark.parametrize("top", ["", "slack-export/"], ids=["at-the-root", "under-a-folder"])
def test_a_zipped_export_gives_the_same_files_items_and_notes(tmp_path: Path, top: str) -> None:
    folder, archive = opened(), opened(zipped(tmp_path, top))
    assert archive.source == str(tmp_path / "export.zip")
    assert [(f.name, f.size) for f in archive.files] == [(f.name, f.size) for f in folder.files]
    assert items_of(archive) == items_of(folder)
    assert archive.notes == folder.notes


@pytest.mark.parametrize("entry", ["../evil.json", "general/../../evil.json", "/etc/evil.json"])
def test_a_zip_with_an_entry_outside_the_export_is_refused_at_open(
    tmp_path: Path, entry: str
) -> None:
    with pytest.raises(BadExport) as refused:
        opened(zipped(tmp_path, extra={entry: b"[]"}))
    assert refused.value.where == entry
    assert "absolute path or '..'" in refused.value.problem


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
