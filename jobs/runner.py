"""Scheduled work driven by one clock: the same jobs run under real time, the console and tests.

A job answers two questions: when is your next piece of work due (`next_due`), and do
everything due at `now` (`run`). The database is the source of truth for what is due.

Each job's answer is cached: a due time is absolute, so the clock moving does not change it.
New work (`work_added`, which the core calls whenever a feature schedules something) and any
job having run forget the cached answers; a query that fails is not cached.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Protocol

from bot.core.clock import Clock
from bot.core.due import DueJob

log = logging.getLogger(__name__)


class PendingWork(Protocol):
    async def has_pending(self) -> bool:
        """True while short-lived work (a coalesced edit, say) must finish before exit."""


class JobRunner:
    """Runs due jobs at the clock's `now`, and walks a virtual clock forward through them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.jobs: list[DueJob] = []
        self._due: dict[str, datetime | None] = {}  # job name -> its cached next due time
        self._generation = 0  # grows on each invalidation; a query started before is not kept
        self.failed: frozenset[str] = frozenset()  # the jobs that raised in the last run_due

    def add(self, job: DueJob) -> None:
        if any(existing.name == job.name for existing in self.jobs):
            raise ValueError(f"job {job.name!r} is added twice")
        self.jobs.append(job)
        self.work_added()

    def work_added(self) -> None:
        """New due work may exist (a poll opened, a post scheduled): forget every due time."""
        self._due.clear()
        self._generation += 1

    async def next_due(self, excluding: Collection[str] = ()) -> datetime | None:
        """The earliest time any job (but those named in `excluding`) has work."""
        found = await self._each_due(self.clock.now())
        due = [t for job, t in zip(self.jobs, found, strict=True) if job.name not in excluding]
        return min((t for t in due if t is not None), default=None)

    async def _due_times(self, now: datetime) -> list[datetime]:
        return [t for t in await self._each_due(now) if t is not None]

    async def _each_due(self, now: datetime) -> list[datetime | None]:
        """Every job's next due time, asked concurrently (each is a query on its own thread)."""
        if all(job.name in self._due for job in self.jobs):  # the usual case: nothing to ask
            return [self._due[job.name] for job in self.jobs]
        return list(await asyncio.gather(*(self._job_due(job, now) for job in self.jobs)))

    async def _job_due(self, job: DueJob, now: datetime) -> datetime | None:
        """A job's next due time, cached; a job that cannot tell (its query failed) is skipped."""
        if job.name in self._due:
            return self._due[job.name]
        generation = self._generation
        try:
            due = await job.next_due(now)
        except Exception:
            log.exception("job %s could not tell its next due time", job.name)
            return None
        if generation == self._generation:  # no new work arrived while asking
            self._due[job.name] = due
        return due

    async def run_due(self) -> int:
        """Run every job whose work is due now; return how many ran."""
        now = self.clock.now()
        ran, failed = 0, set()
        for job, due in zip(self.jobs, await self._each_due(now), strict=True):
            if due is not None and due <= now:
                try:
                    await job.run(now)
                except Exception:
                    log.exception("job %s failed at %s", job.name, now.isoformat())
                    failed.add(job.name)
                finally:
                    self.work_added()  # its work (and maybe another job's) has changed
                ran += 1
        self.failed = frozenset(failed)
        return ran

    async def advance_to(self, target: datetime) -> None:
        """Move a settable clock to `target`, stopping at each due time to run what falls due.

        A job still due after it ran (a failing one, say) runs again at the next stop, never
        in a tight loop.
        """
        while True:
            await self.run_due()
            now = self.clock.now()
            later = [t for t in await self._due_times(now) if t > now]
            step = min(later, default=None)
            if step is None or step > target:
                break
            self.clock.set(step)  # type: ignore[attr-defined]
        if target > self.clock.now():
            self.clock.set(target)  # type: ignore[attr-defined]
            await self.run_due()

    async def advance(self, delta: timedelta) -> None:
        await self.advance_to(self.clock.now() + delta)

    async def has_pending(self) -> bool:
        for job in self.jobs:
            check = getattr(job, "has_pending", None)
            if check is not None and await check():
                return True
        return False

    async def drain(self, limit: timedelta = timedelta(minutes=5)) -> None:
        """Finish short-lived pending work by moving a virtual clock forward, at most `limit`."""
        deadline = self.clock.now() + limit
        for _ in range(1000):
            if not await self.has_pending():
                return
            due = await self.next_due()
            if due is None or due > deadline:
                return
            await self.advance_to(max(due, self.clock.now() + timedelta(microseconds=1)))
