"""Images and files reach Discord as multipart attachments."""

from __future__ import annotations

import json
from pathlib import Path

from tests.adapters.discord.harness import Guild, bot_posts, buttons, open_poll, steward
from tests.fakes.discord_server import wait_for


async def test_a_poll_results_chart_is_sent_as_a_png_attachment(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config):
        post, _ = await open_poll(guild, "bob", "general", "Tea?", "yes | no")
        voted = await fake.click(bob, general, post["id"], buttons(post)["yes · 0"])
        await voted.answered()
        closed = await fake.slash(bob, general, "poll", {"id": 1}, subcommand="close")
        await closed.answered()
        await wait_for(lambda: len(bot_posts(fake, general)) == 2)

    def uploads() -> list:
        return [
            r
            for r in fake.requests
            if r.method == "POST" and r.path == f"/channels/{general}/messages" and r.files
        ]

    [upload] = uploads()
    [(filename, content_type, data)] = upload.files
    assert filename == "poll-1-results.png"
    assert data.startswith(b"\x89PNG")
    assert content_type in ("image/png", "application/octet-stream")
    results = bot_posts(fake, general)[1]
    assert results["attachments"][0]["filename"] == "poll-1-results.png"


async def test_a_private_export_arrives_as_an_ephemeral_json_file(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        await fake.post(general, bob, "something about me")
        await wait_for(lambda: running.count("message", bob) == 1)
        asked = await fake.slash(bob, general, "privacy", {}, subcommand="export")
        await asked.answered()
        await fake.wait_request("POST", rf"/(interactions/{asked.id}|webhooks/\d+/{asked.token})")

    def answers() -> list:
        return [r for r in fake.requests if asked.token in r.path and r.files]

    [answer] = await wait_for(answers)
    [(filename, _, data)] = answer.files
    assert filename.endswith(".json")
    exported = json.loads(data)
    assert bob in json.dumps(exported)
    body = answer.json.get("data", answer.json) if isinstance(answer.json, dict) else {}
    assert int(body.get("flags") or 0) & 64
