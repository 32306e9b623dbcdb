"""The tracker: every new message may open an inquiry, join one, or answer one.

It listens to every recorded event, live or fetched after downtime. What it decides, it
decides from memory (the book and the help channels' ids); only an event that opens, joins,
answers or closes an inquiry touches the database.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.business_hours import add_working_minutes, parse_business_hours
from bot.core.context import EventContext
from bot.core.events import (
    InboundEvent,
    MessageDeleted,
    MessagePosted,
    MessageShared,
    ReactionAdded,
    ReplyPosted,
)
from bot.features.inquiries import ledger
from bot.features.inquiries.book import InquiryBook, spot
from bot.features.inquiries.help_channels import HelpChannels
from bot.features.inquiries.questions import is_question
from bot.features.inquiries.store import DISMISSED, RESOLVED
from bot.text.emoji_names import emoji_of

if TYPE_CHECKING:
    from bot.core.services import CoreServices

Changed = Callable[[int], Awaitable[None]]
Post = MessagePosted | MessageShared  # what can ask: a reply answers, it never asks
REFRESH_SECONDS = 60  # real time at most between reloads of the book (other processes' work)
ALERT_HISTORY = timedelta(days=7)  # a question found in history older than this never alerts


class InquiryTracker:
    """Opens inquiries from help-channel questions, and records who answered them first."""

    def __init__(self, app: CoreServices) -> None:
        self.app = app
        config = app.settings.inquiries
        self.words = config.question_words
        self.answer_emoji = config.answer_reaction  # as bot.text.emoji_names wrote them
        self.dismiss_emoji = config.dismiss_reaction
        self.keep_text = timedelta(days=app.settings.privacy.retention_days)
        self.hours = parse_business_hours(config.business_hours)
        self.book = InquiryBook()
        self.help = HelpChannels(app)
        self.on_change: Changed | None = None  # the alerts' refresh (alerts.install_alerts)
        self._loaded_at: float | None = None  # time.monotonic() of the last reload

    async def reload(self, at: datetime | None = None) -> None:
        """Read what is tracked from the database: what other processes opened or answered
        is seen then (at the first event, a minute after the last reload, at each alert
        check, after a member is forgotten). `at`: the time of the event being handled, so
        that history (imported, or fetched after downtime) is tracked as it was then."""
        now = self.app.clock.now()
        self._loaded_at = time.monotonic()
        self.book.begin_reload()
        self.book.load(await self.app.store.run(ledger.tracked, min(now, at or now)))

    # ---- the listener -------------------------------------------------------------------
    async def on_event(self, ctx: EventContext) -> None:
        event = ctx.event
        if event.member.is_bot:
            return
        if self._loaded_at is None or time.monotonic() - self._loaded_at > REFRESH_SECONDS:
            await self.reload(event.at)
        if isinstance(event, MessagePosted | ReplyPosted | MessageShared):
            await self._message(event)
        elif isinstance(event, ReactionAdded):
            await self._reaction(event)
        elif isinstance(event, MessageDeleted):
            await self._deleted(event)

    async def _message(self, event: MessagePosted | ReplyPosted | MessageShared) -> None:
        channel = event.channel
        parent = event.parent_id if isinstance(event, ReplyPosted) else None
        found = self.book.candidates(
            event.platform,
            channel.home_id,
            channel.channel_id,
            channel.thread_id,
            parent,
            event.mentions,
        )
        for inquiry_id in sorted(found):
            await self._maybe_answer(inquiry_id, event)
        if not isinstance(event, ReplyPosted):
            await self._maybe_ask(event)

    async def _maybe_answer(self, inquiry_id: int, event: InboundEvent) -> None:
        tracked = self.book.get(inquiry_id)
        if tracked is None or tracked.asker == event.member.user_id:
            return  # the asker's own follow-ups never count
        if not tracked.watched_at(event.at):  # by the event's time: history counts as live
            self.book.drop(inquiry_id)
            return
        if tracked.waiting or event.member.is_manager:
            await self.respond(inquiry_id, event)

    async def respond(self, inquiry_id: int, event: InboundEvent) -> ledger.Response | None:
        """Record `event`'s member as responding to the inquiry (the first response, or the
        first by a manager), and keep the book and any alert posts up to date."""
        response = await self.app.store.run(
            _respond, self.app.directory, inquiry_id, event, self.keep_text
        )
        if response is None:
            return None
        if event.member.is_manager:
            self.book.drop(inquiry_id)  # nothing more to wait for
        elif response.first:
            self.book.answered(inquiry_id)
        if response.first and response.alerted:
            await self.alerts_changed(inquiry_id)
        return response

    async def alerts_changed(self, inquiry_id: int) -> None:
        """Tell `on_change` (the alerts, to show it on their posts) that it changed."""
        if self.on_change is not None:
            await self.on_change(inquiry_id)

    # ---- opening and joining ------------------------------------------------------------
    async def _maybe_ask(self, event: Post) -> None:
        member, channel = event.member, event.channel
        where = spot(event.platform, channel.channel_id, channel.thread_id, member.user_id)
        joined = self.book.follow_up(where, event.at)
        if joined is not None:
            await self.app.store.run(
                ledger.add_line, joined, event.message_id, event.text, event.at
            )
            self.book.add_line(joined, event.message_id, event.at)
            self.book.note_line(where, joined, event.at)
        elif not member.is_manager and await self._may_ask_here(event):
            title = channel.name if channel.thread_id is not None else ""
            text = f"{title}\n{event.text}".strip()
            if is_question(text, self.words):
                asked = await self.open(event, text, source="channel", message_id=event.message_id)
                if asked is not None:
                    self.book.note_line(where, asked, event.at)

    async def _may_ask_here(self, event: Post) -> bool:
        """A new message in a help channel, or the first post of a thread of its own there
        (a forum post, whose id is the thread's; the thread's name is its title)."""
        channel = event.channel
        if channel.home_id not in await self.help.on(event.platform):
            return False
        return channel.thread_id is None or event.message_id == channel.thread_id

    async def open(
        self, event: InboundEvent, text: str, *, source: str, message_id: str
    ) -> int | None:
        """Open an inquiry for `event`'s member on `message_id` (their message, or the post
        of their `/ask`); its id, or None when that message was one already."""
        channel = event.channel
        sla_due, reminder = self._deadlines(event.at)
        asked = ledger.Asked(
            platform=event.platform,
            channel_id=channel.channel_id,
            home_channel_id=channel.home_id,
            thread_id=channel.thread_id,
            message_id=message_id,
            member_id=0,  # filled in from the directory in the transaction
            source=source,
            text=text,
            at=event.at,
            sla_due_at=sla_due,
            reminder_at=reminder,
            alerts=event.at >= self.app.clock.now() - ALERT_HISTORY,
        )
        inquiry_id = await self.app.store.run(_open, self.app.directory, event, asked)
        if inquiry_id is None:
            return None
        self.book.add(ledger.just_asked(inquiry_id, asked, event.member.user_id))
        await self.app.work_added()
        return inquiry_id

    def _deadlines(self, at: datetime) -> tuple[datetime, datetime]:
        """When the SLA and twice the SLA have passed (in business hours when set)."""
        minutes, zone = self.app.settings.inquiries.sla_minutes, self.app.settings.community.zone
        return (
            add_working_minutes(at, minutes, self.hours, zone),
            add_working_minutes(at, 2 * minutes, self.hours, zone),
        )

    # ---- reactions and deletions --------------------------------------------------------
    async def _reaction(self, event: ReactionAdded) -> None:
        """A manager's answer reaction answers and resolves; their dismiss reaction marks
        "not a question"."""
        emoji = emoji_of(event.emoji) if event.member.is_manager else ""
        if not emoji or emoji not in (self.answer_emoji, self.dismiss_emoji):
            return
        inquiry_id = self.book.first_line(event.platform, event.channel.home_id, event.message_id)
        if inquiry_id is None:
            inquiry_id = await self.app.store.run(
                ledger.by_message, event.platform, event.channel.channel_id, event.message_id
            )
        if inquiry_id is None:
            return
        if emoji == self.answer_emoji:
            await self.respond(inquiry_id, event)
        await self.close(inquiry_id, RESOLVED if emoji == self.answer_emoji else DISMISSED, event)

    async def close(self, inquiry_id: int, status: str, event: InboundEvent | None) -> str | None:
        """Resolve or dismiss an inquiry (by `event`'s member); its status before, or None."""
        at = event.at if event is not None else self.app.clock.now()
        before = await self.app.store.run(
            _close, self.app.directory, inquiry_id, status, event, at, self.keep_text
        )
        if before is not None:
            self.book.drop(inquiry_id, closed=True)
            await self.alerts_changed(inquiry_id)
        return before

    async def _deleted(self, event: MessageDeleted) -> None:
        """The question's first line was deleted: it no longer waits for anyone."""
        inquiry_id = self.book.first_line(event.platform, event.channel.home_id, event.message_id)
        tracked = self.book.get(inquiry_id) if inquiry_id is not None else None
        if tracked is not None and tracked.waiting:
            await self.close(tracked.id, DISMISSED, None)


def _open(session, directory, event: InboundEvent, asked: ledger.Asked) -> int | None:
    member_id = directory.member_id(session, event.member, event.at)
    return ledger.open_inquiry(session, replace(asked, member_id=member_id))


def _respond(session, directory, inquiry_id: int, event: InboundEvent, keep: timedelta):
    member_id = directory.member_id(session, event.member, event.at)
    return ledger.record_response(
        session, inquiry_id, member_id, event.member.is_manager, event.at, keep
    )


def _close(session, directory, inquiry_id, status, event, at: datetime, keep: timedelta):
    by_id = directory.member_id(session, event.member, at) if event is not None else None
    return ledger.close(session, inquiry_id, status, by_id, at, keep)
