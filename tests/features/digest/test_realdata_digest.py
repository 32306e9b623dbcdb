"""The digest of the shared Slack export's busiest week, once imported as `steward import
slack` imports it, equals an independent count of that ISO week in its raw JSON.

The export (`../shared/realdata/10academy-slack`, Aug 2022 – Jan 2023) is imported once into a
fresh SQLite database; `realdata_week` counts the raw JSON with plain `json`, by the digest's
documented definitions, and picks the busiest week (most messages and replies) itself. The
week is checked in UTC and in America/New_York (a week's edges fall elsewhere), and so is the
New York week whose Sunday summer time ended (2022-W44, 169 hours long).
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.bootstrap import build_app, open_export
from bot.core.clock import VirtualClock
from bot.core.history_import import HistoryImport
from bot.features.digest import Week, WeekDigest, compute_digest, parse_week
from bot.store.database import Store
from tests.conftest import START, make_settings
from tests.features.digest.realdata_week import (
    RawHistory,
    WeekCounts,
    busiest_week,
    count_week,
    read_history,
)
from tests.features.inquiries.realdata import EXPORT

pytestmark = pytest.mark.skipif(
    not (EXPORT / "channels.json").exists(), reason=f"the shared Slack export is absent: {EXPORT}"
)
NEW_YORK = "America/New_York"
DST_WEEK = "2022-W44"  # in New York: Monday 31 Oct – Sunday 6 Nov 2022, summer time ended


@pytest.fixture(scope="module")
def history() -> RawHistory:
    return read_history(EXPORT)


@pytest.fixture(scope="module")
def imported_url(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    """A fresh database holding the whole export, imported once for the module."""
    path = tmp_path_factory.mktemp("realdata-digest") / "steward.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    asyncio.run(_import(url))
    return url


async def _import(url: str) -> None:
    settings = make_settings(url)
    app = build_app(settings, VirtualClock(START), Store.open(url))
    await app.start()
    try:
        summary = await HistoryImport(app, open_export("slack", [EXPORT], settings)).run()
    finally:
        await app.stop()
        app.store.close()
    assert len(summary.imported) == summary.files and not summary.failed


def digest_of(url: str, week: str, zone: str) -> WeekDigest:
    """`week`'s digest in `zone`, read from the imported store at START (years later)."""
    settings = make_settings(url, timezone=zone)
    chosen: Week = parse_week(week, START, ZoneInfo(zone))
    store = Store.open(url, migrate=False)
    try:
        return store.call(lambda session: compute_digest(session, chosen, settings, START))
    finally:
        store.close()


def shown(digest: WeekDigest) -> WeekCounts:
    """The digest's figures in the counter's shape (the one it cannot know: 0)."""
    members, activity = digest.members, digest.activity
    return WeekCounts(
        week=digest.week,
        messages=activity.messages,
        replies=activity.replies,
        reactions=activity.reactions,
        shares=activity.shares,
        edits=activity.interactions
        - activity.messages
        - activity.replies
        - activity.reactions
        - activity.shares
        - activity.votes,
        active=members.active,
        communicators=members.communicators,
        total=members.total,
        new=members.new,
        active_joined_later=0,
    )


def quoted(zone: str, counts: WeekCounts) -> str:
    return (
        f"{counts.week} ({zone}): {counts.messages} messages, {counts.replies} replies, "
        f"{counts.reactions} reactions, {counts.shares} shares, {counts.edits} edits "
        f"({counts.interactions} interactions); {counts.active} active members, "
        f"{counts.communicators} communicators, {counts.total} members, {counts.new} new"
    )


@pytest.mark.parametrize(
    ("zone", "week"),
    [("UTC", "busiest"), (NEW_YORK, "busiest"), (NEW_YORK, DST_WEEK)],
    ids=["busiest-UTC", "busiest-New_York", "dst-New_York"],
)
def test_the_digest_of_a_week_equals_the_raw_json_count(
    history: RawHistory, imported_url: str, zone: str, week: str
) -> None:
    if week == "busiest":
        week = busiest_week(history, ZoneInfo(zone))
    expected = count_week(history, week, ZoneInfo(zone))
    digest = digest_of(imported_url, week, zone)
    print(f"\nraw JSON: {quoted(zone, expected)}\ndigest:   {quoted(zone, shown(digest))}")

    assert expected.messages + expected.replies > 1500  # a busy week: much to compare
    assert expected.active_joined_later == 0, "an active member whose first join is later"
    assert digest.week == week and digest.zone == zone
    assert shown(digest) == expected, quoted(zone, expected)
    assert digest.activity.interactions == expected.interactions
    assert digest.activity.votes == 0
