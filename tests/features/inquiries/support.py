"""What the inquiries tests share: communities with inquiry settings, and reading the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from sqlmodel import select

from bot.core.config import InquiriesConfig
from bot.features.inquiries.store import Inquiry
from tests.conftest import START, Community, make_settings, open_community, open_recorded
from tests.recording import Recorded, Said


def settings_for(db_url: str, timezone: str = "UTC", **inquiries: object):
    return make_settings(db_url, timezone=timezone, inquiries=InquiriesConfig(**inquiries))


@asynccontextmanager
async def recorded_with(
    db_url: str, start: datetime = START, timezone: str = "UTC", **inquiries: object
) -> AsyncIterator[Recorded]:
    """A recorded community whose [inquiries] are `inquiries`; stopped afterwards."""
    recorded = await open_recorded(settings_for(db_url, timezone, **inquiries), start)
    try:
        yield recorded
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


@asynccontextmanager
async def console_with(
    db_url: str, start: datetime = START, timezone: str = "UTC", **inquiries: object
) -> AsyncIterator[Community]:
    """A console community whose [inquiries] are `inquiries`; stopped afterwards."""
    community = await open_community(settings_for(db_url, timezone, **inquiries), start)
    try:
        yield community
    finally:
        await community.app.stop()
        community.app.store.close()


def inquiries(app) -> list[Inquiry]:
    """Every inquiry row, oldest first."""
    return app.store.call(lambda s: list(s.exec(select(Inquiry).order_by(Inquiry.id))))


def alerts(posted, channel: str = "managers") -> list:
    """The SLA alerts among what was posted (a Said, or an adapter's posts)."""
    said = Said(posted)
    return [p for p in said.public(tag="inquiry", channel=channel) if p.text.startswith("⏰")]
