"""Slack's ways into Steward's commands: `/poll`, the umbrella `/steward poll …` and a
`[slack] command_prefix`; an unknown subcommand refused privately; `/calendar import` as a
file shared in the managers' channel with `import` as its message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.features.calendar.store import CalendarPost
from tests.adapters import running
from tests.adapters.slack.harness import (
    Workspace,
    all_posts,
    answered,
    ask,
    bot_posts,
    buttons,
    deliver,
    private_answers,
    shown_text,
    steward,
    wait_for,
    write_config,
)

POLL = 'create question:"Pizza or pasta?" options:"pizza | pasta"'


def calendar_csv() -> bytes:
    """Two posts a few days ahead (a real clock: the dates must be to come)."""
    day = datetime.now(UTC).date() + timedelta(days=3)
    rows = [
        "when,channel,type,title,text,link,repeat",
        f"{day}T09:00,announcements,article,Weekly update,What happened this week,,",
        f"{day + timedelta(days=1)}T18:30,general,discussion,,What are you working on?,,",
    ]
    return ("\n".join(rows) + "\n").encode()


def long_calendar_csv(size: int) -> tuple[bytes, int]:
    """At least `size` bytes of long posts, one a day from three days ahead; the bytes and
    how many posts they hold."""
    day = datetime.now(UTC).date() + timedelta(days=3)
    words = " ".join(f"word{n}" for n in range(400))  # about 3000 characters
    rows = ["when,channel,type,title,text,link,repeat"]
    while sum(len(row) + 1 for row in rows) < size:
        at = day + timedelta(days=len(rows))
        rows.append(f"{at}T09:00,general,discussion,,Topic {len(rows)}: {words},,")
    return ("\n".join(rows) + "\n").encode(), len(rows) - 1


def calendar_posts(run: running.Running) -> list[str]:
    with run.app.store.session() as session:
        return [post.text for post in session.exec(select(CalendarPost))]


def shared(space: Workspace, who: str, file: dict) -> dict:
    """`who` shares `file` in the managers' channel with `import` as its message: the event."""
    fake, managers = space.fake, space.channel("managers")
    person = space.person(who)
    ts = fake.add_message(managers, person, "import", files=[file["id"]])
    event = fake.message_event(managers, person, "import", ts, subtype="file_share", files=[file])
    return fake.event(event)


async def share(run: running.Running, space: Workspace, who: str, file: dict) -> None:
    """Deliver the share of `file` by `who` to the running Steward."""
    await deliver(run, space.fake, shared(space, who, file), "event")


@pytest.mark.parametrize(
    ("command", "text", "prefix"),
    [("/steward", f"poll {POLL}", ""), ("/sw-poll", POLL, "sw-")],
)
async def test_the_umbrella_and_a_prefixed_command_run_the_poll_command(
    space: Workspace, tmp_path: Path, command: str, text: str, prefix: str
) -> None:
    fake, general = space.fake, space.channel("general")
    config = write_config(
        tmp_path / "steward.toml", space, tmp_path / "s.db", command_prefix=prefix
    )
    async with steward(config) as run:
        await ask(run, space, "bob", "general", command, text)
        [post] = await wait_for(lambda: bot_posts(fake, general))
    assert "Pizza or pasta?" in shown_text(post)
    assert list(buttons(post)) == ["pizza · 0", "pasta · 0"]


async def test_with_a_prefix_answers_name_the_commands_as_the_workspace_types_them(
    space: Workspace, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "steward.toml", space, tmp_path / "s.db", command_prefix="sw-")
    async with steward(config) as run:
        refused = await ask(run, space, "bob", "general", "/sw-poll", "frobnicate")
        [said] = await answered(space.fake, refused, "frobnicate")
        helped = await ask(run, space, "bob", "general", "/sw-help")
        shown = await answered(space.fake, helped, "Commands you can run here")
    assert "Did you mean: /sw-poll close, /sw-poll create, /sw-poll results?" in said
    assert "`/sw-poll create question:" in shown[-1] and "`/poll" not in shown[-1]


async def test_steward_alone_answers_the_help_privately(space: Workspace, config: Path) -> None:
    async with steward(config) as run:
        answer = await ask(run, space, "bob", "general", "/steward")
        [said] = await answered(space.fake, answer, "Commands you can run here")
    assert "/poll create" in said
    assert "/calendar" not in said  # bob is no manager: their commands are not listed
    assert all_posts(space) == []


async def test_an_unknown_subcommand_is_refused_privately_naming_the_subcommands(
    space: Workspace, config: Path
) -> None:
    async with steward(config) as run:
        answer = await ask(run, space, "bob", "general", "/poll", "frobnicate")
        [said] = await answered(space.fake, answer, "frobnicate")
    assert all(name in said for name in ("create", "close", "results"))
    assert all_posts(space) == []


async def test_a_csv_shared_with_import_in_the_managers_channel_is_imported(
    space: Workspace, config: Path
) -> None:
    fake, managers = space.fake, space.channel("managers")
    file = fake.add_file("posts.csv", calendar_csv(), "text/csv", user=space.person("alice"))
    async with steward(config) as run:
        await share(run, space, "alice", file)
        told = await wait_for(lambda: [shown_text(m) for m in bot_posts(fake, managers)])
        assert calendar_posts(run) == ["What happened this week", "What are you working on?"]
        listed = await ask(run, space, "alice", "managers", "/calendar", "list")
        [agenda] = await answered(fake, listed, "Weekly update")
    assert told == ["Imported 2 calendar posts from posts.csv (#1, #2). /calendar list shows them."]
    assert "#1 [article] #announcements — Weekly update" in agenda
    assert "#2 [discussion] #general — What are you working on?" in agenda
    assert file["id"] in fake.downloads


async def test_a_large_csv_is_read_whole_and_every_row_imported(
    space: Workspace, config: Path
) -> None:
    fake, managers = space.fake, space.channel("managers")
    data, count = long_calendar_csv(300 * 1024)  # Slack's download arrives in many chunks
    file = fake.add_file("year.csv", data, "text/csv", user=space.person("alice"))
    async with steward(config) as run:
        await share(run, space, "alice", file)
        [told] = await wait_for(
            lambda: [shown_text(m) for m in bot_posts(fake, managers)] + private_answers(fake, None)
        )  # the import's outcome in the channel, or a refusal told privately
        imported = calendar_posts(run)
    assert told.startswith(f"Imported {count} calendar posts from year.csv")
    assert len(imported) == count > 50
    assert imported[-1].startswith(f"Topic {count}: word0 ") and imported[-1].endswith("word399")


async def test_a_share_by_a_member_who_is_no_manager_imports_nothing(
    space: Workspace, config: Path
) -> None:
    fake = space.fake
    file = fake.add_file("posts.csv", calendar_csv(), "text/csv", user=space.person("bob"))
    async with steward(config) as run:
        await share(run, space, "bob", file)
        [said] = await answered(fake, None, "is for community managers")
        assert calendar_posts(run) == []
    assert "`/calendar import` is for community managers" in said
    assert fake.ephemerals[0]["user"] == space.person("bob")
    assert all_posts(space) == []


async def test_a_shared_file_steward_cannot_download_is_told_privately(
    space: Workspace, config: Path
) -> None:
    fake = space.fake
    file = fake.add_file("posts.csv", calendar_csv(), "text/csv", user=space.person("alice"))
    async with steward(config) as run:
        event = shared(space, "alice", file)
        del fake.files[file["id"]]  # deleted before Steward reads it: Slack answers 404
        await deliver(run, fake, event, "event")
        [said] = await answered(fake, None, "Steward could not read that file")
        assert calendar_posts(run) == []
    assert "posts.csv" in said
    assert fake.ephemerals[0]["user"] == space.person("alice")
    assert all_posts(space) == []
    assert private_answers(fake, None) == [said]


async def test_a_refused_file_lookup_tells_the_member_slacks_reason_in_short(
    space: Workspace, config: Path
) -> None:
    fake, managers, alice = space.fake, space.channel("managers"), space.person("alice")
    file = fake.add_file("posts.csv", calendar_csv(), "text/csv", user=alice)
    async with steward(config) as run:
        fake.scopes.discard("files:read")  # taken away since the start: files.info refuses
        ts = fake.add_message(managers, alice, "import", files=[file["id"]])
        event = fake.message_event(managers, alice, "import", ts, files=[file["id"]])
        event["files"] = [{"id": file["id"], "file_access": "check_file_info"}]  # asks files.info
        await deliver(run, fake, fake.event(event), "event")
        [said] = await answered(fake, None, "Steward could not read that file")
        assert calendar_posts(run) == []
    assert "(Slack answered missing_scope)" in said
    assert "{" not in said and "server responded" not in said
    assert fake.called("files.info")
    assert all_posts(space) == []
