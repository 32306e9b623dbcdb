"""Who may run a manager command on Slack, and where: `[slack] managers` or the members of
`[slack] manager_group`, in the managers' channel (by name or id); a refusal is private (in
the command's ack, or through its response_url) and nothing is stored or posted."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from bot.features.surveys.store import Survey
from bot.store.models import Member
from tests.adapters import running
from tests.adapters.slack.harness import (
    Workspace,
    all_posts,
    answered,
    ask,
    bot_posts,
    deliver,
    private_answers,
    shown_text,
    steward,
    wait_for,
    write_config,
)

CREATE = 'create title:"Event feedback" questions:"Rate it (1-5) | What should change?"'


def surveys(run: running.Running) -> list[str]:
    with run.app.store.session() as session:
        return [survey.title for survey in session.exec(select(Survey))]


@pytest.mark.parametrize(
    ("member", "channel", "refusal"),
    [("bob", "managers", "is for community managers"), ("alice", "general", "works only in")],
)
async def test_a_manager_command_out_of_place_is_refused_privately_and_does_nothing(
    space: Workspace, config: Path, member: str, channel: str, refusal: str
) -> None:
    async with steward(config) as run:
        answer = await ask(run, space, member, channel, "/survey", CREATE)
        [said] = await answered(space.fake, answer, refusal)
        assert surveys(run) == []
    if refusal == "works only in":
        assert "works only in the managers' channel" in said
    assert all_posts(space) == []


async def test_a_refusal_in_socket_mode_is_the_acks_ephemeral_payload(
    space: Workspace, socket_config: Path
) -> None:
    async with steward(socket_config) as run:
        answer = await ask(run, space, "bob", "managers", "/calendar", "list")
    assert answer["payload"]["response_type"] == "ephemeral"
    assert "`/calendar list` is for community managers" in answer["payload"]["text"]
    assert private_answers(space.fake, answer) == [shown_text(answer["payload"])]
    assert all_posts(space) == []


async def test_a_manager_in_the_managers_channel_gets_the_answer(
    space: Workspace, config: Path
) -> None:
    async with steward(config) as run:
        answer = await ask(run, space, "alice", "managers", "/survey", CREATE)
        [said] = await answered(space.fake, answer, "Survey #1 is posted in #general")
        assert surveys(run) == ["Event feedback"]
    [post] = bot_posts(space.fake, space.channel("general"))
    assert "Event feedback" in shown_text(post)
    assert "is for community managers" not in said


async def test_the_manager_group_and_the_channel_by_id_make_a_manager(
    space: Workspace, tmp_path: Path
) -> None:
    fake, managers = space.fake, space.channel("managers")
    fake.add_usergroup("mods", "Moderators", [space.person("carol")])
    config = write_config(
        tmp_path / "steward.toml",
        space,
        tmp_path / "steward.db",
        manager_group="mods",
        admin_channel=managers,
        managers=[],
    )
    async with steward(config) as run:
        carol = await ask(run, space, "carol", "managers", "/calendar", "list")
        assert await answered(fake, carol, "Nothing scheduled")
        fake.ephemerals.clear()
        elsewhere = await ask(run, space, "carol", "general", "/calendar", "list")
        assert await answered(fake, elsewhere, "works only in the managers' channel")
        fake.ephemerals.clear()
        dave = await ask(run, space, "dave", "managers", "/calendar", "list")
        assert await answered(fake, dave, "is for community managers")
    assert all_posts(space) == []


async def test_a_member_command_works_in_any_channel(space: Workspace, config: Path) -> None:
    async with steward(config) as run:
        for channel in ("general", "help", "managers"):
            space.fake.ephemerals.clear()
            answer = await ask(run, space, "bob", channel, "/stats", "me")
            [said] = await answered(space.fake, answer, "Days active")
            assert "is for community managers" not in said
    assert all_posts(space) == []


async def test_a_private_managers_channel_serves_once_steward_is_invited_after_its_start(
    space: Workspace, config: Path
) -> None:
    fake, managers, alice = space.fake, space.channel("managers"), space.person("alice")
    fake.channels[managers].update(is_private=True, bot_member=False, members=[alice])
    async with steward(config) as run:  # the README's order: run Steward, then invite it
        invited = fake.join_channel(managers, fake.bot_user_id, inviter=alice)
        await deliver(run, fake, fake.event(invited), "event")
        await wait_for(lambda: run.adapter.translator.admin_channel_id == managers, timeout=2)
        answer = await ask(run, space, "alice", "managers", "/calendar", "list")
        said = await answered(fake, answer, "Nothing scheduled")
    assert not [text for text in said if "works only in" in text]


def renamed(space: Workspace) -> list[str]:
    posts = bot_posts(space.fake, space.channel("managers"))
    return [shown_text(post) for post in posts if "now called" in shown_text(post)]


async def test_a_managers_channel_renamed_while_steward_was_stopped_still_serves(
    space: Workspace, config: Path
) -> None:
    fake, managers = space.fake, space.channel("managers")
    async with steward(config):  # it finds #managers, and keeps its id
        pass
    fake.channels[managers]["name"] = "mods"
    async with steward(config) as run:
        answer = await ask(run, space, "alice", "managers", "/calendar", "list")
        said = await answered(fake, answer, "Nothing scheduled")
        assert not [text for text in said if "works only in" in text]
    async with steward(config):
        pass
    [notice] = renamed(space)  # told once, not at every start
    assert "[slack] admin_channel names #managers, which is now called #mods" in notice


async def test_a_member_option_naming_no_one_is_refused_privately_and_asks_slack_nothing(
    space: Workspace, config: Path
) -> None:
    fake = space.fake
    async with steward(config) as run:
        answer = await ask(run, space, "alice", "managers", "/contest", "remove id:1 member:Walter")
        await answered(fake, answer, "`member`: there is no member @Walter.")
        with run.app.store.session() as session:
            assert (
                session.exec(select(Member).where(Member.platform_user_id == "Walter")).all() == []
            )
    assert fake.called("users.info") == []
    assert all_posts(space) == []
