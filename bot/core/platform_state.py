"""What an adapter keeps between starts, by platform and key (small text values)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.store.models import PlatformState


def recall(session: Session, platform: str, key: str) -> str | None:
    """The value kept under `key` for `platform`, or None."""
    row = session.get(PlatformState, (platform, key))
    return None if row is None else row.value


def keep(session: Session, platform: str, key: str, value: str, now: datetime) -> None:
    """Keep `value` under `key` for `platform`, replacing what was there."""
    row = session.get(PlatformState, (platform, key))
    if row is None:
        session.add(PlatformState(platform=platform, key=key, value=value, updated_at=now))
        return
    row.value, row.updated_at = value, now
