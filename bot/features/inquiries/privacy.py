"""What inquiries keep about a member: exported on request, anonymised on `/privacy forget`,
and the question's text dropped `[privacy] retention_days` after it stopped waiting."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, cast, literal, update
from sqlmodel import Session, select

from bot.features.inquiries import ledger
from bot.features.inquiries.store import DISMISSED, WAITING, Inquiry, days_changed

if TYPE_CHECKING:
    from bot.core.app import Steward
    from bot.core.services import CoreServices
    from bot.features.inquiries.tracking import InquiryTracker


class TextRetention:
    """The due job that drops the text of questions settled longer ago than the retention."""

    name = "inquiry-text-retention"

    def __init__(self, app: CoreServices) -> None:
        self.app = app

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(ledger.next_text_expiry)

    async def run(self, now: datetime) -> None:
        await self.app.store.run(ledger.drop_expired_text, now)


def install_privacy(app: Steward, tracker: InquiryTracker) -> None:
    """Export, forget (then show the forgotten member's alerts without them), retention."""
    forgotten: list[int] = []  # inquiries anonymised by the last erasure, for their alerts

    def forget(session: Session, member_id: int) -> None:
        forgotten.extend(forget_member(session, member_id))

    async def after() -> None:
        await tracker.reload()
        while forgotten:
            await tracker.alerts_changed(forgotten.pop())

    app.privacy.add("inquiries", export_member, forget, after=after)
    app.jobs.add(TextRetention(app))


def export_member(session: Session, member_id: int) -> list[dict]:
    """The questions the member asked, with what became of them."""
    rows = session.exec(select(Inquiry).where(Inquiry.member_id == member_id).order_by(Inquiry.id))
    return [
        {
            "id": row.id,
            "platform": row.platform,
            "channel_id": row.home_channel_id,
            "message_id": row.message_id,
            "asked_at": row.asked_at.isoformat(),
            "text": row.text,
            "status": row.status,
            "first_response_at": _iso(row.first_response_at),
        }
        for row in rows
    ]


def forget_member(session: Session, member_id: int) -> list[int]:
    """Their questions stay as anonymous counts: no asker, no text, no message to find them
    by, and a waiting one no longer waits (nobody could answer it now). Where they answered,
    took or closed one, the link to them is cleared by the core. The ids of their questions
    that were alerted about, whose alert posts must now be shown without them."""
    mine = Inquiry.member_id == member_id
    alerted = list(session.exec(select(Inquiry.id).where(mine, Inquiry.alerts_sent > 0)))
    waiting = session.exec(select(Inquiry.asked_at).where(mine, Inquiry.status == WAITING))
    days_changed(session, *waiting)  # dismissed now: left out of the figures
    session.execute(
        update(Inquiry)
        .where(mine, Inquiry.status == WAITING)
        .values(status=DISMISSED, next_alert_at=None)
    )
    session.execute(
        update(Inquiry)
        .where(mine)
        .values(
            member_id=None,
            text=None,
            line_ids="",
            message_id=literal("forgotten:") + cast(Inquiry.id, String),
        )
    )
    return alerted  # type: ignore[return-value]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
