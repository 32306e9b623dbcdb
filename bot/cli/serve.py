"""Running the app with its adapters until they finish, then stopping cleanly (nothing lost)."""

from __future__ import annotations

import asyncio
import contextlib
import signal

from bot.core.app import Steward
from jobs.scheduler import SchedulerDriver


async def serve(app: Steward, real_time: bool) -> None:
    """Start everything, run until the first adapter finishes (or a signal), then flush and stop.

    `real_time` arms APScheduler for clocks that move by themselves; a virtual clock is
    moved only by the console's `:advance`.
    """
    driver = SchedulerDriver(app.jobs) if real_time else None
    main = asyncio.current_task()
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, main.cancel)
    try:
        await app.start()
        if driver is not None:
            app.on_work_added = driver.wake
            await driver.start()
        serving = [asyncio.create_task(a.serve()) for a in app.adapters.values()]
        done, pending = await asyncio.wait(serving, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            task.result()
    except asyncio.CancelledError:
        pass
    finally:
        if driver is not None:
            await driver.stop()
        await app.stop()
        app.store.close()
