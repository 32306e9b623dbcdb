"""The contract between the core and scheduled work (the runner itself lives in `jobs/`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class DueJob(Protocol):
    """A job: when is your next piece of work due (`next_due`), and do what is due (`run`)."""

    name: str

    async def next_due(self, now: datetime) -> datetime | None:
        """When this job next has work (may be in the past), or None."""

    async def run(self, now: datetime) -> None:
        """Do everything due at or before `now`."""


class JobBoard(Protocol):
    """Where features add their jobs and adapters move a virtual clock through them."""

    def add(self, job: DueJob) -> None: ...

    def work_added(self) -> None:
        """New due work may exist: forget any cached due times."""

    async def run_due(self) -> int: ...

    async def advance(self, delta: timedelta) -> None: ...

    async def drain(self, limit: timedelta = ...) -> None: ...
