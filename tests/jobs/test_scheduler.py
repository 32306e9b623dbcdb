"""The real-time scheduler keeps every job running when one of them keeps failing."""

import asyncio
from datetime import datetime, timedelta

from bot.core.clock import SystemClock
from jobs.runner import JobRunner
from jobs.scheduler import SchedulerDriver


class Broken:
    """A job whose work is overdue and whose every run raises (its database is down, say)."""

    name = "broken"

    def __init__(self) -> None:
        self.runs = 0
        self.thrice = asyncio.Event()

    async def next_due(self, now: datetime) -> datetime | None:
        return now - timedelta(minutes=5)

    async def run(self, now: datetime) -> None:
        self.runs += 1
        if self.runs == 3:
            self.thrice.set()
        raise RuntimeError("the platform is down")


class Later:
    """A job due a moment after the start, which says when it ran."""

    name = "later"

    def __init__(self, due: datetime) -> None:
        self.due: datetime | None = due
        self.ran = asyncio.Event()

    async def next_due(self, now: datetime) -> datetime | None:
        return self.due

    async def run(self, now: datetime) -> None:
        self.due = None
        self.ran.set()


async def test_a_job_that_keeps_failing_is_retried_after_a_pause_and_others_still_run() -> None:
    clock = SystemClock()
    runner = JobRunner(clock)
    broken, later = Broken(), Later(clock.now() + timedelta(milliseconds=50))
    runner.add(broken)
    runner.add(later)
    driver = SchedulerDriver(runner, retry_pause=timedelta(milliseconds=200))
    await driver.start()
    try:
        await asyncio.wait_for(later.ran.wait(), timeout=10)  # waits for the event, not time
        tried = broken.runs
        await asyncio.wait_for(broken.thrice.wait(), timeout=10)  # and it is tried again
    finally:
        await driver.stop()
    assert 1 <= tried <= 2  # not in a tight loop while the other job waited
