"""Jobs under a virtual clock (the console, tests) and under APScheduler in real time."""

import asyncio
from datetime import datetime, timedelta

from bot.core.clock import SystemClock, VirtualClock
from jobs.runner import JobRunner
from jobs.scheduler import SchedulerDriver
from tests.conftest import START


class DailyAtNine:
    """A job due every day at 09:00 UTC, remembering when it ran."""

    name = "daily"

    def __init__(self, first: datetime) -> None:
        self.next = first
        self.ran: list[datetime] = []

    async def next_due(self, now: datetime) -> datetime | None:
        return self.next

    async def run(self, now: datetime) -> None:
        self.ran.append(now)
        self.next += timedelta(days=1)


class Broken:
    name = "broken"

    async def next_due(self, now: datetime) -> datetime | None:
        return now

    async def run(self, now: datetime) -> None:
        raise RuntimeError("boom")


async def test_advance_stops_at_each_due_time() -> None:
    clock = VirtualClock(START - timedelta(hours=1))
    runner = JobRunner(clock)
    job = DailyAtNine(START)
    runner.add(job)
    await runner.advance(timedelta(days=3))
    assert job.ran == [START + timedelta(days=d) for d in range(3)]
    assert clock.now() == START + timedelta(days=3) - timedelta(hours=1)


async def test_a_failing_job_does_not_stop_the_others(caplog) -> None:
    clock = VirtualClock(START)
    runner = JobRunner(clock)
    job = DailyAtNine(START)
    runner.add(Broken())
    runner.add(job)
    assert await runner.run_due() == 2
    assert job.ran == [START]
    assert "job broken failed" in caplog.text


async def test_scheduler_driver_fires_due_work_in_real_time() -> None:
    fired = asyncio.Event()

    class DueNow:
        name = "due-now"
        done = False

        async def next_due(self, now: datetime) -> datetime | None:
            return None if self.done else now

        async def run(self, now: datetime) -> None:
            self.done = True
            fired.set()

    runner = JobRunner(SystemClock())
    runner.add(DueNow())
    driver = SchedulerDriver(runner)
    await driver.start()
    try:
        await asyncio.wait_for(fired.wait(), timeout=10)  # waits for the event, not for time
    finally:
        await driver.stop()
    assert fired.is_set()


async def test_a_job_stuck_at_now_runs_once_per_stop_not_in_a_loop() -> None:
    clock = VirtualClock(START)
    runner = JobRunner(clock)
    stuck = CountingBroken()
    runner.add(stuck)
    runner.add(DailyAtNine(START + timedelta(hours=1)))
    await runner.advance(timedelta(hours=3))
    assert stuck.runs == 3  # at the start, at the 10:00 stop, at the target


class CountingBroken:
    name = "stuck"
    runs = 0

    async def next_due(self, now: datetime) -> datetime | None:
        return now

    async def run(self, now: datetime) -> None:
        self.runs += 1
        raise RuntimeError("still failing")


async def test_a_job_whose_due_query_fails_is_logged_and_skipped(caplog) -> None:
    class Unreadable:
        name = "unreadable"

        async def next_due(self, now: datetime) -> datetime | None:
            raise OSError("database is locked")

        async def run(self, now: datetime) -> None:
            raise AssertionError("never run")

    clock = VirtualClock(START)
    runner = JobRunner(clock)
    daily = DailyAtNine(START + timedelta(hours=1))
    runner.add(Unreadable())
    runner.add(daily)
    await runner.advance(timedelta(hours=2))
    assert daily.ran == [START + timedelta(hours=1)]
    assert "job unreadable could not tell its next due time" in caplog.text
