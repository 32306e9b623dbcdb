"""Cached due times: asked once, forgotten on new work and after a run, never on the clock."""

import asyncio
from datetime import datetime, timedelta

from bot.core.clock import SystemClock, VirtualClock
from jobs.runner import JobRunner
from jobs.scheduler import SchedulerDriver
from tests.conftest import START
from tests.recording.community import Recorded


class Counted:
    """A job due at `due` (changed from outside, as a feature's table would be)."""

    name = "counted"

    def __init__(self, due: datetime | None) -> None:
        self.due = due
        self.asked = 0
        self.ran: list[datetime] = []

    async def next_due(self, now: datetime) -> datetime | None:
        self.asked += 1
        return self.due

    async def run(self, now: datetime) -> None:
        self.ran.append(now)
        self.due = None


async def test_the_due_time_is_asked_once_while_nothing_changes() -> None:
    clock = VirtualClock(START)
    runner = JobRunner(clock)
    job = Counted(START + timedelta(hours=1))
    runner.add(job)
    for _ in range(100):
        assert await runner.run_due() == 0
    clock.set(START + timedelta(minutes=30))  # the clock moving keeps the (absolute) answer
    assert await runner.next_due() == START + timedelta(hours=1)
    assert job.asked == 1


async def test_new_work_is_seen_only_after_work_added() -> None:
    runner = JobRunner(VirtualClock(START))
    job = Counted(None)
    runner.add(job)
    assert await runner.run_due() == 0
    job.due = START  # stored work, not announced yet
    assert await runner.run_due() == 0
    runner.work_added()
    assert await runner.run_due() == 1
    assert job.ran == [START]


async def test_a_job_that_ran_is_asked_again() -> None:
    clock = VirtualClock(START)
    runner = JobRunner(clock)
    job = Counted(START)
    runner.add(job)
    assert await runner.run_due() == 1
    assert await runner.next_due() is None
    assert job.asked == 2


async def test_a_failed_query_is_asked_again_next_time() -> None:
    class FailsOnce(Counted):
        async def next_due(self, now: datetime) -> datetime | None:
            self.asked += 1
            if self.asked == 1:
                raise OSError("database is locked")
            return self.due

    runner = JobRunner(VirtualClock(START))
    job = FailsOnce(START)
    runner.add(job)
    assert await runner.run_due() == 0
    assert await runner.run_due() == 1


async def test_an_answer_overtaken_by_new_work_is_not_kept() -> None:
    runner = JobRunner(VirtualClock(START))
    asking = asyncio.Event()
    answer = asyncio.Event()

    class Slow(Counted):
        async def next_due(self, now: datetime) -> datetime | None:
            before = self.due
            asking.set()
            await answer.wait()
            return before  # what the table said when the query started

    job = Slow(None)
    runner.add(job)
    first = asyncio.create_task(runner.next_due())
    await asking.wait()
    job.due = START
    runner.work_added()  # arrives while the old query is in flight
    answer.set()
    assert await first is None
    assert await runner.next_due() == START


async def test_a_poll_created_after_the_cache_was_filled_closes_on_time(
    recorded: Recorded,
) -> None:
    await recorded.post("hello")  # every job's due time is now cached
    said = await recorded.command('/poll create question:"Best day?" options:"Mon | Wed" closes:1h')
    poll = said.public()[0]
    await recorded.click(poll, "Wed", by="bea")
    await recorded.post("still talking")
    assert "closed" not in poll.plain.lower()
    early = await recorded.advance("59m")
    closing = await recorded.advance("1m")
    assert early.public() == []
    assert "closed" in poll.plain.lower()
    assert any("Wed" in p.plain and "1" in p.plain for p in closing.public())


async def test_a_calendar_post_scheduled_after_the_cache_was_filled_goes_out(
    recorded: Recorded,
) -> None:
    await recorded.post("hello")
    await recorded.advance("10m")  # the calendar's "nothing due" is cached
    recorded.manager("ann")
    await recorded.command(
        "/calendar add when:+30m channel:general type:article text:Launch day",
        by="ann",
        in_="managers",
    )
    await recorded.post("meanwhile")
    before = await recorded.advance("29m")
    assert [p.channel.name for p in before.public()] == ["managers"]  # the heads-up only
    went_out = await recorded.advance("1m")
    assert [(p.channel.name, p.plain) for p in went_out.public()] == [("general", "Launch day")]


async def test_the_real_time_scheduler_sees_work_another_process_stored() -> None:
    fired = asyncio.Event()

    class Stored(Counted):
        async def run(self, now: datetime) -> None:
            await super().run(now)
            fired.set()

    runner = JobRunner(SystemClock())
    job = Stored(None)
    runner.add(job)
    driver = SchedulerDriver(runner, max_sleep=timedelta(milliseconds=20))
    await driver.start()
    try:
        assert await runner.next_due() is None  # cached: nothing due
        job.due = SystemClock().now()  # stored by another process: no work_added here
        await asyncio.wait_for(fired.wait(), timeout=10)  # waits for the event, not for time
    finally:
        await driver.stop()
    assert len(job.ran) == 1
