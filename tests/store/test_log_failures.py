"""The interaction log under failure and load: one bad event fails alone, the queue is bounded."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.core.directory import Directory
from bot.core.interaction_log import InteractionLog
from bot.store.database import Store
from tests.conftest import Recorded
from tests.store.test_ingest import kinds, member, open_log, said

BROKEN = "\ud800"  # a lone surrogate, as a JSON payload may carry: no database stores it


def unstorable(n: int) -> object:
    """An event that no database can store (its member's name cannot be encoded)."""
    return replace(said(n, by=n), member=replace(member(n), name=BROKEN))


async def test_one_bad_event_fails_alone_and_the_others_in_its_batch_are_recorded(
    any_db_url: str,
) -> None:
    store, log = await open_log(any_db_url)
    events = [said(1, by=1), unstorable(2), said(3, by=3)]
    outcomes = await asyncio.gather(*(log.record(e) for e in events), return_exceptions=True)
    assert outcomes[0] is True and outcomes[2] is True
    assert isinstance(outcomes[1], Exception)
    with pytest.raises(Exception):  # noqa: B017 - the driver's own encoding error
        await log.record_many([said(4, by=1), unstorable(5), said(6, by=3)])
    await log.stop()
    assert len(kinds(store)) == 4  # events 1, 3, 4 and 6
    store.close()


async def test_a_producer_waits_while_the_queue_is_full(db_url: str) -> None:
    store = Store.open(db_url)
    small = InteractionLog(store, Directory(), max_queued=5)
    small.start()
    small._writing.acquire()  # the writer is busy (as with a slow database) until released
    try:
        recording = [asyncio.ensure_future(small.record(said(n, by=1))) for n in range(8)]
        for _ in range(20):
            await asyncio.sleep(0)
        assert small.queued == 5  # three producers wait for room instead of queueing
        assert not any(task.done() for task in recording)
    finally:
        small._writing.release()
    assert await asyncio.gather(*recording) == [True] * 8
    await small.stop()
    assert len(kinds(store)) == 8
    store.close()


async def test_a_command_that_cannot_be_recorded_gets_the_apology(recorded: Recorded) -> None:
    bob = replace(recorded.member("bob"), name=BROKEN)
    [apology] = (await recorded.command("/stats me", by=bob)).told(BROKEN)  # handle() returned
    assert apology.startswith("Sorry, something went wrong on our side and nothing was changed")
    [hello] = (await recorded.command("/stats me", by="carol")).told("carol")
    assert "carol" in hello
