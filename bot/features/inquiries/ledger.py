"""The inquiries' database steps: open, join a line, record a response, close, assign.

Each function runs in the caller's transaction (`app.store.run(fn, …)`) and returns plain
values, never a row to use after the session is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, update
from sqlmodel import Session, select

from bot.core.clock import ensure_utc
from bot.features.inquiries.store import (
    ANSWERED,
    DISMISSED,
    RESOLVED,
    WAITING,
    Inquiry,
    days_changed,
    micros,
    quarter_of,
)
from bot.store.models import Member

MAX_TEXT = 4000  # characters of a question kept (its lines joined)
MANAGER_WATCH = timedelta(days=7)  # an answered question waits this long for a manager's word
TRACKED_FOR = timedelta(days=30)  # an unanswered question is watched for an answer this long


@dataclass(frozen=True)
class Asked:
    """A new question, as the tracker saw it."""

    platform: str
    channel_id: str
    home_channel_id: str
    thread_id: str | None
    message_id: str
    member_id: int
    source: str
    text: str
    at: datetime
    sla_due_at: datetime
    reminder_at: datetime
    alerts: bool = True  # False: found in history too old for an alert to help


@dataclass(frozen=True)
class Tracked:
    """What the tracker keeps in memory of an inquiry that may still get a first response."""

    id: int
    platform: str
    asker: str  # the asker's platform user id ("" once they are forgotten)
    channel_id: str
    home_channel_id: str
    thread_id: str | None
    lines: tuple[str, ...]
    waiting: bool  # no first response yet (else only a manager's response is still awaited)
    last_line_at: datetime
    asked_at: datetime

    def watched_at(self, at: datetime) -> bool:
        """Whether a response at `at` still counts: within TRACKED_FOR of the question for a
        first response, MANAGER_WATCH for a manager's after it (as `tracked` loads them)."""
        return at - self.asked_at <= (TRACKED_FOR if self.waiting else MANAGER_WATCH)


def open_inquiry(session: Session, asked: Asked) -> int | None:
    """Store a new question; its id (None when that message is an inquiry already)."""
    exists = session.exec(
        select(Inquiry.id).where(
            Inquiry.platform == asked.platform,
            Inquiry.channel_id == asked.channel_id,
            Inquiry.message_id == asked.message_id,
        )
    ).first()
    if exists is not None:
        return None
    row = Inquiry(
        platform=asked.platform,
        channel_id=asked.channel_id,
        home_channel_id=asked.home_channel_id,
        thread_id=asked.thread_id,
        message_id=asked.message_id,
        member_id=asked.member_id,
        source=asked.source,
        text=asked.text[:MAX_TEXT],
        asked_at=asked.at,
        asked_quarter=quarter_of(asked.at),
        last_line_at=asked.at,
        sla_due_at=asked.sla_due_at,
        reminder_at=asked.reminder_at,
        next_alert_at=asked.sla_due_at if asked.alerts else None,
    )
    session.add(row)
    session.flush()
    days_changed(session, asked.at)
    return row.id


def add_line(session: Session, inquiry_id: int, message_id: str, text: str, at: datetime) -> None:
    """A follow-up line by the asker joins the question."""
    row = session.get(Inquiry, inquiry_id)
    if row is None or row.status in (RESOLVED, DISMISSED):
        return
    if len(row.line_ids) + len(message_id) < 1990:
        row.line_ids = f"{row.line_ids} {message_id}".strip()
    if row.text is not None and text:
        row.text = f"{row.text}\n{text}"[:MAX_TEXT]
    row.last_line_at = max(row.last_line_at, at)


@dataclass(frozen=True)
class Response:
    """What a response changed: whether it was the first, and if alerts were posted."""

    first: bool
    manager_first: bool
    alerted: bool


def record_response(
    session: Session,
    inquiry_id: int,
    responder_id: int,
    by_manager: bool,
    at: datetime,
    keep_text: timedelta,
) -> Response | None:
    """A response by someone other than the asker; None when it changes nothing. Each change
    is a conditional update, so two responses at once (or in two processes) cannot both be
    the first."""
    asked_at = session.exec(select(Inquiry.asked_at).where(Inquiry.id == inquiry_id)).first()
    if asked_at is None:
        return None
    waited = micros(ensure_utc(at) - asked_at)  # what the stats sort by
    open_to = (Inquiry.id == inquiry_id, Inquiry.status != DISMISSED, Inquiry.asked_at <= at)
    first = (
        session.execute(
            update(Inquiry)
            .where(*open_to, Inquiry.first_response_at.is_(None))
            .values(
                first_response_at=at,
                first_response_us=waited,
                first_responder_id=responder_id,
                first_response_by_manager=by_manager,
                status=case((Inquiry.status == WAITING, ANSWERED), else_=Inquiry.status),
                next_alert_at=None,
                text_kept_until=at + keep_text,
            )
        ).rowcount
        == 1
    )
    manager_first = by_manager and (
        session.execute(
            update(Inquiry)
            .where(*open_to, Inquiry.first_manager_response_at.is_(None))
            .values(first_manager_response_at=at, first_manager_response_us=waited)
        ).rowcount
        == 1
    )
    if not (first or manager_first):
        return None
    days_changed(session, asked_at)
    alerts = session.exec(select(Inquiry.alerts_sent).where(Inquiry.id == inquiry_id)).one()
    return Response(first, manager_first, alerts > 0)


def close(
    session: Session,
    inquiry_id: int,
    status: str,
    by_id: int | None,
    at: datetime,
    keep_text: timedelta,
) -> str | None:
    """Mark it resolved or dismissed (a manager's bookkeeping: not a response); its status
    before, or None when there is no such inquiry."""
    found = session.exec(
        select(Inquiry.status, Inquiry.asked_at).where(Inquiry.id == inquiry_id)
    ).first()
    if found is None:
        return None
    before, asked_at = found
    if before != status:
        days_changed(session, asked_at)
    session.execute(
        update(Inquiry)
        .where(Inquiry.id == inquiry_id)
        .values(
            status=status,
            closed_at=at,
            closed_by_id=by_id,
            next_alert_at=None,
            text_kept_until=func.coalesce(Inquiry.text_kept_until, at + keep_text),
        )
    )
    return before


def by_message(session: Session, platform: str, channel_id: str, message_id: str) -> int | None:
    """The inquiry whose first line is `message_id` in channel `channel_id` (any state)."""
    return session.exec(
        select(Inquiry.id).where(
            Inquiry.platform == platform,
            Inquiry.channel_id == channel_id,
            Inquiry.message_id == message_id,
        )
    ).first()


def assign(session: Session, inquiry_id: int, member_id: int, at: datetime) -> bool:
    """The manager takes it; False when there is no such inquiry."""
    taken = session.execute(
        update(Inquiry)
        .where(Inquiry.id == inquiry_id)
        .values(assignee_id=member_id, assigned_at=at)
    )
    return taken.rowcount == 1


def tracked(session: Session, now: datetime) -> list[Tracked]:
    """Every inquiry that may still get a first response (asked in the last TRACKED_FOR),
    or a first manager response (answered in the last MANAGER_WATCH)."""
    rows = session.exec(
        select(Inquiry, Member.platform_user_id)
        .join(Member, Member.id == Inquiry.member_id, isouter=True)
        .where(
            or_(
                (Inquiry.status == WAITING) & (Inquiry.asked_at >= now - TRACKED_FOR),
                (Inquiry.status == ANSWERED)
                & Inquiry.first_manager_response_at.is_(None)
                & (Inquiry.asked_at >= now - MANAGER_WATCH),
            )
        )
    )
    return [
        Tracked(
            row.id,  # type: ignore[arg-type]
            row.platform,
            user_id or "",
            row.channel_id,
            row.home_channel_id,
            row.thread_id,
            tuple(row.lines()),
            row.status == WAITING,
            row.last_line_at,
            row.asked_at,
        )
        for row, user_id in rows
    ]


def just_asked(inquiry_id: int, asked: Asked, asker: str) -> Tracked:
    """What the tracker keeps of an inquiry it has just opened."""
    return Tracked(
        inquiry_id,
        asked.platform,
        asker,
        asked.channel_id,
        asked.home_channel_id,
        asked.thread_id,
        (asked.message_id,),
        True,
        asked.at,
        asked.at,
    )


def drop_expired_text(session: Session, now: datetime) -> int:
    """Drop the text of questions settled longer ago than the retention; how many."""
    dropped = session.execute(
        update(Inquiry)
        .where(Inquiry.text_kept_until <= now, Inquiry.text.is_not(None))
        .values(text=None)
    )
    return dropped.rowcount


def next_text_expiry(session: Session) -> datetime | None:
    return session.exec(
        select(func.min(Inquiry.text_kept_until)).where(Inquiry.text.is_not(None))
    ).one()
