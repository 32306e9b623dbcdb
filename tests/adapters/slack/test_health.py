"""Self-health on Slack: a channel Steward is not in and a scope the app was not given are
told to the managers once per start, with the fix; a post Slack refuses is kept, not lost."""

from __future__ import annotations

import html
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from adapters.slack.health import SlackProblem
from bot.core.messages import Message
from bot.core.outbox_store import NOTICE, Announcement, message_payload
from bot.store.models import OutboxItem
from tests.adapters.running import Running
from tests.adapters.slack.harness import (
    Workspace,
    bot_posts,
    deliver,
    shown_text,
    steward,
    wait_for,
    write_config,
)

INVITE = "/invite @Steward"


def told(space: Workspace, *words: str) -> list[str]:
    """The managers' channel's posts by Steward that say all of `words`."""
    posts = bot_posts(space.fake, space.channel("managers"))
    shown = [html.unescape(shown_text(post)) for post in posts]  # `&amp;` reads as `&`
    return [t for t in shown if all(w in t for w in words)]


def logged(caplog: pytest.LogCaptureFixture, *words: str) -> list[str]:
    """Warnings in the log that say all of `words`."""
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return [line for line in lines if all(w in line for w in words)]


async def test_a_help_channel_steward_is_not_in_is_told_once_with_the_fix(
    space: Workspace, config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = space.fake
    fake.set_member(space.channel("help"), fake.bot_user_id, False)
    caplog.set_level(logging.WARNING)
    async with steward(config) as run:
        await wait_for(lambda: told(space, "#help", INVITE))
        await run.advance(timedelta(minutes=1))
    assert len(told(space, "#help", INVITE)) == 1
    assert len(logged(caplog, "#help", INVITE)) == 1


async def test_a_managers_channel_steward_is_not_in_is_logged_and_told_once_invited(
    space: Workspace, config: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake, managers = space.fake, space.channel("managers")
    fake.set_member(managers, fake.bot_user_id, False)
    caplog.set_level(logging.WARNING)
    async with steward(config) as run:
        assert not bot_posts(fake, managers)
        fake.set_member(managers, fake.bot_user_id, True)  # a manager types the fix
        await run.advance(timedelta(minutes=1))  # the outbox kept the notice: it goes out
        await wait_for(lambda: told(space, "#managers", INVITE))
    [line] = [t for t in logged(caplog, "#managers", INVITE) if t.startswith("Slack: ")]
    assert "Steward is not a member of #managers" in line
    assert len(told(space, "#managers", INVITE)) == 1


async def test_a_configured_channel_steward_cannot_see_is_told_once_naming_the_setting(
    space: Workspace, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = space.fake
    fake.add_channel("helpdesk", private=True, bot_member=False, members=[space.person("bob")])
    db = tmp_path / "steward.db"
    config = write_config(tmp_path / "steward.toml", space, db, digest_channel="digets")
    with config.open("a") as file:  # a private help channel and a typo
        file.write('\n[inquiries]\nhelp_channels = ["help", "helpdesk"]\n')
    caplog.set_level(logging.WARNING)
    async with steward(config) as run:
        await wait_for(lambda: told(space, "#digets") and told(space, "#helpdesk"))
        await run.advance(timedelta(minutes=1))
    [digest] = told(space, "cannot see a channel #digets ([slack] digest_channel)", INVITE)
    assert "otherwise correct the setting" in digest
    assert len(told(space, "cannot see a channel #helpdesk ([inquiries] help_channels)")) == 1
    for name in ("#digets", "#helpdesk"):
        assert len(logged(caplog, f"cannot see a channel {name}", INVITE)) == 1


async def test_a_missing_scope_is_told_once_per_start_naming_it(
    space: Workspace, config: Path
) -> None:
    fake, general, bob = space.fake, space.channel("general"), space.person("bob")
    fake.scopes -= {"reactions:read", "files:write"}
    async with steward(config) as run:
        [notice] = await wait_for(lambda: told(space, "`reactions:read`"))
        asked = fake.command("/privacy", "export", user_id=bob, channel_id=general)
        await deliver(run, fake, asked, "command")  # its upload needs files:write
        await wait_for(lambda: fake.called("files.getUploadURLExternal"))
        await run.advance(timedelta(minutes=1))
    assert "`files:write`" in notice and "OAuth & Permissions" in notice
    assert len(told(space, "files:write")) == 1  # the failed upload is not told again
    async with steward(config):
        await wait_for(lambda: len(told(space, "`reactions:read`")) == 2)
    assert len(told(space, "`reactions:read`")) == 2


async def test_a_post_where_steward_is_not_a_member_is_kept_and_the_managers_are_told(
    space: Workspace, config: Path
) -> None:
    fake, announcements = space.fake, space.channel("announcements")
    fake.set_member(announcements, fake.bot_user_id, False)
    async with steward(config) as run:
        with pytest.raises(SlackProblem, match=INVITE):
            await run.app.send("slack", announcements, Message(text="hello"))
        outbox = run.app.outbox
        [item_id] = await outbox.enqueue(_post(announcements, "Demo day is on Friday"))
        assert await outbox.send_now(item_id) == []
        assert _status(run, item_id) == "pending"
        assert len(told(space, "#announcements", INVITE)) == 1
        fake.set_member(announcements, fake.bot_user_id, True)
        await run.advance(timedelta(minutes=2))
        await wait_for(lambda: bot_posts(fake, announcements))
    assert [m["text"] for m in bot_posts(fake, announcements)] == ["Demo day is on Friday"]
    assert len(told(space, "#announcements", INVITE)) == 1


def _post(channel_id: str, text: str) -> Announcement:
    """A literal post for a channel, as a feature enqueues one."""
    return Announcement(
        "test", NOTICE, None, "slack", channel_id, label="a test post",
        payload=message_payload(Message(text=text)),
    )  # fmt: skip


def _status(run: Running, item_id: int) -> str:
    with run.app.store.session() as session:
        return session.exec(select(OutboxItem.status).where(OutboxItem.id == item_id)).one()
