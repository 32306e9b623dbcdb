"""APScheduler as the trigger for the job runner under a clock that moves by itself."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from jobs.runner import JobRunner

log = logging.getLogger(__name__)

WAKE_JOB = "steward-due-work"
RETRY_PAUSE = timedelta(seconds=5)  # a job that raised is tried again this much later


class SchedulerDriver:
    """Arms one APScheduler date job at the runner's next due time, re-armed after each run.

    `max_sleep` bounds the wait so work added by another process sharing the database is
    picked up; `wake()` re-arms at once after this process adds work. A job that raised is
    tried again `retry_pause` later, not at once in a loop, and the others keep their times.
    """

    def __init__(
        self,
        runner: JobRunner,
        max_sleep: timedelta = timedelta(seconds=30),
        retry_pause: timedelta = RETRY_PAUSE,
    ) -> None:
        self.runner = runner
        self.max_sleep = max_sleep
        self.retry_pause = retry_pause
        self.scheduler = AsyncIOScheduler(timezone=UTC)

    async def start(self) -> None:
        self.scheduler.start()
        await self.wake()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def wake(self, after_run: bool = False) -> None:
        """Re-arm the trigger at the earliest due time (or `max_sleep` from now); `after_run`:
        the jobs that just raised wait `retry_pause`."""
        if not self.scheduler.running:
            return
        clock_now = self.runner.clock.now()
        failed = self.runner.failed if after_run else frozenset()
        due = await self.runner.next_due(excluding=failed)
        if failed:
            retry = clock_now + self.retry_pause
            due = retry if due is None else min(due, retry)
        wait = (
            self.max_sleep
            if due is None
            else min(max(due - clock_now, timedelta()), self.max_sleep)
        )
        run_at = datetime.now(UTC) + wait
        self.scheduler.add_job(
            self._tick,
            DateTrigger(run_date=run_at),
            id=WAKE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            max_instances=2,  # re-armed from inside the running tick: the next may start at once
        )

    async def _tick(self) -> None:
        self.runner.work_added()  # another process sharing the database may have added work
        try:
            await self.runner.run_due()
        finally:
            await self.wake(after_run=True)
