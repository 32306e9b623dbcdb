"""Inquiries as managers read them: who asked, where, how long ago, who answered or took it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import and_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from bot.core.markup import channel_mention, link, mention
from bot.features.inquiries.store import Inquiry
from bot.store.models import Channel, Member
from bot.text.durations import format_duration
from bot.text.excerpts import excerpt

if TYPE_CHECKING:
    from bot.core.services import CoreServices


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str

    def shown(self) -> str:
        return mention(self.user_id, self.name)


@dataclass(frozen=True)
class InquiryView:
    """One inquiry with the names it needs to be shown."""

    row: Inquiry
    channel_name: str
    asker: Person | None
    responder: Person | None
    assignee: Person | None
    closer: Person | None

    @property
    def id(self) -> int:
        return self.row.id  # type: ignore[return-value]

    def where(self) -> str:
        """The channel it was asked in, as a link."""
        return channel_mention(self.row.home_channel_id, self.channel_name)

    def who(self) -> str:
        return self.asker.shown() if self.asker else "a member who was forgotten"


def load(session: Session, *conditions, order=None, limit: int | None = None) -> list[InquiryView]:
    """The inquiries matching `conditions`, with their people's and channel's names."""
    asker, responder, assignee, closer = (aliased(Member) for _ in range(4))
    query = (
        select(Inquiry, Channel.name, asker, responder, assignee, closer)
        .join(asker, asker.id == Inquiry.member_id, isouter=True)
        .join(responder, responder.id == Inquiry.first_responder_id, isouter=True)
        .join(assignee, assignee.id == Inquiry.assignee_id, isouter=True)
        .join(closer, closer.id == Inquiry.closed_by_id, isouter=True)
        .join(
            Channel,
            and_(
                Channel.platform == Inquiry.platform,
                Channel.platform_channel_id == Inquiry.home_channel_id,
            ),
            isouter=True,
        )
        .where(*conditions)
    )
    if order is not None:
        query = query.order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    return [
        InquiryView(row, name or row.home_channel_id, *(_person(m) for m in people))
        for row, name, *people in session.exec(query)
    ]


def load_one(session: Session, inquiry_id: int) -> InquiryView | None:
    found = load(session, Inquiry.id == inquiry_id)
    return found[0] if found else None


def _person(member: Member | None) -> Person | None:
    return None if member is None else Person(member.platform_user_id, member.name)


def question_link(app: CoreServices, view: InquiryView, label: str) -> str:
    """A link to the question reading `label` (its short id where the platform has no URLs;
    nothing once its asker is forgotten)."""
    row = view.row
    if view.asker is None:
        return ""
    url = app.message_link(row.platform, row.channel_id, row.message_id, row.thread_id)
    if url is None:
        return ""
    return link(url, label) if url.startswith(("http://", "https://")) else f"{label}: {url}"


def quoted(view: InquiryView, limit: int) -> str:
    """The question's words, cut to `limit` characters, in quotes."""
    return f"“{excerpt(view.row.text or '', limit)}”" if view.row.text else "(text no longer kept)"


def waited(view: InquiryView, now: datetime) -> str:
    """How long it has waited (or waited until `now`), compactly: `1h 5m`, `2d 3h`."""
    return format_duration(max(now - view.row.asked_at, timedelta(0)))
