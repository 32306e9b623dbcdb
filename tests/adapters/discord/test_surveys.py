"""A survey on Discord: Respond opens a modal as the first response; its submit is stored."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.discord.harness import Guild, answer_fields, bot_posts, buttons, steward
from tests.fakes.discord_server import wait_for


async def test_respond_opens_a_modal_and_its_submit_is_stored(guild: Guild, config: Path):
    fake, general, managers = guild.fake, guild.channel("general"), guild.channel("managers")
    alice, bob = guild.member("alice"), guild.member("bob")
    options = {
        "title": "Meetup feedback",
        "questions": "How was it (1-5) | What should we change",
        "channel": general,
    }
    async with steward(config):
        created = await fake.slash(alice, managers, "survey", options, subcommand="create")
        await created.answered()
        [post] = await wait_for(lambda: bot_posts(fake, general))
        clicked = await fake.click(bob, general, post["id"], buttons(post)["Respond"])
        first = await clicked.answered()
        assert first["type"] == 9  # a modal, as the first response
        form = first["data"]
        inputs = [
            item for row in form["components"] for item in row["components"] if item["type"] == 4
        ]
        assert [item["label"] for item in inputs] == ["How was it (1-5)", "What should we change"]
        assert len(form["title"]) <= 45
        values = {inputs[0]["custom_id"]: "4", inputs[1]["custom_id"]: "More pizza"}
        submitted = await fake.submit(bob, general, form["custom_id"], values)
        await submitted.answered()
        results = await fake.slash(alice, managers, "survey", {"id": 1}, subcommand="results")
        await results.wait(lambda r: "Responses" in answer_fields(r))
    assert answer_fields(results)["Responses"] == "1"
    assert any("4" in value for value in answer_fields(results).values())
