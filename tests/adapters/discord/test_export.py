"""Reading DiscordChatExporter JSON exports: the events the live adapter would have logged,
with its ids, and a clear refusal of what is not such an export."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.discord.export import open_discord_export
from adapters.discord.export_messages import emoji_text
from bot.core.events import (
    ChannelRef,
    MemberJoined,
    MemberRef,
    MessageEdited,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReplyPosted,
    ThreadCreated,
)
from bot.core.export_files import BadExport, Export, Item, Skipped

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discord_export"
GENERAL_FILE = FIXTURES / "Steward Lab - Community - general [1090000000000000100].json"
THREAD_FILE = FIXTURES / "Steward Lab - general - Release plans [1090000000000000500].json"

GENERAL, NEWS, THREAD = "1090000000000000100", "1090000000000000200", "1090000000000000500"
MODERATORS, MEMBERS = "1090000000000000300", "1090000000000000301"
ALICE = MemberRef(
    "discord", "1090000000000001001", "Alice A.", is_manager=True, roles=(MODERATORS, MEMBERS)
)
BOB = MemberRef("discord", "1090000000000001002", "bob", roles=(MEMBERS,))
# DCE lists reactors without their roles: one who reacts before writing anything has none
ALICE_REACTING = MemberRef("discord", "1090000000000001001", "Alice A.")
BOB_REACTING = MemberRef("discord", "1090000000000001002", "bob")
CAROL = MemberRef("discord", "1090000000000001003", "Carol")
STEWARD = MemberRef("discord", "1090000000000001009", "Steward", is_bot=True)
IN_GENERAL = ChannelRef("discord", GENERAL, "general")
IN_THREAD = ChannelRef("discord", THREAD, "Release plans", parent_id=GENERAL, thread_id=THREAD)
UNLISTED = Skipped("reactions whose reactors the export does not list")


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2024-03-01T{text}").replace(tzinfo=UTC)


def items(export: Export) -> list[Item]:
    return [item for file in export.files for item in file.read()]


def react(reactor: MemberRef, message: str, emoji: str, author: MemberRef, when: str) -> Item:
    return ReactionAdded(
        event_id=f"reaction:{message}:{reactor.user_id}:{emoji}:add:0",
        member=reactor,
        channel=IN_GENERAL,
        at=at(when),
        message_id=message,
        emoji=emoji,
        message_author=author,
    )


def general_items() -> list[Item]:
    joined = at("09:00:00.512")
    edited = at("09:07:45.123456")
    return [
        MemberJoined(
            event_id=f"join:{CAROL.user_id}:{joined.timestamp()}",
            member=replace(CAROL, joined_at=joined),
            channel=IN_GENERAL,
            at=joined,
        ),
        react(ALICE_REACTING, "1090000000000010001", "👋", CAROL, "09:00:00.512"),  # on a join
        MessagePosted(
            event_id="1090000000000010002",
            member=ALICE,
            channel=IN_GENERAL,
            at=at("09:01:30.25"),
            message_id="1090000000000010002",
            text="Welcome @Carol! Release notes are up.",
            mentions=(CAROL.user_id,),
        ),
        react(BOB_REACTING, "1090000000000010002", "👍", ALICE, "09:01:30.25"),
        react(CAROL, "1090000000000010002", "👍", ALICE, "09:01:30.25"),
        react(
            BOB_REACTING,
            "1090000000000010002",
            "<:steward:1090000000000000900>",
            ALICE,
            "09:01:30.25",
        ),
        react(
            CAROL,
            "1090000000000010002",
            "<a:partyparrot:1090000000000000901>",
            ALICE,
            "09:01:30.25",
        ),
        UNLISTED,  # partyparrot: 2 reactions, 1 reactor listed
        ReplyPosted(
            event_id="1090000000000010003",
            member=BOB,
            channel=IN_GENERAL,
            at=at("09:02:00"),
            message_id="1090000000000010003",
            parent_id="1090000000000010002",
            text="Thanks, reading them now",
            mentions=(ALICE.user_id,),
        ),
        MessageShared(
            event_id="1090000000000010004",
            member=CAROL,
            channel=IN_GENERAL,
            at=at("09:03:00.001"),
            message_id="1090000000000010004",
            source_channel_id=NEWS,
            source_message_id="1090000000000020001",
        ),
        MessagePosted(
            event_id="1090000000000010005",
            member=STEWARD,
            channel=IN_GENERAL,
            at=at("09:04:00"),
            message_id="1090000000000010005",
            text="Digest: 3 new members this week",
        ),
        UNLISTED,  # a 👍 exported without its users
        MessagePosted(
            event_id="1090000000000010006",
            member=ALICE,
            channel=IN_GENERAL,
            at=at("09:05:00"),
            message_id="1090000000000010006",
            text="Office hours move to Thursday :steward:",
        ),
        MessageEdited(
            event_id=f"edit:1090000000000010006:{edited.timestamp()}",
            member=ALICE,
            channel=IN_GENERAL,
            at=edited,
            message_id="1090000000000010006",
            text="Office hours move to Thursday :steward:",
        ),
        Skipped("ChannelPinnedMessage messages (not a member's post)"),
        ThreadCreated(
            event_id=f"thread:{THREAD}",
            member=BOB,
            channel=IN_THREAD,
            at=at("09:08:00"),
            name="Release plans",
        ),
    ]


def thread_items() -> list[Item]:
    return [
        MessagePosted(
            event_id="1090000000000030001",
            member=BOB,
            channel=IN_THREAD,
            at=at("09:09:00"),  # exported as 11:09:00+02:00
            message_id="1090000000000030001",
            text="Let's plan the v2.1 release here",
        ),
        Skipped("RecipientAdd messages (not a member's post)"),
        ReplyPosted(
            event_id="1090000000000030003",
            member=CAROL,
            channel=IN_THREAD,
            at=at("09:10:15.5"),
            message_id="1090000000000030003",
            parent_id="1090000000000030001",
            text="@bob I can take the changelog",
            mentions=(BOB.user_id,),
        ),
    ]


def test_a_channel_and_its_thread_read_as_the_live_adapter_would_log_them() -> None:
    export = open_discord_export([FIXTURES], manager_role="Moderators")

    assert export.platform == "discord"
    assert [file.name for file in export.files] == [str(GENERAL_FILE), str(THREAD_FILE)]
    assert [file.size for file in export.files] == [
        GENERAL_FILE.stat().st_size,
        THREAD_FILE.stat().st_size,
    ]
    assert export.channels == [IN_GENERAL]  # a thread counts in its channel
    assert [list(file.read()) for file in export.files] == [general_items(), thread_items()]


def test_reading_a_file_again_gives_the_same_items() -> None:
    export = open_discord_export([GENERAL_FILE, THREAD_FILE], manager_role="Moderators")

    assert items(export) == items(export) == general_items() + thread_items()


def test_the_managers_role_and_channel_are_found_by_id_or_by_name() -> None:
    by_id = open_discord_export(
        [FIXTURES], manager_role=f"<@&{MEMBERS}>", admin_channel=f"<#{GENERAL}>"
    )
    by_name = open_discord_export([FIXTURES], manager_role="members", admin_channel="#General")

    for export in (by_id, by_name):
        events = [item for item in items(export) if not isinstance(item, Skipped)]
        managers = {e.member.user_id for e in events if e.member.is_manager}
        assert managers == {ALICE.user_id, BOB.user_id}
        assert {(e.channel.channel_id, e.channel.is_admin) for e in events} == {
            (GENERAL, True),
            (THREAD, True),  # a thread of the managers' channel is theirs too
        }


def test_without_a_manager_role_nobody_is_a_manager() -> None:
    events = [item for item in items(open_discord_export([FIXTURES])) if hasattr(item, "member")]

    assert not any(e.member.is_manager or e.channel.is_admin for e in events)


def test_a_thread_exported_alone_still_hangs_under_its_parent() -> None:
    export = open_discord_export([THREAD_FILE], manager_role="Moderators")
    (first, *_) = export.files[0].read()

    assert first.channel == IN_THREAD
    assert export.channels == [IN_GENERAL]  # named by the thread's header


def test_a_thread_whose_file_is_not_imported_with_it_is_still_created() -> None:
    export = open_discord_export([GENERAL_FILE], manager_role="Moderators")

    (created,) = [item for item in items(export) if isinstance(item, ThreadCreated)]
    assert created.event_id == f"thread:{THREAD}"
    assert created.name == ""  # DCE writes "Started a thread." in place of the name
    assert (created.channel.channel_id, created.channel.parent_id) == (THREAD, GENERAL)


def write_variant(tmp_path: Path, change: Callable[[dict], None]) -> Path:
    document = json.loads(GENERAL_FILE.read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def test_an_older_export_without_reference_types_still_tells_forwards_from_replies(
    tmp_path: Path,
) -> None:
    def untyped(document: dict) -> None:  # DCE before 2026-02 wrote no reference type
        for message in document["messages"]:
            message.get("reference", {}).pop("type", None)

    path = write_variant(tmp_path, untyped)

    kinds = {
        item.message_id: type(item).__name__
        for item in items(open_discord_export([path]))
        if isinstance(item, MessagePosted | ReplyPosted | MessageShared)
    }
    assert kinds["1090000000000010003"] == "ReplyPosted"
    assert kinds["1090000000000010004"] == "MessageShared"


def test_a_crosspost_from_a_followed_channel_is_a_post_as_live(tmp_path: Path) -> None:
    def crosspost(document: dict) -> None:
        document["messages"][3]["reference"]["type"] = "Default"

    (posted,) = [
        item
        for item in items(open_discord_export([write_variant(tmp_path, crosspost)]))
        if getattr(item, "message_id", "") == "1090000000000010004"
    ]
    assert isinstance(posted, MessagePosted)


def test_a_file_with_a_byte_order_mark_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + GENERAL_FILE.read_bytes())

    export = open_discord_export([path, THREAD_FILE], manager_role="Moderators")

    assert items(export) == general_items() + thread_items()


def test_a_truncated_file_yields_its_first_messages_then_says_it_is_cut_short(
    tmp_path: Path,
) -> None:
    text = GENERAL_FILE.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(text[: text.index(b'"id": "1090000000000010004"') + 30])
    (file,) = open_discord_export([cut], manager_role="Moderators").files

    read = []
    with pytest.raises(BadExport) as refused:
        for item in file.read():
            read.append(item)

    assert read == general_items()[:9]  # up to the reply, the last complete message
    assert refused.value.where == str(cut)
    assert refused.value.problem == "ends after 3 messages: it looks truncated; re-export it"


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ("timestamp", "message 1090000000000010003 has no timestamp"),
        ("author", "message 1090000000000010003 has no author"),
        ("id", "message #3 has no id"),
    ],
)
def test_a_message_missing_what_every_message_has_is_named(
    tmp_path: Path, field: str, problem: str
) -> None:
    def drop(document: dict) -> None:
        del document["messages"][2][field]

    path = write_variant(tmp_path, drop)
    (file,) = open_discord_export([path]).files

    with pytest.raises(BadExport) as refused:
        list(file.read())
    assert refused.value.where == str(path)
    assert refused.value.problem.startswith(problem)


def test_a_message_type_dce_does_not_name_is_skipped_by_its_number(tmp_path: Path) -> None:
    def starter(document: dict) -> None:  # a thread's copy of its starter message
        document["messages"][4]["type"] = "21"

    skipped = [
        item
        for item in items(open_discord_export([write_variant(tmp_path, starter)]))
        if isinstance(item, Skipped) and item != UNLISTED
    ]
    assert skipped == [
        Skipped("type 21 messages (not a member's post)"),
        Skipped("ChannelPinnedMessage messages (not a member's post)"),
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<!DOCTYPE html><html><head><title>general</title>", "not JSON"),
        (b"", "is empty"),
        (b'[{"id": "C024BE91L", "name": "general", "members": []}]', "not a DiscordChatExporter"),
        (b'{"channel": {"id": "1"}, "messages": []}', "not a DiscordChatExporter"),
        (
            b'{"guild": {"id": "1"}, "channel": {"id": "2"}, "count": 0}',
            "not a DiscordChatExporter",
        ),
    ],
    ids=["an HTML export", "empty", "a Slack channels.json", "no guild", "no messages"],
)
def test_what_is_not_a_dce_json_export_is_refused_at_open(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content)

    with pytest.raises(BadExport) as refused:
        open_discord_export([GENERAL_FILE, path])

    assert refused.value.where == str(path)
    assert problem in refused.value.problem
    assert refused.value.problem.endswith("export with DiscordChatExporter's --format Json")


def test_a_missing_path_or_a_folder_without_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BadExport, match="no such file or folder") as missing:
        open_discord_export([tmp_path / "nowhere.json"])
    with pytest.raises(BadExport, match=r"without \.json files") as empty:
        open_discord_export([tmp_path])

    assert missing.value.where == str(tmp_path / "nowhere.json")
    assert empty.value.where == str(tmp_path)


@pytest.mark.parametrize(
    ("emoji", "shown"),
    [
        ({"id": "", "name": "👍🏽", "code": "thumbsup_tone3", "isAnimated": False}, "👍🏽"),
        ({"id": None, "name": "❤️", "code": "heart"}, "❤️"),  # older DCE wrote null
        ({"id": "900", "name": "steward", "isAnimated": False}, "<:steward:900>"),
        ({"id": "901", "name": "parrot", "isAnimated": True}, "<a:parrot:901>"),
        ({"id": "902", "name": "Unknown Emoji", "isAnimated": False}, "<:_:902>"),
    ],
)
def test_a_reaction_emoji_is_written_as_discord_py_writes_it_live(emoji: dict, shown: str) -> None:
    assert emoji_text(emoji) == shown


def set_in(path: tuple, value: object) -> Callable[[dict], None]:
    """A change setting the field at `path` (from the document's `messages`) to `value`."""

    def change(document: dict) -> None:
        found = document["messages"]
        for key in path[:-1]:
            found = found[key]
        found[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ((2, "author", "id"), 1090000000000001002, "has an author whose id is a number"),
        ((2, "id"), 1090000000000010003, "has an id that is a number"),
        ((2, "mentions", 0, "id"), 1090000000000001001, "has a mention of a user whose id is a"),
        ((2, "reference", "messageId"), 1, "has a reference to a message whose id is a number"),
        ((2, "author", "roles", 0, "id"), 1, "has a role whose id is a number"),
        ((1, "reactions", 0, "users", 0, "id"), 1, "has a reactor whose id is a number"),
        ((2, "content"), 123, "has a content that is a number"),
        ((2, "author", "id"), ["1"], "has an author whose id is a list"),
        ((1, "reactions", 0, "count"), 10**12, "has a reaction counted 1,000,000,000,000 times"),
    ],
)
def test_an_id_or_a_text_that_is_not_a_string_refuses_the_file_naming_the_message(
    tmp_path: Path, path: tuple, value: object, problem: str
) -> None:
    variant = write_variant(tmp_path, set_in(path, value))
    (file,) = open_discord_export([variant]).files

    with pytest.raises(BadExport) as refused:
        list(file.read())
    assert refused.value.where == str(variant)
    message = "1090000000000010003" if path[0] == 2 else "1090000000000010002"
    assert refused.value.problem.startswith(f"message {message} {problem}")
    assert refused.value.problem.endswith("; re-export it with --format Json")


def test_a_file_with_bytes_that_are_not_utf8_says_so_in_one_readable_line(tmp_path: Path) -> None:
    variant = write_variant(tmp_path, set_in((3, "content"), "BROKEN"))
    variant.write_bytes(variant.read_bytes().replace(b"BROKEN", b"\xff\xfe"))
    (file,) = open_discord_export([variant]).files

    with pytest.raises(BadExport) as refused:
        list(file.read())
    assert refused.value.problem == (
        "is not valid JSON after 3 messages (lexical error: invalid bytes in UTF8 string.); "
        "re-export it"
    )


def test_threads_are_imported_after_every_channel_whatever_their_names(tmp_path: Path) -> None:
    thread = tmp_path / "Steward Lab - general - Release plans [1090000000000000500].json"
    channel = tmp_path / "Steward Lab - Zed - general [1090000000000000100].json"  # sorts last
    other = tmp_path / "Steward Lab - Zed - news [1090000000000000200].json"
    shutil.copy(THREAD_FILE, thread)
    shutil.copy(GENERAL_FILE, channel)
    document = json.loads(GENERAL_FILE.read_text(encoding="utf-8"))
    document["channel"] |= {"id": NEWS, "name": "news"}
    other.write_text(json.dumps(document), encoding="utf-8")

    for given in ([tmp_path], [thread, other, channel]):
        export = open_discord_export(given, manager_role="Moderators")
        assert [file.name for file in export.files] == [str(channel), str(other), str(thread)]
        assert [c.channel_id for c in export.channels] == [GENERAL, NEWS]
    general, _, in_thread = (list(file.read()) for file in export.files)
    assert (general, in_thread) == (general_items(), thread_items())


def test_the_export_is_named_in_a_few_words_however_many_files_were_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("a", "b", "c/d"):
        (tmp_path / folder).mkdir(parents=True)
    files = [tmp_path / name for name in ("a/1.json", "a/2.json", "b/3.json", "c/d/4.json")]
    for file in files:
        shutil.copy(GENERAL_FILE, file)
    monkeypatch.chdir(tmp_path)

    def source(*paths: Path) -> str:
        return open_discord_export(list(paths)).source

    assert source(files[0]) == str(files[0])
    assert source(tmp_path / "a") == str(tmp_path / "a")
    assert source(*files) == f"4 files in {tmp_path}"
    few = (tmp_path / "a", *files[2:])  # up to three paths given are listed
    assert source(*few) == ", ".join(map(str, few))
    assert source(*(file.relative_to(tmp_path) for file in files)) == "4 files"
