"""The bulk import path: each file one transaction, repeats skipped, history's own rules for
join dates and first-seen times, the listeners told after the commit, a dry run that writes
nothing."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_app
from bot.core.app import Steward
from bot.core.clock import VirtualClock
from bot.core.context import EventContext
from bot.core.events import (
    ChannelRef,
    EventKind,
    MemberJoined,
    MemberRef,
    MessagePosted,
    ReactionAdded,
    ReplyPosted,
)
from bot.core.export_files import BadExport, Export, ExportFile, Item, Skipped
from bot.core.history_import import HistoryImport
from bot.store.database import Store
from bot.store.models import Interaction, Member
from tests.conftest import START, make_settings

GENERAL = ChannelRef("discord", "c1", "general")
HELP = ChannelRef("discord", "c2", "help")
OLD = START - timedelta(days=400)


def person(n: int, bot: bool = False) -> MemberRef:
    return MemberRef("discord", f"u{n}", f"member{n}", is_bot=bot)


def said(n: int, by: int, minutes: float = 0, where: ChannelRef = GENERAL, **kw) -> MessagePosted:
    at = OLD + timedelta(minutes=minutes or n)
    return MessagePosted(
        event_id=f"m{n}",
        member=person(by, **kw),
        channel=where,
        at=at,
        message_id=f"m{n}",
        text="hi",
    )


def replied(n: int, by: int, to: int, minutes: float, where: ChannelRef = GENERAL) -> ReplyPosted:
    return ReplyPosted(
        event_id=f"m{n}",
        member=person(by),
        channel=where,
        at=OLD + timedelta(minutes=minutes),
        message_id=f"m{n}",
        parent_id=f"m{to}",
        text="this",
    )


def joined(by: int, at: datetime, event_id: str | None = None) -> MemberJoined:
    return MemberJoined(
        event_id=event_id or f"join:{by}:{at.timestamp()}",
        member=person(by),
        channel=GENERAL,
        at=at,
    )


def export_of(*files: Sequence[Item] | BadExport, notes: tuple[str, ...] = ()) -> Export:
    """An export whose files hold these items (a BadExport: raised after the items before)."""

    def reader(items: Sequence[Item] | BadExport):
        def read() -> Iterator[Item]:
            if isinstance(items, BadExport):
                yield said(900, by=9)
                raise items
            yield from items

        return read

    made = [ExportFile(f"file{n}.json", 100, reader(items)) for n, items in enumerate(files)]
    return Export("discord", "export/", made, list(notes), [GENERAL, HELP])


async def app_on(db_url: str, **sections) -> Steward:
    app = build_app(make_settings(db_url, **sections), VirtualClock(START), Store.open(db_url))
    await app.start()
    return app


def count(app: Steward, table) -> int:
    return app.store.call(lambda s: s.exec(select(func.count()).select_from(table)).one()[0])


def rows(app: Steward) -> list[tuple[str, str]]:
    query = select(Interaction.platform_event_id, Interaction.kind).order_by(Interaction.id)
    return app.store.call(lambda s: [tuple(r) for r in s.exec(query)])


def member(app: Steward, n: int) -> Member:
    query = select(Member).where(Member.platform_user_id == f"u{n}")
    return app.store.call(lambda s: s.exec(query).scalars().one())


async def test_files_are_imported_counted_and_a_second_import_adds_nothing(any_db_url) -> None:
    app = await app_on(any_db_url)
    first = [said(1, by=1), said(2, by=2), replied(3, by=1, to=2, minutes=5)]
    second = [
        Skipped("ChannelPinnedMessage messages (not a member's post)"),
        said(4, by=3, minutes=10, bot=True),
        said(1, by=1),  # the same message in two files: once
    ]
    summary = await HistoryImport(app, export_of(first, second)).run()
    assert summary.imported == ["file0.json", "file1.json"] and not summary.failed
    assert summary.new == {EventKind.MESSAGE: 3, EventKind.REPLY: 1}
    assert summary.by_bots == {EventKind.MESSAGE: 1}
    assert summary.repeats == 1
    assert summary.skipped == {"ChannelPinnedMessage messages (not a member's post)": 1}
    assert (summary.members_after - summary.members_before, len(summary.members)) == (3, 3)
    assert summary.channels_after - summary.channels_before == 2  # the export's two channels
    assert (summary.first_at, summary.last_at) == (said(1, 1).at, said(4, 3, minutes=10).at)
    assert [r[0] for r in rows(app)] == ["m1", "m2", "m3", "m4"]
    again = await HistoryImport(app, export_of(first, second)).run()
    assert (again.events, again.repeats) == (0, 5)
    assert count(app, Interaction) == 4
    await app.stop()


async def test_a_file_that_fails_keeps_nothing_of_itself_and_stops_the_import(any_db_url) -> None:
    app = await app_on(any_db_url)
    broken = BadExport("file1.json", "not valid JSON (truncated?)")
    summary = await HistoryImport(app, export_of([said(1, by=1)], broken, [said(2, by=2)])).run()
    assert summary.failed == "file1.json: not valid JSON (truncated?)"
    assert summary.imported == ["file0.json"]
    assert [r[0] for r in rows(app)] == ["m1"]  # m900, read before the error, is not kept
    assert count(app, Member) == 1  # nor the member it made
    lines = "\n".join(summary.lines(app.settings.community.zone))
    assert "1 of 3 files imported" in lines and "stopped at file1.json" in lines
    # imported again once the file is mended: the rest comes in, nothing twice
    mended = await HistoryImport(
        app, export_of([said(1, by=1)], [said(900, by=9)], [said(2, by=2)])
    ).run()
    assert (mended.events, mended.repeats, mended.failed) == (2, 1, "")
    assert count(app, Member) == 3
    await app.stop()


async def test_a_dry_run_counts_what_would_be_new_and_writes_nothing(any_db_url) -> None:
    app = await app_on(any_db_url)
    await HistoryImport(app, export_of([said(1, by=1)])).run()
    dry = await HistoryImport(app, export_of([said(1, by=1), said(2, by=2)]), dry_run=True).run()
    assert (dry.events, dry.repeats, dry.members_after - dry.members_before) == (1, 1, 1)
    assert "checked (dry run: nothing written)" in dry.lines(app.settings.community.zone)[0]
    assert [r[0] for r in rows(app)] == ["m1"] and count(app, Member) == 1
    await app.stop()


async def test_history_moves_join_dates_and_first_seen_back_but_never_forward(any_db_url) -> None:
    app = await app_on(any_db_url)
    live = START - timedelta(days=1)
    await app.handle(joined(1, live))  # the live join: the member's date for now
    assert member(app, 1).joined_at == live
    late = [said(5, by=1, minutes=60 * 24 * 300), joined(1, OLD + timedelta(days=300))]
    early = [joined(1, OLD + timedelta(days=2)), said(6, by=1, minutes=60 * 24 * 3)]
    await HistoryImport(app, export_of(late, early)).run()
    found = member(app, 1)
    assert found.joined_at == OLD + timedelta(days=2)  # the earliest join on record
    assert found.first_seen_at == OLD + timedelta(days=2)
    assert found.left_at is None
    assert count(app, Interaction) == 5  # both historical joins are joins of their own
    await app.stop()


async def test_a_join_recorded_live_under_another_id_is_not_imported_again(any_db_url) -> None:
    app = await app_on(any_db_url)
    at = START - timedelta(hours=3)
    await app.handle(joined(1, at, "join:u1:live"))
    export = export_of(
        [
            joined(1, at + timedelta(seconds=1), "join:u1:export"),  # the same join
            joined(2, at, "join:u2:export"),
            joined(1, at + timedelta(days=30), "join:u1:again"),  # came back a month later
        ]
    )
    summary = await HistoryImport(app, export).run()
    assert (summary.new[EventKind.MEMBER_JOINED], summary.repeats) == (2, 1)
    assert [r[0] for r in rows(app)] == ["join:u1:live", "join:u2:export", "join:u1:again"]
    await app.stop()


async def test_a_reaction_recorded_live_is_not_imported_again(any_db_url) -> None:
    app = await app_on(any_db_url)

    def thumbs(event_id: str) -> ReactionAdded:
        return ReactionAdded(
            event_id=event_id,
            member=person(2),
            channel=GENERAL,
            at=OLD + timedelta(minutes=1),
            message_id="m1",
            emoji="👍",
            message_author=person(1),
        )

    await app.handle(said(1, by=1))
    await app.handle(thumbs("reaction:m1:u2:👍:add:1696000000123456"))
    summary = await HistoryImport(app, export_of([said(1, by=1), thumbs("reaction:export")])).run()
    assert (summary.events, summary.repeats) == (0, 2)
    await app.stop()


@pytest.mark.parametrize("kept", [20_000, 2])  # in memory, or read again after the commit
async def test_the_listeners_hear_only_new_events_after_the_commit(
    db_url: str, kept: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.core.history_import.KEPT", kept)
    app = await app_on(db_url)
    heard: list[tuple[str, int]] = []

    async def listener(ctx: EventContext) -> None:
        heard.append((ctx.event.event_id, count(app, Interaction)))

    app.listen(listener, history=True)
    await app.handle(said(2, by=2))
    await app.record_history([said(3, by=3)])  # a catch-up's events are heard as well
    items = [said(1, by=1), Skipped("x"), said(2, by=2), said(4, by=1), said(5, by=1)]
    await HistoryImport(app, export_of(items)).run()
    assert heard == [("m2", 1), ("m3", 2), ("m1", 5), ("m4", 5), ("m5", 5)]
    await app.stop()


async def test_imported_help_questions_open_inquiries_answered_by_their_replies(db_url) -> None:
    """The tracker hears imported history; the help channel is found by name among the
    channels the export named (no adapter runs during an import)."""
    from bot.features.inquiries.store import Inquiry

    app = await app_on(db_url)
    question = MessagePosted(
        event_id="q1",
        member=person(1),
        channel=HELP,
        at=OLD,
        message_id="q1",
        text="how do I install it?",
    )
    answer = ReplyPosted(
        event_id="a1",
        member=person(2),
        channel=HELP,
        at=OLD + timedelta(minutes=12),
        message_id="a1",
        parent_id="q1",
        text="pip install it",
    )
    old_waiting = MessagePosted(
        event_id="q2",
        member=person(3),
        channel=HELP,
        at=OLD + timedelta(days=1),
        message_id="q2",
        text="why does it crash?",
    )
    await HistoryImport(app, export_of([question, answer, old_waiting])).run()
    found = app.store.call(lambda s: list(s.exec(select(Inquiry).order_by(Inquiry.id)).scalars()))
    assert [(i.message_id, i.status) for i in found] == [("q1", "answered"), ("q2", "waiting")]
    assert found[0].first_response_at - found[0].asked_at == timedelta(minutes=12)
    assert found[1].next_alert_at is None  # a question a year old: no SLA alert for it
    await app.stop()


async def test_a_catch_up_is_history_too(db_url: str) -> None:
    """What an adapter fetched after downtime moves first-seen times back, like an import."""
    app = await app_on(db_url)
    await app.handle(said(2, by=1, minutes=60))
    assert await app.record_history([said(1, by=1, minutes=10), said(2, by=1, minutes=60)]) == 1
    assert member(app, 1).first_seen_at == OLD + timedelta(minutes=10)
    await app.stop()


async def test_a_bad_first_file_leaves_nothing_for_the_listeners(db_url: str) -> None:
    """The events read before the error are rolled back: no listener hears of them."""
    app = await app_on(db_url)
    heard: list[str] = []

    async def listener(ctx: EventContext) -> None:
        heard.append(ctx.event.event_id)

    app.listen(listener, history=True)
    summary = await HistoryImport(app, export_of(BadExport("file0.json", "truncated"))).run()
    assert (summary.failed, summary.imported, heard) == ("file0.json: truncated", [], [])
    assert (count(app, Interaction), count(app, Member)) == (0, 0)
    await app.stop()


async def test_a_cancelled_import_keeps_the_files_committed_and_stops_its_threads(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C: the group being written is rolled back and the reading thread ends; what was
    committed before stays (here each file is a group of its own)."""
    monkeypatch.setattr("bot.core.history_import.GROUP", 1)
    monkeypatch.setattr("bot.core.history_import.CHUNK", 100)
    app = await app_on(db_url)
    committed = asyncio.Event()

    async def listener(ctx: EventContext) -> None:
        committed.set()  # the first file is in: the endless one is being read and written

    app.listen(listener, history=True)

    def endless() -> Iterator[Item]:
        for n in itertools.count(10):
            yield said(n, by=2)

    export = export_of([said(1, by=1)])
    export.files.append(ExportFile("endless.json", 100, endless))
    task = asyncio.create_task(HistoryImport(app, export).run())
    await asyncio.wait_for(committed.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [r[0] for r in rows(app)] == ["m1"]
    assert not [t for t in threading.enumerate() if t.name == "import-reader"]
    await app.stop()
