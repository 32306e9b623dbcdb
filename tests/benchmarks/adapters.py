"""The adapters at a steady 500 events/s: Steward started as `steward run` starts it (the real
slack-bolt or discord.py adapter) against the local fake Slack or Discord, in this process.

- Slack: `adapter_events` signed Events API `message` POSTs to Steward's HTTP endpoint, paced
  by wall time; each POST's time to its 200 (bolt's ack), then the rows in the interaction
  table. Baseline: the same POSTs to an aiohttp handler that reads the body and answers 200
  (the HTTP floor of this machine and loop).
- Discord: the fake gateway dispatches as many MESSAGE_CREATE; each event's time from its
  dispatch to its row committed. Baseline: the same dispatches to a plain discord.py client
  whose `on_message` only notes the time (the library floor).

Latencies run from when a send was due, not when it went out: the sender shares the loop,
so a stall that delays a send counts, as it would for Slack or Discord waiting on a socket.
A row's commit is seen by a listener the core calls once its batch is committed (after the
inquiry tracker's, which for posts outside the help channels reads the database only at the
first event and once a minute). Recorded rates run from the first send to the last commit.
The rows stored must equal the events sent. What a run needs (bodies, messages) is built,
and the setup's garbage collected, before its first send: the fake's own objects would
otherwise bring on full collections that Steward alone would not have.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import discord
from aiohttp import web

from adapters.discord.endpoints import point_at
from adapters.slack.manifest import EVENTS_PATH
from bot.core.app import Steward
from bot.core.context import EventContext
from bot.core.events import MessagePosted
from tests.adapters import running
from tests.adapters.discord import harness as discord_harness
from tests.adapters.slack import harness as slack_harness
from tests.bench import BenchRow, Sizes, Target, percentile
from tests.benchmarks.community import migrated_copy
from tests.fakes.discord_server import FakeDiscord
from tests.fakes.slack_server import FakeSlack

RATE = 500  # events/s offered, on the wall clock
TARGET_MS = 50  # p99 (Slack and Discord give 3 s)
PEOPLE = 20  # members posting, besides bob, carol and dave
LIMIT = 120  # seconds at most for every event to be recorded
POSTERS = ("bob", "carol", "dave", *(f"member{n:02}" for n in range(PEOPLE)))
PLACES = ("general", "random")  # no help channel: no inquiries to track


@dataclass
class Run:
    """One paced run: when it started; for each event (by message id) when it was due and
    when it was seen done (recorded, answered or handed to `on_message`); Slack's acks."""

    started: float
    due: dict[str, float]
    seen: dict[str, float]
    acks: list[float] = field(default_factory=list)  # seconds from due to the 200
    own_acks: list[float] = field(default_factory=list)  # from the POST's own start
    collections: list[tuple[int, float]] = field(default_factory=list)  # (generation, s)

    def rate(self) -> float:
        """Events a second from the first send to the last one seen done."""
        return len(self.seen) / (max(self.seen.values()) - self.started)

    def latencies(self, what: str) -> list[float]:
        """Seconds from each event's due time to when it was seen done; AssertionError if
        one never was."""
        missing = [key for key in self.due if key not in self.seen]
        if missing or len(self.seen) != len(self.due):
            raise AssertionError(f"{what}: {len(missing)} of {len(self.due)} events not seen")
        return [self.seen[key] - due for key, due in self.due.items()]


def ms(samples: list[float], q: float) -> float:
    return round(percentile(samples, q) * 1000, 2)


def pauses(run: Run) -> dict[str, object]:
    """The garbage collector's part: its full collections in the run, its longest pause."""
    longest = max((seconds for _, seconds in run.collections), default=0.0)
    return {
        "full collections": sum(generation == 2 for generation, _ in run.collections),
        "longest collection ms": round(longest * 1000, 2),
    }


async def paced(run: Run, count: int, send: Callable[[int, float], Awaitable[None]]) -> None:
    """Start `send(k, due)` as its own task when it falls due (`start + k / RATE` on the wall
    clock), then wait for every send; the start is `run.started`. What was built for the run
    is collected first, so no collection of the setup's garbage falls in it; the garbage
    collector's pauses during the run are noted in `run.collections`."""
    gc.collect()
    with collections_in(run.collections):
        run.started = start = time.perf_counter()
        tasks = []
        for k in range(count):
            due = start + k / RATE
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(send(k, due)))
        await asyncio.gather(*tasks)


@contextlib.contextmanager
def collections_in(noted: list[tuple[int, float]]) -> Iterator[None]:
    """Note each garbage collection while the block runs: (generation, seconds)."""
    began = [0.0]

    def note(phase: str, info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            noted.append((info["generation"], time.perf_counter() - began[0]))

    gc.callbacks.append(note)
    try:
        yield
    finally:
        gc.callbacks.remove(note)


def noting(times: dict[str, float]) -> Callable[[Steward], None]:
    """A `prepare` that notes when each post's row was committed (by message id)."""

    async def note(context: EventContext) -> None:
        if isinstance(context.event, MessagePosted):
            times[context.event.message_id] = time.perf_counter()

    return lambda app: app.listen(note)


async def recorded(run: running.Running, ours: Run, count: int, what: str) -> None:
    """Wait until the `count` events sent are committed (each listener call noted, the rows
    in the interaction table): exactly one `message` row for each, else AssertionError."""
    with contextlib.suppress(TimeoutError):
        await running.wait_for(
            lambda: len(ours.seen) >= len(ours.due) and run.count("message") >= count, LIMIT
        )
    stored = run.count("message")
    if stored != count:
        raise AssertionError(f"{what}: {stored} message rows recorded for {count} events sent")


# ---- Slack ---------------------------------------------------------------------------------
def slack_workspace(fake: FakeSlack) -> slack_harness.Workspace:
    space = slack_harness.populate(fake)
    space.people.update({name: fake.add_user(name) for name in POSTERS[3:]})
    space.channels["random"] = fake.add_channel("random")
    return space


def slack_bodies(space: slack_harness.Workspace, count: int) -> list[tuple[str, dict]]:
    """`count` event_callback envelopes of plain posts: (the message's ts, the body)."""
    fake, bodies = space.fake, []
    for k in range(count):
        ts = fake.next_ts()
        where = space.channel(PLACES[k % len(PLACES)])
        who = space.person(POSTERS[k % len(POSTERS)])
        bodies.append((ts, fake.event(fake.message_event(where, who, f"hello {k}", ts))))
    return bodies


async def slack_posts(
    fake: FakeSlack, url: str, bodies: list[tuple[str, dict]], seen: dict[str, float] | None
) -> Run:
    """Every body POSTed to `url` at RATE, each answered 200 within Slack's 3 s (else an
    error); `seen`: where the server notes each event done (None: at its 200)."""
    answered: dict[str, float] = {}
    run = Run(0.0, {}, answered if seen is None else seen, [], [])

    async def post(k: int, due: float) -> None:
        ts, body = bodies[k]
        run.due[ts] = due
        answer = await fake.post_http(url, body, kind="event", timeout=3.0)
        if answer.status != 200:
            raise AssertionError(f"Slack event POST answered {answer.status}: {answer.text}")
        answered[ts] = time.perf_counter()
        run.acks.append(answered[ts] - due)
        run.own_acks.append(answer.elapsed)

    await paced(run, len(bodies), post)
    return run


@contextlib.asynccontextmanager
async def http_floor() -> AsyncIterator[str]:
    """An aiohttp server that reads each POST's body and answers 200 at once; its URL."""

    async def ok(request: web.Request) -> web.Response:
        await request.read()
        return web.Response()

    server = web.Application()
    server.router.add_post(EVENTS_PATH, ok)
    runner = web.AppRunner(server, handle_signals=False, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}{EVENTS_PATH}"
    finally:
        await runner.cleanup()


async def slack(sizes: Sizes, folder: Path) -> tuple[Run, Run]:
    """Steward's run (done: recorded) and the HTTP floor's (done: answered)."""
    count = sizes.adapter_events
    fake = FakeSlack()
    space = slack_workspace(fake)
    await fake.start()
    try:
        async with http_floor() as url:
            floor = await slack_posts(fake, url, slack_bodies(space, count), None)
        db = migrated_copy(sizes.cache, folder / "slack.db")
        config = slack_harness.write_config(folder / "slack.toml", space, db)
        committed: dict[str, float] = {}
        async with slack_harness.steward(config, noting(committed)) as run:
            url = slack_harness.endpoint(run)
            ours = await slack_posts(fake, url, slack_bodies(space, count), committed)
            await recorded(run, ours, count, "Slack")
        return ours, floor
    finally:
        await fake.stop()


# ---- Discord -------------------------------------------------------------------------------
def discord_guild(fake: FakeDiscord) -> discord_harness.Guild:
    guild = discord_harness.populate(fake)
    guild.members.update({name: fake.add_member(name) for name in POSTERS[3:]})
    guild.channels["random"] = fake.add_channel("random")
    return guild


async def dispatched(guild: discord_harness.Guild, count: int, seen: dict[str, float]) -> Run:
    """`count` members' posts (stored in the fake first), each dispatched as MESSAGE_CREATE
    when it falls due."""
    fake, run = guild.fake, Run(0.0, {}, seen)
    posts = []
    for k in range(count):
        where = guild.channel(PLACES[k % len(PLACES)])
        who = guild.member(POSTERS[k % len(POSTERS)])
        posts.append(fake.store_message(fake.build_message(where, who, f"hello {k}")))

    async def post(k: int, due: float) -> None:
        run.due[posts[k]["id"]] = due
        await fake.dispatch("MESSAGE_CREATE", posts[k])

    await paced(run, count, post)
    return run


class Floor(discord.Client):
    """discord.py and nothing else: `on_message` notes when each message reached it."""

    def __init__(self, seen: dict[str, float]) -> None:
        intents = discord.Intents(guilds=True, members=True, guild_messages=True)
        intents.message_content = True
        super().__init__(intents=intents, guild_ready_timeout=0.2)
        self.seen = seen

    async def on_message(self, message: discord.Message) -> None:
        self.seen[str(message.id)] = time.perf_counter()


async def library_floor(count: int) -> Run:
    """The same dispatches to a plain discord.py client on a fresh fake guild."""
    fake, seen = FakeDiscord(), {}
    guild = discord_guild(fake)
    await fake.start()
    client = Floor(seen)
    try:
        point_at(fake.api_base_url, fake.gateway_url)
        await client.login("fake-token")
        connecting = asyncio.create_task(client.connect(reconnect=False))
        await running.wait_for(lambda: client.is_ready() or connecting.done(), 15)
        if connecting.done():
            connecting.result()
        floor = await dispatched(guild, count, seen)
        await running.wait_for(lambda: len(seen) >= count, LIMIT)
        return floor
    finally:
        await client.close()
        await fake.stop()


async def discord_runs(sizes: Sizes, folder: Path) -> tuple[Run, Run]:
    """Steward's run (done: recorded) and discord.py's alone (done: in `on_message`)."""
    count = sizes.adapter_events
    with discord_harness.restored_endpoints():
        floor = await library_floor(count)
        fake = FakeDiscord()
        guild = discord_guild(fake)
        await fake.start()
        try:
            db = migrated_copy(sizes.cache, folder / "discord.db")
            config = discord_harness.write_config(folder / "discord.toml", fake, db)
            committed: dict[str, float] = {}
            async with discord_harness.steward(config, noting(committed)) as run:
                ours = await dispatched(guild, count, committed)
                await recorded(run, ours, count, "Discord")
            return ours, floor
        finally:
            await fake.stop()


# ---- the rows ------------------------------------------------------------------------------
def slack_rows(ours: Run, floor: Run, count: int) -> list[BenchRow]:
    to_row = ours.latencies("Slack")
    return [
        BenchRow(
            f"adapters: Slack event POSTs recorded, signed HTTP through slack-bolt "
            f"({count:,} at {RATE}/s)",
            ours.rate(),
            "events/s",
            "same POSTs to a bare aiohttp 200 handler, answered",
            floor.rate(),
            notes={
                "offered events/s": RATE,
                "POST due → row committed p99 ms": ms(to_row, 0.99),
                "POST due → row committed p50 ms": ms(to_row, 0.5),
            },
        ),
        BenchRow(
            "adapters: Slack event ack p99 (POST due → 200)",
            ms(ours.acks, 0.99),
            "ms",
            "bare aiohttp 200 handler p99",
            ms(floor.acks, 0.99),
            Target("<=", TARGET_MS, unit="ms"),
            notes={
                "p50 ms": ms(ours.acks, 0.5),
                "max ms": ms(ours.acks, 1.0),
                "p99 ms from the POST's own start": ms(ours.own_acks, 0.99),
                "baseline p50 ms": ms(floor.acks, 0.5),
                **pauses(ours),
                "baseline's longest collection ms": pauses(floor)["longest collection ms"],
            },
        ),
    ]


def discord_rows(ours: Run, floor: Run, count: int) -> list[BenchRow]:
    latencies, raw = ours.latencies("Discord"), floor.latencies("discord.py")
    return [
        BenchRow(
            f"adapters: Discord MESSAGE_CREATE recorded, gateway through discord.py "
            f"({count:,} at {RATE}/s)",
            ours.rate(),
            "events/s",
            "discord.py alone, no-op on_message",
            floor.rate(),
            notes={"offered events/s": RATE},
        ),
        BenchRow(
            "adapters: Discord dispatch-to-recorded p99 (MESSAGE_CREATE due → row committed)",
            ms(latencies, 0.99),
            "ms",
            "dispatch to a no-op on_message p99",
            ms(raw, 0.99),
            Target("<=", TARGET_MS, unit="ms"),
            notes={
                "p50 ms": ms(latencies, 0.5),
                "max ms": ms(latencies, 1.0),
                "baseline p50 ms": ms(raw, 0.5),
                **pauses(ours),
                "baseline's longest collection ms": pauses(floor)["longest collection ms"],
            },
        ),
    ]


def run(sizes: Sizes) -> list[BenchRow]:
    count = sizes.adapter_events
    with tempfile.TemporaryDirectory() as tmp:
        slack_ours, slack_floor = asyncio.run(slack(sizes, Path(tmp)))
        discord_ours, discord_floor = asyncio.run(discord_runs(sizes, Path(tmp)))
    return [
        *slack_rows(slack_ours, slack_floor, count),
        *discord_rows(discord_ours, discord_floor, count),
    ]
