"""A scheduled calendar post is published on Discord in its channel, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.adapters.discord.harness import Guild, bot_posts, shown_text, steward
from tests.fakes.discord_server import wait_for


async def test_a_post_scheduled_ahead_is_published_in_its_channel_exactly_once(
    guild: Guild, config: Path
) -> None:
    fake = guild.fake
    announcements = guild.channel("announcements")
    options = {
        "when": "+1h",
        "channel": announcements,
        "type": "article",
        "text": "Our roadmap for spring is out",
    }
    async with steward(config) as running:
        added = await fake.slash(
            guild.member("alice"), guild.channel("managers"), "calendar", options, subcommand="add"
        )
        await added.answered()
        managers = guild.channel("managers")
        await wait_for(
            lambda: [m for m in bot_posts(fake, managers) if "Scheduled" in shown_text(m)]
        )
        assert not bot_posts(fake, announcements)
        await running.advance(timedelta(minutes=61))
        posts = await wait_for(lambda: bot_posts(fake, announcements))
        await running.advance(timedelta(hours=2))
        await running.app.jobs.run_due()
    assert len(posts) == 1
    assert "Our roadmap for spring is out" in shown_text(posts[0])
    elsewhere = [
        m
        for channel, messages in fake.messages.items()
        if channel != announcements
        for m in messages
        if "roadmap for spring" in shown_text(m) and m["author"]["id"] == fake.bot_id
    ]
    assert all("heads-up" in shown_text(m).lower() or "in 15" in shown_text(m) for m in elsewhere)
