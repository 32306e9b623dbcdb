"""Starting on Slack: a refused token stops Steward with the one line `steward run` prints
(the token never shown); after SIGTERM and a restart an old poll button still counts; and
Slack beside Discord in one process."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.core.errors import StartupError
from tests.adapters import process, running
from tests.adapters.discord.harness import answer_fields, restored_endpoints
from tests.adapters.discord.harness import populate as populate_guild
from tests.adapters.discord.harness import write_config as discord_config
from tests.adapters.slack.harness import (
    Workspace,
    bot_posts,
    buttons,
    deliver,
    private_answers,
    steward,
    wait_for,
    write_config,
)
from tests.fakes.discord_server import FakeDiscord


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize(
    ("mode", "key", "token", "said"),
    [
        ("http", "bot_token", "xoxb-not-the-installed-token-4242",
         "Slack refused the bot token ([slack] bot_token or SLACK_BOT_TOKEN): invalid_auth"),
        ("socket", "app_token", "xapp-1-not-the-app-token-4242",
         "Slack refused the app-level token ([slack] app_token or SLACK_APP_TOKEN)"),
    ],
)  # fmt: skip
async def test_a_refused_token_stops_steward_with_one_line_that_never_shows_it(
    space: Workspace,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    key: str,
    token: str,
    said: str,
) -> None:
    """The StartupError `steward run` prints as its one line before exit 2 (the command line
    itself is tested with the Discord token and a bad config)."""
    db = tmp_path / "s.db"
    config = write_config(tmp_path / "steward.toml", space, db, mode, **{key: token})
    with pytest.raises(StartupError) as refused:
        async with steward(config):
            pass
    line = str(refused.value)
    assert line.startswith(said) and "\n" not in line
    assert token not in line and token not in caplog.text


async def test_an_old_poll_button_counts_after_sigterm_and_a_restart(
    space: Workspace, tmp_path: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    port = _free_port()
    config = write_config(tmp_path / "steward.toml", space, tmp_path / "s.db", port=port)
    url = f"http://127.0.0.1:{port}/slack/events"
    async with process.running(config, b"Slack: ready"):
        asked = 'create question:"Next meetup?" options:"march | april"'
        command = fake.command("/poll", asked, user_id=space.person("bob"), channel_id=general)
        await fake.post_http(url, command, kind="command")
        [poll] = await wait_for(lambda: bot_posts(fake, general), timeout=10)
    async with process.running(config, b"Slack: ready"):
        click = fake.block_actions(
            user_id=space.person("carol"), channel_id=general, message_ts=poll["ts"],
            action_id=buttons(poll)["march · 0"],
        )  # fmt: skip
        answer = await fake.post_http(url, click, kind="interactive")
        assert answer.status == 200
        await wait_for(lambda: "march · 1" in buttons(bot_posts(fake, general)[0]), timeout=10)
    [update] = [p for p in fake.called("chat.update") if p["ts"] == poll["ts"]]
    assert update["channel"] == general


async def test_slack_and_discord_in_one_process_both_answer_stats_me(
    space: Workspace, tmp_path: Path
) -> None:
    slack, general, bob = space.fake, space.channel("general"), space.person("bob")
    discord = FakeDiscord()
    guild = populate_guild(discord)
    await discord.start()
    try:
        with restored_endpoints():
            config = _both(tmp_path, space, discord)
            async with running.steward(config, "slack") as run:
                other = run.app.adapters["discord"]
                await wait_for(lambda: other.settled.is_set(), timeout=15)
                ts = slack.add_message(general, bob, "hello from Slack")
                said = slack.event(slack.message_event(general, bob, "hello from Slack", ts))
                await deliver(run, slack, said, "event")
                await discord.post(guild.channel("general"), guild.member("bob"), "hi")
                await wait_for(lambda: run.count("message") == 2)
                asked = slack.command("/stats", "me", user_id=bob, channel_id=general)
                on_slack = await deliver(run, slack, asked, "command")
                on_discord = await discord.slash(
                    guild.member("bob"), guild.channel("general"), "stats", {}, subcommand="me"
                )
                await on_discord.wait(answer_fields)
                slack_answer = await wait_for(lambda: "\n".join(private_answers(slack, on_slack)))
    finally:
        await discord.stop()
    assert "*Messages*\n1 ·" in slack_answer, slack_answer
    assert answer_fields(on_discord)["Messages"].startswith("1 ·")


def _both(tmp_path: Path, space: Workspace, discord: FakeDiscord) -> Path:
    """One steward.toml with the [slack] and the [discord] sections, one database."""
    db = tmp_path / "s.db"
    slack_part = write_config(tmp_path / "slack.toml", space, db).read_text()
    discord_part = discord_config(tmp_path / "discord.toml", discord, db).read_text()
    section = discord_part[discord_part.index("[discord]") :]
    both = tmp_path / "steward.toml"
    both.write_text(slack_part + "\n" + section)
    return both
