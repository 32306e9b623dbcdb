"""A poll on Slack, over HTTP and Socket Mode: the Block Kit post with one button per
option, and live counts through chat.update."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.slack.harness import (
    Workspace,
    blocks_of,
    bot_posts,
    buttons,
    deliver,
    shown_text,
    steward,
    wait_for,
)


async def test_a_poll_gets_a_button_per_option_and_clicks_update_its_counts(
    space: Workspace, any_config: Path
) -> None:
    fake, general = space.fake, space.channel("general")
    async with steward(any_config) as run:
        asked = 'create question:"Pizza or pasta?" options:"pizza | pasta | salad"'
        command = fake.command("/poll", asked, user_id=space.person("bob"), channel_id=general)
        await deliver(run, fake, command, "command")
        posts = await wait_for(lambda: bot_posts(fake, general))
        post = posts[0]
        assert "Pizza or pasta?" in shown_text(post)
        vote = buttons(post)
        assert list(vote) == ["pizza · 0", "pasta · 0", "salad · 0"]
        for name, label in (("bob", "pizza · 0"), ("carol", "pizza · 0"), ("dave", "pasta · 0")):
            click = fake.block_actions(
                user_id=space.person(name), channel_id=general, message_ts=post["ts"],
                action_id=vote[label],
            )  # fmt: skip
            await deliver(run, fake, click, "interactive")

        def counted() -> bool:
            return list(buttons(bot_posts(fake, general)[0])) == [
                "pizza · 2",
                "pasta · 1",
                "salad · 0",
            ]

        await wait_for(counted, timeout=5)
        updates = fake.called("chat.update")
        assert 1 <= len(updates) <= 3
        assert all(blocks_of(params) for params in updates)
        assert "3 voters" in shown_text(bot_posts(fake, general)[0])
        private = [e for e in fake.ephemerals if "You voted for pizza" in str(e)]
        assert private, fake.ephemerals
