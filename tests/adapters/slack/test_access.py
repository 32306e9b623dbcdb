"""Who may run a manager command on Slack, and where: `[slack] managers` or the members of
`[slack] manager_group`, in the managers' channel (by name or id); a refusal is private (in
the command's ack, or through its response_url) and nothing is stored or posted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.features.surveys.store import Survey
from tests.adapters import running
from tests.adapters.slack.harness import (
    FakeSlack,
    Workspace,
    blocks_of,
    bot_posts,
    deliver,
    shown_text,
    steward,
    wait_for,
    write_config,
)

CREATE = 'create title:"Event feedback" questions:"Rate it (1-5) | What should change?"'


def private_answers(fake: FakeSlack, answer: Any) -> list[str]:
    """What only the member who asked reads: the ephemeral ack body (HTTP response or the
    Socket Mode ack's payload), then what came through response_urls or chat.postEphemeral."""
    body = answer.get("payload") if isinstance(answer, dict) else getattr(answer, "json", None)
    found = []
    if isinstance(body, dict) and body.get("response_type") == "ephemeral":
        found.append(shown_text({**body, "blocks": blocks_of(body)}))
    for sent in fake.ephemerals:
        if sent.get("response_type", "ephemeral") == "ephemeral":
            found.append(shown_text({**sent, "blocks": blocks_of(sent)}))
    return found


async def ask(
    run: running.Running, space: Workspace, who: str, where: str, command: str, text: str = ""
) -> Any:
    """`who` runs the slash command in channel `where`; Steward's answer to the delivery."""
    fake = space.fake
    body = fake.command(command, text, user_id=space.person(who), channel_id=space.channel(where))
    return await deliver(run, fake, body, "command")


async def answered(fake: FakeSlack, answer: Any, expected: str) -> list[str]:
    """The private answers, once one of them says `expected`."""
    await wait_for(lambda: any(expected in text for text in private_answers(fake, answer)))
    return private_answers(fake, answer)


def surveys(run: running.Running) -> list[str]:
    with run.app.store.session() as session:
        return [survey.title for survey in session.exec(select(Survey))]


def all_posts(space: Workspace) -> list[dict]:
    return [post for channel in space.channels.values() for post in bot_posts(space.fake, channel)]


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
