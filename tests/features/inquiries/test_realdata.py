"""The inquiry tracker on a real Slack workspace: its figures equal those computed from the
raw JSON.

The shared export (`../shared/realdata/10academy-slack`: 20,000 messages, Aug 2022 – Jan 2023)
is replayed in time order across its 39 channels, every channel a help channel. Each message
becomes a neutral event through the Slack adapter's own translator (the path a live message
takes; it parses the mentions), and the virtual clock is set to its time before it is handed
over. The number of inquiries, how many were answered, and the median and p90 time to a first
answer by another member, read from the `Inquiry` rows, must equal those that
`realdata.expected_inquiries` computes from the raw JSON, to the microsecond.

The replay calls the tracker's listener (`InquiryTracker.on_event`) directly, not
`app.handle`: through `app.handle` every event is also committed to the interaction log and
passed to every other feature, 0.5-1 ms an event (10 s of CPU, 20 s on a busy two-core
machine, for the replay). The listener alone takes about 4 s of CPU, nearly all of it the
tracker's own 3,300 transactions (an inquiry opened, a line joined, a first answer).
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import Directory
from adapters.slack.inbound import Translator
from bot.bootstrap import build_app
from bot.core.clock import VirtualClock
from bot.core.config import InquiriesConfig
from bot.core.context import EventContext
from bot.core.events import ChannelRef, InboundEvent
from bot.features.inquiries import tracker_of
from bot.features.inquiries.stats import percentile
from bot.features.inquiries.store import Inquiry
from bot.store.database import Store
from bot.text.durations import format_duration
from tests.conftest import make_settings
from tests.features.inquiries.realdata import EXPORT, Export, expected_inquiries, load_export
from tests.features.inquiries.support import inquiries
from tests.recording import RecordingAdapter

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

Figures = tuple[int, int, float | None, float | None]  # inquiries, answered, median, p90 (s)
Answers = dict[tuple[str, str], float | None]  # by (channel id, question ts): seconds, or None


def figures(answers: Answers) -> Figures:
    seconds = [s for s in answers.values() if s is not None]
    return len(answers), len(seconds), percentile(seconds, 0.5), percentile(seconds, 0.9)


def shown(found: Figures) -> str:
    count, answered, *times = found
    median, p90 = (
        "-" if s is None else f"{s:.6f}s ({format_duration(timedelta(seconds=s))})" for s in times
    )
    return f"{count} inquiries, {answered} answered, median {median}, p90 {p90}"


# ---- the replay ---------------------------------------------------------------------------
def translator(export: Export) -> Translator:
    """The Slack adapter's translator, knowing the export's people and channels (users.json
    and channels.json have the shapes of users.list and conversations.list)."""
    directory = Directory(AsyncWebClient())
    for user in export.users:
        directory.remember_person(user)
    for channel in export.channels:
        directory.remember_place(channel)
    return Translator(directory)


def events_of(export: Export) -> list[InboundEvent]:
    """The export's messages as the Slack adapter hands them to the core (joins are none)."""
    slack = translator(export)
    return [e for where, raw in export.messages if (e := slack.posted(where, raw)) is not None]


def workspace(export: Export) -> RecordingAdapter:
    """A recording adapter on `slack` whose channels are the export's, by their Slack ids."""
    adapter = RecordingAdapter(names=(), admin_channel="", platform="slack")
    adapter.channels = {c["id"]: ChannelRef("slack", c["id"], c["name"]) for c in export.channels}
    adapter.names = tuple(c["name"] for c in export.channels)
    return adapter


async def replay(db_url: str, export: Export, events: list[InboundEvent]) -> tuple[Answers, float]:
    """Each event to the tracker at its own time; the answers it stored, and the seconds the
    replay took."""
    help_channels = tuple(channel["id"] for channel in export.channels)
    settings = make_settings(db_url, inquiries=InquiriesConfig(help_channels=help_channels))
    clock = VirtualClock(events[0].at)
    app = build_app(settings, clock, Store.open(db_url))
    app.add_adapter(workspace(export))
    await app.start()
    try:
        listener = tracker_of(app).on_event
        started = time.perf_counter()
        for event in events:
            clock.set(event.at)
            await listener(EventContext(app, event))
        took = time.perf_counter() - started
        rows = inquiries(app)
    finally:
        await app.stop()
        app.store.close()
    return {(row.channel_id, row.message_id): _seconds(row) for row in rows}, took


def _seconds(row: Inquiry) -> float | None:
    if row.first_response_at is None:
        return None
    return (row.first_response_at - row.asked_at).total_seconds()


# ---- the test -----------------------------------------------------------------------------
@pytest.mark.skipif(
    not (EXPORT / "channels.json").exists(), reason=f"the shared Slack export is absent: {EXPORT}"
)
async def test_replayed_inquiries_equal_those_computed_from_the_raw_json(db_url: str) -> None:
    export = load_export()
    events = events_of(export)
    expected = {(i.channel_id, i.lines[0]): i.seconds for i in expected_inquiries(export)}
    tracked, took = await replay(db_url, export, events)
    print(f"\n{len(events)} events replayed through the tracker in {took:.2f}s")
    print(f"tracker:  {shown(figures(tracked))}")
    print(f"raw JSON: {shown(figures(expected))}")
    assert figures(expected)[1] > 1000  # the computation found what there is to compare
    differing = sorted(
        (key, tracked.get(key, "no inquiry"), expected.get(key, "no inquiry"))
        for key in tracked.keys() | expected.keys()
        if tracked.get(key, "no inquiry") != expected.get(key, "no inquiry")
    )
    assert figures(tracked) == figures(expected), f"(channel, ts), tracker, raw: {differing[:10]}"
    assert not differing


# ---- the computation it is checked against ----------------------------------------------------
def _message(ts: int, user: str, text: str, **fields: object) -> dict:
    return {"type": "message", "ts": f"1700000{ts:03d}.000100", "user": user, "text": text} | fields


async def test_the_computation_from_raw_json_follows_the_rules(db_url: str) -> None:
    """Follow-ups within two minutes (inclusive) join, a broadcast reply answers in its thread,
    a lower-cased mention answers, the asker and bots never do, a share's comment asks and
    answers like a post; the replay finds the same."""
    line_1, line_2 = "1700000000.000100", "1700000120.000100"
    messages = [
        _message(0, "U1", "how do i install it?"),
        _message(120, "U1", "on linux, i mean"),  # two minutes after: joins
        _message(130, "U1", "anyone?", thread_ts=line_2),  # the asker: no answer
        _message(140, "U9", "i am a bot. what?", thread_ts=line_2),  # a bot: no answer
        _message(150, "U2", "joined", subtype="channel_join"),
        _message(200, "U2", "pip install it", thread_ts=line_2, subtype="thread_broadcast"),
        _message(300, "U3", "what time is it?"),
        _message(421, "U3", "and where is it?"),  # 2m 1s after: a question of its own
        _message(450, "U2", "<@u3> noon", attachments=[{"is_share": True, "ts": line_1}]),
        _message(500, "U2", "<@u3|dee> at noon, in the hall"),
        _message(600, "U4", "does it work?", attachments=[{"is_share": True, "ts": line_1}]),
    ]
    users = ({"id": f"U{n}"} for n in range(1, 5))
    people = (*users, {"id": "U9", "is_bot": True})
    export = Export(people, ({"id": "C1", "name": "help"},), tuple(("C1", m) for m in messages))
    found = [(i.asker, i.lines, i.seconds) for i in expected_inquiries(export)]
    what_time, and_where = messages[6]["ts"], messages[7]["ts"]
    assert found == [
        ("U1", [line_1, line_2], 200),
        ("U3", [what_time], 150),  # the share mentioning dee at 450 answers
        ("U3", [and_where], 29),
        ("U4", [messages[10]["ts"]], None),  # a share's comment asks
    ]
    tracked, _ = await replay(db_url, export, events_of(export))
    assert tracked == {("C1", ts): seconds for _, [ts, *_], seconds in found}
