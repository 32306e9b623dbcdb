"""The shared real Slack export imported as `steward import slack` imports it: what is
recorded equals what the raw JSON holds, the inquiries derived from the imported history equal
those computed from the raw JSON, and importing it again adds nothing.

The export (`../shared/realdata/10academy-slack`, 20,000 messages, Aug 2022 – Jan 2023) goes
through `open_export` and `HistoryImport` into a fresh database, every channel a help channel,
on a started app. Its clock is virtual, fixed at START (2026), after all the history, as a
wall clock is when a community imports its past: every question is older than a week, so
none alerts, and nothing depends on the day the test runs. (The tracker reads the book as of
min(now, the event's time), so the clock's own time changes nothing else.)

Each figure is checked against `realdata_counts`, a count of the raw JSON with plain `json`,
and the inquiries against `realdata.expected_inquiries`, both written without the adapter's
or the tracker's code.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.bootstrap import build_app, open_export
from bot.core.clock import VirtualClock
from bot.core.config import InquiriesConfig
from bot.core.history_import import HistoryImport
from bot.core.import_summary import ImportSummary
from bot.features.inquiries.stats import percentile
from bot.features.inquiries.store import Inquiry
from bot.store.database import Store
from bot.store.models import Channel, Interaction, Member
from tests.conftest import START, make_settings
from tests.features.inquiries.realdata import EXPORT, expected_inquiries, load_export
from tests.features.inquiries.realdata_counts import Message, RawCounts, count_export
from tests.features.inquiries.support import inquiries
from tests.features.inquiries.test_realdata import Answers, figures, shown

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (EXPORT / "channels.json").exists(),
        reason=f"the shared Slack export is absent: {EXPORT}",
    ),
]
TABLES = (Interaction, Member, Channel, Inquiry)
POSTS = ("message", "message_shared")  # top-level posts: what a thread can start from


# ---- reading the store ------------------------------------------------------------------------
def kinds(session) -> dict[str, int]:
    """The interaction log's rows, counted by kind."""
    found = session.exec(select(Interaction.kind, func.count()).group_by(Interaction.kind))
    return {kind: count for kind, count in found}


def member_ids(session) -> set[str]:
    return set(session.exec(select(Member.platform_user_id)))


def rows_per_table(session) -> dict[str, int]:
    return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in TABLES}


def first_answers(session) -> dict[Message, float]:
    """Seconds from each thread root to its first reply by another member, from the log."""
    columns = (Channel.platform_channel_id, Interaction.member_id, Interaction.created_at)
    log = select(*columns).join(Channel, Channel.id == Interaction.channel_id)
    posts = log.add_columns(Interaction.message_id).where(Interaction.kind.in_(POSTS))
    roots: dict[Message, tuple[int, datetime]] = {
        (channel, ts): (member, at) for channel, member, at, ts in session.exec(posts)
    }
    first: dict[Message, datetime] = {}
    replies = log.add_columns(Interaction.parent_message_id).where(Interaction.kind == "reply")
    for channel, member, at, parent in session.exec(replies):
        key = (channel, parent)
        root = roots.get(key)
        if root is not None and member != root[0] and (key not in first or at < first[key]):
            first[key] = at
    return {key: (at - roots[key][1]).total_seconds() for key, at in first.items()}


def seconds(row: Inquiry) -> float | None:
    if row.first_response_at is None:
        return None
    return (row.first_response_at - row.asked_at).total_seconds()


# ---- the import ---------------------------------------------------------------------------------
async def imported(db_url: str) -> tuple[ImportSummary, Answers, dict]:
    """Import the export on a fresh app: its summary, the inquiries' answers by (channel,
    question ts), and what the store holds (kinds, members, first answers, rows per table)."""
    help_channels = tuple(channel_ids())
    settings = make_settings(db_url, inquiries=InquiriesConfig(help_channels=help_channels))
    app = build_app(settings, VirtualClock(START), Store.open(db_url))
    await app.start()
    try:
        summary = await HistoryImport(app, open_export("slack", [EXPORT], settings)).run()
        answers = {(row.channel_id, row.message_id): seconds(row) for row in inquiries(app)}
        store = app.store.call(
            lambda s: {
                "kinds": kinds(s),
                "members": member_ids(s),
                "first answers": first_answers(s),
                "rows": rows_per_table(s),
            }
        )
    finally:
        await app.stop()
        app.store.close()
    return summary, answers, store


def channel_ids() -> list[str]:
    """Every channel of the export, by id."""
    return [channel["id"] for channel in json.loads((EXPORT / "channels.json").read_text())]


def waits(answers: dict[Message, float]) -> str:
    values = list(answers.values())
    median, p90 = percentile(values, 0.5), percentile(values, 0.9)
    return f"{len(values)} roots answered by another, median {median:.6f}s, p90 {p90:.6f}s"


def differing(found: dict, expected: dict) -> list:
    """The keys whose values differ, with both (the first ten)."""
    keys = sorted(found.keys() | expected.keys())
    return [(k, found.get(k), expected.get(k)) for k in keys if found.get(k) != expected.get(k)][
        :10
    ]


# ---- the test -----------------------------------------------------------------------------------
async def test_the_imported_export_holds_what_its_raw_json_holds(db_url: str) -> None:
    started = time.perf_counter()
    raw: RawCounts = count_export(EXPORT)
    expected = {(i.channel_id, i.lines[0]): i.seconds for i in expected_inquiries(load_export())}
    counted = time.perf_counter() - started
    summary, answers, store = await imported(db_url)
    print(f"\nraw JSON counted in {counted:.2f}s; imported in {summary.seconds:.2f}s")
    print(f"log:      {store['kinds']}, {len(store['members'])} members")
    print(f"raw JSON: {raw.counts()}, {len(raw.members)} members")
    print(f"log first replies:      {waits(store['first answers'])}")
    print(f"raw JSON first replies: {waits(raw.first_answers())}")
    print(f"tracker:  {shown(figures(answers))}")
    print(f"raw JSON: {shown(figures(expected))}")

    assert len(summary.imported) == summary.files and not summary.failed
    assert summary.repeats == 0  # a fresh database: nothing in it before
    assert store["rows"]["Channel"] == len(channel_ids())
    assert store["kinds"] == raw.counts()
    assert store["members"] == raw.members, differing(
        dict.fromkeys(store["members"]), dict.fromkeys(raw.members)
    )
    assert figures(expected)[1] > 1000  # the computations found what there is to compare
    assert len(raw.first_answers()) > 1000
    assert store["first answers"] == raw.first_answers(), differing(
        store["first answers"], raw.first_answers()
    )
    assert figures(answers) == figures(expected), differing(answers, expected)
    assert answers == expected

    again, _, after = await imported(db_url)
    print(f"again: {again.events} new, {again.repeats} repeats in {again.seconds:.2f}s")
    assert again.events == 0
    assert again.repeats == summary.events
    assert after["rows"] == store["rows"]
