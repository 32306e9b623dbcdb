"""Shared pieces of the calendar tests: a Berlin community, the manager prelude, reading output."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core.config import CalendarConfig
from bot.features.calendar.store import CalendarOccurrence, CalendarPost
from bot.text.when import format_local
from tests.conftest import Community, make_settings, open_recorded
from tests.recording import Posted, Recorded, Said


def occurrences(community: Community | Recorded) -> list[CalendarOccurrence]:
    def load(session):
        return list(session.exec(select(CalendarOccurrence).order_by(CalendarOccurrence.id)))

    return community.app.store.call(load)


def posts(community: Community | Recorded) -> list[CalendarPost]:
    return community.app.store.call(
        lambda session: list(session.exec(select(CalendarPost).order_by(CalendarPost.id)))
    )


# ---- the same on the recording adapter: neutral messages, posts stamped with their time --------
@asynccontextmanager
async def berlin_recorded(db_url: str, start: datetime, **calendar: str) -> AsyncIterator[Recorded]:
    """A recorded community in Europe/Berlin starting at `start` (UTC)."""
    settings = make_settings(db_url, timezone="Europe/Berlin", calendar=CalendarConfig(**calendar))
    recorded = await open_recorded(settings, start=start)
    try:
        yield recorded
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def manage(recorded: Recorded, script: str) -> Said:
    """Each line of `script` as a command by ann, a manager, in the managers' channel."""
    recorded.manager("ann")
    said = Said()
    for line in script.strip().splitlines():
        said += await recorded.command(line, by="ann", in_="managers")
    return said


def first_lines(
    posts: list[Posted], channels: tuple[str, ...] = ("announcements", "general")
) -> list[str]:
    """The first lines of Steward's public posts in `channels`, in order."""
    return [
        p.text.splitlines()[0] if p.text else ""
        for p in posts
        if not p.private and p.channel.name in channels
    ]


def timeline_of(
    posts: list[Posted],
    zone: str = "Europe/Berlin",
    channels: tuple[str, ...] = ("announcements", "general"),
) -> list[str]:
    """`<local time it was posted> <first line>` for each public post in `channels`."""
    shown = [p for p in posts if not p.private and p.channel.name in channels]
    return [
        f"{format_local(p.at, ZoneInfo(zone))} {line}"
        for p, line in zip(shown, first_lines(shown, channels), strict=True)
        if p.at is not None
    ]
