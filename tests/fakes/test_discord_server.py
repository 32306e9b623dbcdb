"""Smoke tests: a real discord.py client against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator

import discord
import pytest
import yarl
from discord import app_commands

from tests.fakes import FakeDiscord, wait_for

INTENTS = discord.Intents.default() | discord.Intents(members=True, message_content=True)


class Bot(discord.Client):
    """A plain client, without the library's 5 s pause before identifying again."""

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        return None


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
        await fake.stop()


@contextlib.asynccontextmanager
async def running(fake: FakeDiscord, client: discord.Client | None = None) -> AsyncIterator:
    client = client or Bot(intents=INTENTS, guild_ready_timeout=0.05)
    task = asyncio.create_task(client.start("token"))
    try:
        await fake.wait_ready()
        await asyncio.wait_for(client.wait_until_ready(), 5)
        yield client
    finally:
        await client.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(task, 5)


async def test_client_sees_the_guild(fake: FakeDiscord) -> None:
    category = fake.add_channel("Events", type=4)
    news = fake.add_channel("news", type=0, parent_id=category)
    fake.add_channel("ideas", type=15)
    mods = fake.add_role("Mods", permissions=1 << 13)
    alice = fake.add_member("alice", roles=[mods])
    async with running(fake) as client:
        guild = client.get_guild(int(fake.guild_id))
        assert guild is not None and guild.get_channel(int(news)).category.id == int(category)
        assert {c.name for c in guild.channels} >= {"general", "Events", "news", "ideas"}
        assert guild.get_role(int(mods)).name == "Mods"
        assert guild.get_member(int(alice)).roles[-1].id == int(mods)
        assert client.user.id == int(fake.bot_id)
        assert fake.identify_payloads[0]["intents"] == INTENTS.value
        member = await guild.fetch_member(int(alice))
        assert member.name == "alice"
        assert sorted([m.name async for m in guild.fetch_members(limit=None)]) == [
            "alice",
            "steward",
        ]


async def test_sends_reach_the_fake(fake: FakeDiscord) -> None:
    async with running(fake) as client:
        channel = client.get_channel(int(fake.general_id))
        seen = asyncio.create_task(client.wait_for("message", check=lambda m: m.content == "hi"))
        sent = await channel.send("hi")
        assert (await asyncio.wait_for(seen, 5)).id == sent.id
        await channel.send("file", file=discord.File(io.BytesIO(b"a,b\n1,2\n"), "data.csv"))
        stored = fake.messages[fake.general_id]
        assert [m["content"] for m in stored] == ["hi", "file"]
        assert stored[1]["attachments"][0]["filename"] == "data.csv"
        assert fake.requests[-1].files == [("data.csv", "application/octet-stream", b"a,b\n1,2\n")]
        edited = await sent.edit(content="hi again")
        assert edited.content == "hi again" and stored[0]["content"] == "hi again"
        older = await fake.post(fake.general_id, fake.bot_id, "third")
        after = [m.content async for m in channel.history(after=sent, oldest_first=True)]
        assert after == ["file", "third"] and older


async def test_on_message_sees_a_member_post(fake: FakeDiscord) -> None:
    alice = fake.add_member("alice")
    async with running(fake) as client:
        got = asyncio.create_task(client.wait_for("message", check=lambda m: not m.author.bot))
        first = await fake.post(fake.general_id, alice, "hello there")
        message = await asyncio.wait_for(got, 5)
        assert message.content == "hello there" and message.author.name == "alice"
        assert message.created_at.year >= 2025
        got = asyncio.create_task(client.wait_for("message", check=lambda m: m.reference))
        await fake.post(fake.general_id, alice, "a reply", reply_to=first)
        reply = await asyncio.wait_for(got, 5)
        assert reply.reference.resolved.content == "hello there"
        reacted = asyncio.create_task(client.wait_for("raw_reaction_add"))
        await fake.react(fake.general_id, first, alice, "👍")
        assert str((await asyncio.wait_for(reacted, 5)).emoji) == "👍"


async def test_slash_commands_answer(fake: FakeDiscord) -> None:
    alice = fake.add_member("alice")
    client = Bot(intents=INTENTS, guild_ready_timeout=0.05)
    tree = app_commands.CommandTree(client)
    guild = discord.Object(int(fake.guild_id))
    poll = app_commands.Group(name="poll", description="Polls")

    @tree.command(name="ping", description="Ping", guild=guild)
    async def ping(interaction: discord.Interaction, count: int, who: discord.Member) -> None:
        await interaction.response.send_message(f"ok {count} {who.name}", ephemeral=True)

    @poll.command(name="create", description="Create")
    async def create(interaction: discord.Interaction, question: str) -> None:
        await interaction.response.defer()
        await interaction.followup.send(f"later: {question}")

    tree.add_command(poll, guild=guild)
    async with running(fake, client):
        await tree.sync(guild=guild)
        assert fake.command_syncs[0][0] == fake.guild_id
        seen = asyncio.create_task(client.wait_for("interaction"))
        record = await fake.slash(alice, fake.general_id, "ping", {"count": 3, "who": alice})
        answer = await record.answered()
        assert answer["type"] == 4 and answer["data"]["flags"] == 64
        assert record.texts() == ["ok 3 alice"]
        assert (await asyncio.wait_for(seen, 5)).user.id == int(alice)
        record = await fake.slash(
            alice, fake.general_id, "poll", {"question": "tea?"}, subcommand="create"
        )
        await record.wait(lambda r: r.followups)
        assert [c["type"] for c in record.callbacks] == [5]
        assert record.texts() == ["later: tea?"]
        assert fake.messages[fake.general_id][-1]["content"] == "later: tea?"


async def test_resume_and_identify_again(fake: FakeDiscord) -> None:
    alice = fake.add_member("alice")
    async with running(fake) as client:
        await fake.drop(resumable=True)
        await fake.wait_ready()
        assert fake.resumes == 1 and len(fake.identify_payloads) == 1
        got = asyncio.create_task(client.wait_for("message"))
        await fake.post(fake.general_id, alice, "after resume")
        assert (await asyncio.wait_for(got, 5)).content == "after resume"
        await fake.drop(resumable=False)
        await wait_for(lambda: len(fake.identify_payloads) == 2)
        await fake.wait_ready()
        assert fake.resumes == 1


async def test_rate_limit_is_retried(fake: FakeDiscord) -> None:
    async with running(fake) as client:
        fake.fail_next("POST", r"/channels/\d+/messages", 429)
        await client.get_channel(int(fake.general_id)).send("after a 429")
        posts = await fake.wait_request("POST", r"/channels/\d+/messages", count=2)
        assert len(posts) == 2
        assert fake.messages[fake.general_id][-1]["content"] == "after a 429"


async def test_disallowed_intent_is_refused(fake: FakeDiscord) -> None:
    fake.message_content_allowed = False
    client = Bot(intents=INTENTS)
    with pytest.raises(discord.PrivilegedIntentsRequired):
        await asyncio.wait_for(client.start("token"), 5)
    await client.close()
