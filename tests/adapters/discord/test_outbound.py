"""What Steward posts on Discord: long text split within Discord's limits, buttons in rows
of five, a rate limit waited out (the post is not dropped), private words by DM."""

from __future__ import annotations

from pathlib import Path

from bot.core.envelope import Destination
from bot.core.messages import Button, Message, Section
from tests.adapters.discord.harness import Guild, bot_posts, steward


async def test_long_text_is_split_within_2000_characters_and_embeds_within_4096(
    guild: Guild, config: Path
) -> None:
    fake, general = guild.fake, guild.channel("general")
    paragraph = "Steward keeps every post. " * 30  # 780 characters
    text = "\n\n".join([paragraph] * 6)
    long_section = Section(title="Notes", text="\n\n".join([paragraph] * 8))
    async with steward(config) as running:
        await running.app.send("discord", general, Message(text=text, sections=(long_section,)))
    posts = bot_posts(fake, general)
    assert len(posts) >= 3
    assert all(len(p.get("content") or "") <= 2000 for p in posts)
    assert all(len(e.get("description") or "") <= 4096 for p in posts for e in p["embeds"])
    sent = "".join(p.get("content") or "" for p in posts).replace("\n", "")
    assert sent.count("Steward keeps every post.") == 6 * 30
    described = "".join(e.get("description") or "" for p in posts for e in p["embeds"])
    assert described.replace("\n", "").count("Steward keeps every post.") == 8 * 30
    assert next(e.get("title") for p in posts for e in p["embeds"]) == "Notes"


async def test_25_buttons_go_in_five_rows_of_five(guild: Guild, config: Path) -> None:
    fake, general = guild.fake, guild.channel("general")
    many = tuple(Button(f"option {n}", f"test:{n}") for n in range(25))
    async with steward(config) as running:
        await running.app.send("discord", general, Message(text="pick", buttons=many))
    [post] = bot_posts(fake, general)
    rows = post["components"]
    assert [len(row["components"]) for row in rows] == [5, 5, 5, 5, 5]
    assert [b["custom_id"] for row in rows for b in row["components"]] == [
        f"test:{n}" for n in range(25)
    ]


async def test_a_rate_limited_post_is_retried_and_arrives_once(guild: Guild, config: Path):
    fake, general = guild.fake, guild.channel("general")
    async with steward(config) as running:
        fake.fail_next("POST", rf"^/channels/{general}/messages$", status=429, times=2)
        await running.app.send("discord", general, Message(text="still here"))
    posts = [p for p in bot_posts(fake, general) if p["content"] == "still here"]
    tries = [
        r for r in fake.requests if r.method == "POST" and r.path.endswith(f"{general}/messages")
    ]
    assert len(posts) == 1
    assert len(tries) == 3


async def test_a_private_word_without_an_interaction_is_a_direct_message(
    guild: Guild, config: Path
) -> None:
    fake, bob = guild.fake, guild.member("bob")
    async with steward(config) as running:
        adapter = running.adapter
        where = Destination("discord", guild.channel("general")).privately(bob)
        sent = await adapter.send(where, Message(text="only for you"))
    assert sent.channel_id in fake.dm_channels
    assert [m["content"] for m in fake.messages[sent.channel_id]] == ["only for you"]
    assert not bot_posts(fake, guild.channel("general"))
