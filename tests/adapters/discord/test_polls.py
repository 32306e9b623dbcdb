"""A poll on Discord: the public message with one button per option, and live counts."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.discord.harness import (
    Guild,
    bot_posts,
    buttons,
    is_ephemeral,
    open_poll,
    shown_text,
    steward,
)
from tests.fakes.discord_server import wait_for


async def test_a_poll_gets_a_button_per_option_and_clicks_edit_its_counts(
    guild: Guild, config: Path
) -> None:
    fake, general = guild.fake, guild.channel("general")
    async with steward(config):
        post, create = await open_poll(
            guild, "bob", "general", "Pizza or pasta?", "pizza | pasta | salad"
        )
        assert post["content"] == "Pizza or pasta?"
        assert list(buttons(post)) == ["pizza · 0", "pasta · 0", "salad · 0"]
        assert all(is_ephemeral(body) for body in create.callbacks + create.followups)
        vote = buttons(post)
        clicks = [
            await fake.click(guild.member(name), general, post["id"], vote[label])
            for name, label in (("bob", "pizza · 0"), ("carol", "pizza · 0"), ("dave", "pasta · 0"))
        ]
        for click in clicks:
            await click.answered()

        def counted() -> bool:
            labels = list(buttons(bot_posts(fake, general)[0]))
            return labels == ["pizza · 2", "pasta · 1", "salad · 0"]

        await wait_for(counted, timeout=5)
        edits = [r for r in fake.requests if r.method == "PATCH" and post["id"] in r.path]
        assert 1 <= len(edits) <= 3
        assert "3 voters" in shown_text(bot_posts(fake, general)[0])
        confirmation = clicks[0].texts()
        assert any("You voted for pizza" in text for text in confirmation)
