"""Shared pieces of the calendar tests: a Berlin community, the manager prelude, reading output."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.core.config import CalendarConfig
from bot.features.calendar.store import CalendarOccurrence, CalendarPost
from bot.text.when import format_local
from tests.conftest import Community, make_settings, open_community, open_recorded
from tests.recording import Posted, Recorded, Said

MANAGER = ":as ann manager\n:in managers"
_NOW = re.compile(r"^— now (.+)$")
_POST = re.compile(r"^#\d+ \[(?P<channel>[^\]]+)\] Steward(?: \[(?P<tag>[^\]]+)\])?: (?P<text>.*)$")


@asynccontextmanager
async def berlin(db_url: str, start: datetime, **calendar: str) -> AsyncIterator[Community]:
    """A console community in Europe/Berlin starting at `start` (UTC)."""
    settings = make_settings(db_url, timezone="Europe/Berlin", calendar=CalendarConfig(**calendar))
    community = await open_community(settings, start=start)
    try:
        yield community
    finally:
        await community.app.stop()
        community.app.store.close()


def published(out: str, channels: tuple[str, ...] = ("announcements", "general")) -> list[str]:
    """The first lines of Steward's public posts in `channels`, in order."""
    found = []
    for line in out.splitlines():
        match = _POST.match(line)
        if match and match["channel"] in channels:
            found.append(match["text"])
    return found


def number_of(out: str, fragment: str) -> str:
    """The console number of the first message whose header line contains `fragment`."""
    for line in out.splitlines():
        if line.startswith("#") and fragment in line:
            return line.split()[0].lstrip("#")
    raise AssertionError(f"no message with {fragment!r} in:\n{out}")


def timeline(out: str, channels: tuple[str, ...] = ("announcements", "general")) -> list[str]:
    """`<local time shown after the :advance> <post text>` for each post, in order.

    Advance in steps that land on the due times, so each post is labelled with its own time.
    """
    pending: list[str] = []
    labelled: list[str] = []
    for line in out.splitlines():
        match = _POST.match(line)
        if match and match["channel"] in channels:
            pending.append(match["text"])
        now = _NOW.match(line)
        if now:
            labelled.extend(f"{now[1]} {text}" for text in pending)
            pending.clear()
    return labelled


def steps(total_hours: int, step_minutes: int = 30) -> str:
    """A script that advances `total_hours` in steps of `step_minutes`."""
    return "\n".join([f":advance {step_minutes}m"] * (total_hours * 60 // step_minutes))


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
