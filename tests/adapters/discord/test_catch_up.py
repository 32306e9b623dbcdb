"""Nothing lost across downtime: messages posted while Steward was stopped are recorded."""

from __future__ import annotations

from pathlib import Path

from tests.adapters.discord.harness import Guild, steward
from tests.fakes.discord_server import wait_for


async def test_messages_posted_while_stopped_are_found_by_the_catch_up(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        first = await fake.post(general, bob, "before the restart")
        await wait_for(lambda: running.count("message") == 1)
    missed = [await fake.post(general, bob, f"while away {n}") for n in range(3)]
    await fake.post(general, guild.member("carol"), "a reply while away", reply_to=missed[0])
    async with steward(config) as running:
        await wait_for(lambda: running.count("message", bob) == 4)
        await wait_for(lambda: running.count("reply") == 1)
        history = [r for r in fake.requests if r.method == "GET" and "/messages" in r.path]
        assert any(r.query.get("after") == first for r in history)
    async with steward(config) as running:
        assert running.count("message") == 4  # read again: nothing recorded twice


async def test_the_catch_up_reads_every_page_and_the_active_threads(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    carol = guild.member("carol")
    async with steward(config) as running:
        start = await fake.post(general, bob, "where it starts")
        thread = await fake.create_thread(general, "Planning", starter_message_id=start)
        await fake.post(thread, carol, "in the thread")
        await wait_for(lambda: running.count("message", carol) == 1)
    for n in range(230):  # three pages of 100
        await fake.post(general, bob, f"busy day {n}")
    await fake.post(thread, carol, "in the thread while away")
    async with steward(config) as running:
        assert running.count("message", bob) == 231
        assert running.count("message", carol) == 2
    pages = [
        r for r in fake.requests if r.method == "GET" and r.path == f"/channels/{general}/messages"
    ]
    assert len(pages) >= 3


async def test_a_failed_catch_up_is_made_good_at_the_next_start(guild: Guild, config: Path):
    fake, general, bob = guild.fake, guild.channel("general"), guild.member("bob")
    async with steward(config) as running:
        first = await fake.post(general, bob, "before the restart")
        await wait_for(lambda: running.count("message") == 1)
    for n in range(2):
        await fake.post(general, bob, f"while away {n}")
    fake.fail_next("GET", rf"^/channels/{general}/messages$", status=429, times=5, retry_after=0)
    async with steward(config) as running:  # rate-limited past discord.py's retries
        assert running.count("message", bob) == 1
        live = await fake.post(general, guild.member("carol"), "a live one after the failure")
        await wait_for(lambda: running.count("message") == 2)
    fake.requests.clear()
    async with steward(config) as running:
        assert running.count("message", bob) == 3
        assert running.count("message") == 4
    history = [r for r in fake.requests if r.method == "GET" and "/messages" in r.path]
    assert history[0].query.get("after") == first
    fake.requests.clear()
    async with steward(config) as running:
        assert running.count("message") == 4
    history = [r for r in fake.requests if r.method == "GET" and "/messages" in r.path]
    assert history[0].query.get("after") == live  # caught up: it starts at the newest again
