"""Steward on a chat platform in a test, started as `steward run --config` starts it (the
same settings loader, the same app, `serve`) on an offset clock, until the block ends."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import func, select

from bot.bootstrap import platform_app
from bot.cli.options import load_cli_settings, open_store
from bot.cli.serve import serve
from bot.core.app import Steward
from bot.core.clock import OffsetClock
from bot.core.context import EventContext
from bot.core.events import InboundEvent, MessagePosted, ReplyPosted
from bot.store.models import Interaction, Member
from tests.fakes.discord_interactions import wait_for

TEMPLATE: Path | None = None  # a database migrated to heads, set for the session (conftest)


def write_config(path: Path, db: Path, section: str, keys: dict[str, object]) -> Path:
    """A steward.toml with the database and one platform's section (what a manager writes);
    a new database starts as a copy of the migrated template."""
    if TEMPLATE is not None and not db.exists():
        shutil.copy(TEMPLATE, db)
    lines = ["[storage]", f'url = "sqlite:///{db}"', "", f"[{section}]"]
    lines += [f"{key} = {toml(value)}" for key, value in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def toml(value: object) -> str:
    """A TOML value: booleans, strings, numbers and lists of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(item) for item in value) + "]"
    return str(value)


@dataclass
class Running:
    """One Steward process, in-process: its app, clock and the task serving it."""

    app: Steward
    clock: OffsetClock
    task: asyncio.Task
    platform: str

    @property
    def adapter(self) -> Any:
        return self.app.adapters[self.platform]

    async def advance(self, delta: timedelta) -> None:
        """Move the clock on and let the scheduler run what fell due."""
        self.clock.advance(delta)
        await self.app.work_added()

    async def stop(self) -> None:
        """Stop as SIGTERM does: the serving task is cancelled and shuts down cleanly."""
        if not self.task.done():
            self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task

    def count(self, kind: str, member_id: str | None = None) -> int:
        """Interactions of `kind` recorded (by the member with that platform id)."""
        query = select(func.count()).select_from(Interaction).where(Interaction.kind == kind)
        if member_id is not None:
            query = query.join(Member, Member.id == Interaction.member_id).where(
                Member.platform_user_id == member_id
            )
        with self.app.store.session() as session:
            return session.exec(query).one()


@contextlib.asynccontextmanager
async def steward(
    config: Path, platform: str, prepare: Callable[[Steward], None] | None = None
) -> AsyncIterator[Running]:
    """Steward running on `config` until the block ends (then stopped as by SIGTERM), once
    its `platform` adapter has settled in; `prepare(app)` runs before it starts."""
    settings = load_cli_settings(config, None)
    clock = OffsetClock()
    app = platform_app(settings, clock, open_store(settings))
    if prepare is not None:
        prepare(app)
    task = asyncio.create_task(serve(app, real_time=True))
    running = Running(app, clock, task, platform)
    adapter = running.adapter
    await wait_for(lambda: adapter.settled.is_set() or task.done(), timeout=15)
    if task.done():
        task.result()
    try:
        yield running
    finally:
        await running.stop()


def listening(seen: list[InboundEvent]) -> Callable[[Steward], None]:
    """A `prepare` that keeps in `seen` every new event the core handles, as it saw it."""

    def prepare(app: Steward) -> None:
        async def keep(context: EventContext) -> None:
            seen.append(context.event)

        app.listen(keep)

    return prepare


def linking(links: dict[str, str | None]) -> Callable[[Steward], None]:
    """A `prepare` that links every member's post and reply the way a feature would
    (their text -> `app.message_link`)."""

    async def link(context: EventContext) -> None:
        event = context.event
        if isinstance(event, MessagePosted | ReplyPosted):
            where = event.channel
            links[event.text] = context.app.message_link(
                event.platform, where.channel_id, event.message_id, where.thread_id
            )

    return lambda app: app.listen(link)
