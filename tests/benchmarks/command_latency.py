"""A poll vote click and `/calendar list` on the big `/stats me` store, through `Steward.handle`.

Each runs on the store's copy in an app of its own, one call awaited at a time, the first
WARM calls left out. A click is checked answered ("You voted for …") and at the end the poll's
message and its stored votes must show every click; each `/calendar list` must answer with the
agenda, not a refusal. The baselines, measured in the same run on the same tables: one raw
sqlite3 INSERT of a vote row and its commit per click; the raw SELECT of the posts the agenda
reads.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.core.app import Steward
from bot.core.envelope import Destination
from bot.core.events import ButtonPressed, ChannelRef, CommandInvoked, MemberRef
from bot.core.messages import Message, SentMessage
from bot.features.calendar.agenda import MAX_ENTRIES
from bot.features.calendar.posts import PostDraft, store_posts
from bot.store.database import Store
from tests.bench import BenchRow, Sizes, latency_rows
from tests.benchmarks.community import (
    CONTENT_TYPES,
    PLATFORM,
    Sink,
    close_app,
    connect_raw,
    open_app,
    people,
    sqlite_time,
    timed_command,
)
from tests.conftest import START

WARM = 5  # calls after start that are not measured
OPTIONS = ("A", "B", "C")
POSTS = 200  # scheduled over the next four weeks
REPEATS = ("", "weekly", "", "", "daily", "", "", "monthly", "", "weekdays")  # 4 in 10 repeat
AGENDA_DAYS = 14  # /calendar list's default
MANAGER = MemberRef(PLATFORM, "u0", "member0", is_manager=True)
MANAGERS = ChannelRef(PLATFORM, "managers", "managers", is_admin=True)
# the posts `read_agenda` reads
RAW_AGENDA = "SELECT * FROM calendarpost WHERE next_at < ? ORDER BY next_at, id LIMIT ?"
AGENDA = f"Calendar: the next {AGENDA_DAYS} days"  # how the answer starts


# ---- a poll vote click --------------------------------------------------------------------
@dataclass
class Keeping(Sink):
    """A Sink that also keeps the posts it made and their edits, latest last."""

    posts: list[tuple[SentMessage, Message]] = field(default_factory=list)

    async def send(self, to: Destination, message: Message) -> SentMessage:
        sent = await super().send(to, message)
        if to.private_to is None:
            self.posts.append((sent, message))
        return sent

    async def update(self, sent: SentMessage, message: Message) -> None:
        self.posts.append((sent, message))


class Answers:
    """A responder that keeps what the click was answered."""

    def __init__(self) -> None:
        self.said: list[str] = []

    async def defer(self) -> None: ...

    async def respond(self, message: Message) -> None:
        self.said.append(message.text)

    async def open_form(self, form) -> None:
        raise AssertionError(f"a vote click opened the form {form.form_id!r}")

    async def finish(self) -> None: ...


async def _open_poll(app: Steward, sink: Keeping, author: MemberRef, channel: ChannelRef):
    """A member's `/poll create`; the poll's message as posted."""
    question = "Which slot suits the next community call?"
    options = {"question": question, "options": " | ".join(OPTIONS)}
    event = CommandInvoked(
        event_id="poll-create",
        member=author,
        channel=channel,
        at=START,
        name="poll create",
        options=options,
    )
    await app.handle(event)
    polls = [(sent, message) for sent, message in sink.posts if message.tag == "poll"]
    if len(polls) != 1 or len(polls[0][1].buttons) != len(OPTIONS):
        raise AssertionError(f"/poll create posted {polls}, said {sink.private[-1:]}")
    return polls[0]


async def _clicks(path: Path, voters: list[int]) -> tuple[list[float], int]:
    """Seconds for each click (by `voters`, in turn on each option) and the poll's id."""
    app, sink = await open_app(path, sink=Keeping())
    who = people(max(voters) + 1, 1)
    channel = who.channels[0]
    sent, poll = await _open_poll(app, sink, who.members[0], channel)
    timings = []
    for n, voter in enumerate(voters):
        event = ButtonPressed(
            event_id=f"click{n}",
            member=who.members[voter],
            channel=channel,
            at=START,
            message_id=sent.message_id,
            action_id=poll.buttons[n % len(OPTIONS)].action_id,
        )
        answers = Answers()
        start = time.perf_counter()
        await app.handle(event, answers)
        timings.append(time.perf_counter() - start)
        if len(answers.said) != 1 or not answers.said[0].startswith("You voted for"):
            raise AssertionError(f"click {n} was answered {answers.said}")
    await app.jobs.advance(timedelta(seconds=2))  # the coalesced edit falls due
    _check_message([m for s, m in sink.posts if s == sent][-1], len(voters))
    await close_app(app)
    return timings[WARM:], int(poll.buttons[0].action_id.split(":")[2])


def _cast(clicks: int) -> Counter[int]:
    return Counter(n % len(OPTIONS) for n in range(clicks))


def _check_message(message: Message, clicks: int) -> None:
    """The poll's message shows every click, as many on each option as were cast."""
    cast = _cast(clicks)
    want = [f"{option} · {cast[n]:,}" for n, option in enumerate(OPTIONS)]
    labels = [button.label for button in message.buttons]
    if labels != want:
        raise AssertionError(f"the poll shows {labels}, not the {clicks} clicks {want}")


def _check_votes(path: Path, poll_id: int, clicks: int) -> None:
    """The stored votes are the clicks, as many on each option as were cast."""
    db = sqlite3.connect(path)
    rows = db.execute(
        "SELECT option_index, count(*) FROM pollvote WHERE poll_id = ? GROUP BY option_index",
        (poll_id,),
    ).fetchall()
    db.close()
    if dict(rows) != dict(_cast(clicks)):
        raise AssertionError(f"poll {poll_id} stored {dict(rows)} for {clicks} clicks")


def _raw_votes(path: Path, poll_id: int, voters: list[int]) -> list[float]:
    """Seconds for each raw INSERT of one vote row and its commit (votes of their own)."""
    db = connect_raw(path)
    insert = (
        "INSERT INTO pollvote (poll_id, option_index, slot, member_id, voter_hash)"
        " VALUES (?, ?, 0, ?, ?)"
    )
    timings = []
    for n, voter in enumerate(voters):
        start = time.perf_counter()
        db.execute("BEGIN")
        db.execute(insert, (poll_id, n % len(OPTIONS), voter + 1, f"raw{n:060d}"))
        db.execute("COMMIT")
        timings.append(time.perf_counter() - start)
    db.close()
    return timings


def poll_click_rows(path: Path, sizes: Sizes, where: str) -> list[BenchRow]:
    """`stats_calls` different members click one poll's buttons, one click at a time."""
    voters = random.Random(4).sample(range(1, sizes.members), sizes.stats_calls + WARM)
    ours, poll_id = asyncio.run(_clicks(path, voters))
    _check_votes(path, poll_id, len(voters))
    raw = _raw_votes(path, poll_id, voters[WARM:])
    calls = f"{len(ours)} members click one poll"
    baseline = "raw INSERT of one vote row + commit"
    return latency_rows("poll vote click", where, calls, ours, baseline, raw, 10)


# ---- /calendar list -----------------------------------------------------------------------
def calendar_drafts(channels: list[ChannelRef]) -> list[PostDraft]:
    """POSTS posts over the next four weeks, in ten channels, four in ten repeating."""
    step = timedelta(days=28) / POSTS
    return [
        PostDraft(
            platform=PLATFORM,
            channel_id=channels[n % 10].channel_id,
            content_type=CONTENT_TYPES[n % len(CONTENT_TYPES)],
            title=f"Post {n}",
            text="What is coming up in the community this week.",
            link="",
            repeat=REPEATS[n % len(REPEATS)],
            timezone="UTC",
            starts_at=START + timedelta(hours=1) + step * n,
        )
        for n in range(POSTS)
    ]


def _store_calendar(path: Path, channels: list[ChannelRef]) -> None:
    store = Store.open(f"sqlite:///{path}", migrate=False)
    store.call(store_posts, calendar_drafts(channels), None, START, timedelta(minutes=15))
    store.close()


async def _agenda(path: Path, calls: int) -> list[float]:
    """Seconds for each `/calendar list` by a manager in the managers' channel."""
    app, sink = await open_app(path)
    timings = []
    for n in range(calls + WARM):
        elapsed, said = await timed_command(
            app, sink, f"agenda{n}", MANAGER, MANAGERS, "calendar list"
        )
        timings.append(elapsed)
        answer = said.plain_text() if said is not None else ""
        if not answer.startswith(AGENDA) or "Post 0" not in answer:
            raise AssertionError(f"/calendar list did not answer with the agenda: {answer!r}")
    await close_app(app)
    return timings[WARM:]


def _raw_agenda(path: Path, calls: int) -> list[float]:
    db = sqlite3.connect(path)
    bounds = (sqlite_time(START + timedelta(days=AGENDA_DAYS)), MAX_ENTRIES + 1)
    timings = []
    for _ in range(calls):
        start = time.perf_counter()
        db.execute(RAW_AGENDA, bounds).fetchall()
        timings.append(time.perf_counter() - start)
    db.close()
    return timings


def calendar_list_rows(path: Path, sizes: Sizes, where: str) -> list[BenchRow]:
    """A manager runs `/calendar list` `stats_calls` times with POSTS posts scheduled."""
    _store_calendar(path, people(1, sizes.channels).channels)
    ours = asyncio.run(_agenda(path, sizes.stats_calls))
    raw = _raw_agenda(path, sizes.stats_calls)
    calls = f"{len(ours)} calls by a manager, {POSTS} posts scheduled"
    baseline = "raw SELECT of the posts it reads"
    return latency_rows("/calendar list", where, calls, ours, baseline, raw, 10)
