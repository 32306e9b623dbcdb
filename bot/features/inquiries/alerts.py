"""SLA alerts: a question unanswered past its SLA is posted once to the managers' channel,
with a "Take it" button, and once more at twice the SLA; never for an answered one.

The alert check is a due job. It marks an inquiry's alert as sent and enqueues the post in
one transaction, keyed per inquiry and alert, so a restart or a second process never posts
it twice and a failing platform never loses it (the outbox retries). The post is rendered
when it goes out: an inquiry answered meanwhile is dropped, not posted.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, update
from sqlmodel import Session, select

from bot.core.context import EventContext
from bot.core.errors import UsageError
from bot.core.messages import Button, ButtonStyle, Message, Section
from bot.core.outbox import Recipe
from bot.core.outbox_store import enqueue_once
from bot.core.posts import edit_post, find_post
from bot.features.inquiries import ledger, views
from bot.features.inquiries.store import DISMISSED, RESOLVED, WAITING, Inquiry

if TYPE_CHECKING:
    from bot.core.services import CoreServices
    from bot.features.inquiries.tracking import InquiryTracker

FEATURE = "inquiries"
KIND = "inquiries:alert"
TAKE = "inquiry"  # button action ids: inquiry:take:<id>
ROLES = ("alert:1", "alert:2")
QUOTED = 300  # characters of the question shown on an alert


class SlaAlerts:
    """The due job: enqueue and post every alert whose time has come."""

    name = "inquiry-alerts"

    def __init__(self, app: CoreServices, tracker: InquiryTracker) -> None:
        self.app = app
        self.tracker = tracker

    async def next_due(self, now: datetime) -> datetime | None:
        return await self.app.store.run(_next_alert, set(self.app.adapters))

    async def run(self, now: datetime) -> None:
        await self.tracker.reload()  # what other processes opened or answered meanwhile
        platforms = set(self.app.adapters)
        ids = await self.app.store.run(_enqueue_due, now, platforms)
        await self.app.outbox.send_now(*ids)


def _next_alert(session: Session, platforms: set[str]) -> datetime | None:
    """The next alert due on a platform this process runs (another process tells the rest)."""
    return session.exec(
        select(func.min(Inquiry.next_alert_at)).where(
            Inquiry.status == WAITING, Inquiry.platform.in_(platforms)
        )
    ).one()


def _enqueue_due(session: Session, now: datetime, platforms: set[str]) -> list[int | None]:
    """Mark each due alert sent and enqueue its post, in this one transaction."""
    due = session.exec(
        select(Inquiry.id, Inquiry.platform, Inquiry.alerts_sent, Inquiry.reminder_at).where(
            Inquiry.status == WAITING,
            Inquiry.next_alert_at <= now,
            Inquiry.platform.in_(platforms),
        )
    ).all()
    ids = []
    for inquiry_id, platform, sent, reminder_at in due:
        nth = 2 if reminder_at <= now else sent + 1  # after downtime: one alert, not two
        marked = session.execute(
            update(Inquiry)
            .where(Inquiry.id == inquiry_id, Inquiry.alerts_sent == sent, Inquiry.status == WAITING)
            .values(alerts_sent=nth, next_alert_at=reminder_at if nth == 1 else None)
        )
        if marked.rowcount != 1:
            continue  # another process got there first
        ids.append(
            enqueue_once(
                session,
                now,
                feature=FEATURE,
                kind=KIND,
                ref_id=inquiry_id,
                platform=platform,
                channel_id=None,
                role=ROLES[nth - 1],
                label=f"the SLA alert for inquiry #{inquiry_id}",
            )
        )
    return ids


# ---- rendering ----------------------------------------------------------------------------
def install_alerts(app: CoreServices, tracker: InquiryTracker) -> None:
    """The job, its outbox renderer, the Take it button, and alert posts kept up to date."""

    async def render(recipe: Recipe) -> Message | None:
        view = await app.store.run(views.load_one, recipe.ref_id)
        if view is None or view.row.status != WAITING:
            return None  # answered or closed before it went out: nothing to tell
        return alert_message(app, view, ROLES.index(recipe.role) + 1, app.clock.now())

    app.outbox.renderer(KIND, render)
    app.jobs.add(SlaAlerts(app, tracker))
    tracker.on_change = lambda inquiry_id: refresh(app, inquiry_id)
    app.on_button(TAKE, take)  # type: ignore[attr-defined]


def alert_message(app: CoreServices, view: views.InquiryView, nth: int, now: datetime) -> Message:
    """The alert as the managers read it, in the inquiry's present state."""
    row = view.row
    config = app.settings.inquiries
    unit = "business minutes" if config.business_hours else "min"
    sla = f"{config.sla_minutes} {unit}"
    fields = [("Asked by", view.who()), ("Where", view.where())]
    buttons: tuple[Button, ...] = ()
    if row.status == WAITING:
        past = "past its SLA" if nth == 1 else "at twice its SLA"
        head = f"⏰ {'Unanswered' if nth == 1 else 'Still unanswered'} {past} ({sla}): "
        head += f"inquiry #{view.id}"
        fields.append(("Waiting", views.waited(view, now)))
        label = "Take it" if view.assignee is None else "Take it instead"
        buttons = (Button(label, f"{TAKE}:take:{view.id}", ButtonStyle.PRIMARY),)
    else:
        head = f"{_outcome(view)} Inquiry #{view.id} had waited past its SLA ({sla})."
    if view.assignee is not None:
        fields.append(("Taken by", view.assignee.shown()))
    link = views.question_link(app, view, "Open the question")
    body = "\n".join(filter(None, [views.quoted(view, QUOTED), link]))
    return Message(
        text=head,
        sections=(Section(text=body, fields=tuple(fields)),),
        buttons=buttons,
        tag="inquiry",
    )


def _outcome(view: views.InquiryView) -> str:
    """What became of an inquiry that no longer waits, in a sentence."""
    row = view.row
    if row.status == DISMISSED and view.asker is None:
        return "🚫 No longer tracked: its author asked Steward to forget them."
    if row.status == DISMISSED:
        closer = view.closer.shown() if view.closer else "its author, who deleted it"
        return f"🚫 Marked “not a question” by {closer}."
    if row.status == RESOLVED and (row.first_responder_id is None or view.closer == view.responder):
        closer = view.closer.shown() if view.closer else "a manager"
        return f"✅ Resolved by {closer}."
    responder = view.responder.shown() if view.responder else "a member"
    took = views.waited(view, row.first_response_at or row.asked_at)
    return f"✅ Answered by {responder} after {took}."


async def refresh(app: CoreServices, inquiry_id: int) -> None:
    """Show the inquiry's present state on the alerts posted for it."""
    for nth, role in enumerate(ROLES, start=1):
        post = await app.store.run(find_post, FEATURE, inquiry_id, role)
        if post is None:
            continue

        async def render(nth: int = nth) -> Message:
            view = await app.store.run(views.load_one, inquiry_id)
            assert view is not None
            return alert_message(app, view, nth, app.clock.now())

        await edit_post(app, post, render)


async def take(ctx: EventContext) -> None:
    """A manager takes the inquiry: shown on its alerts, told to them privately."""
    action = getattr(ctx.event, "action_id", "")
    try:
        inquiry_id = int(action.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        raise UsageError("That button is no longer active.") from None
    if not ctx.member.is_manager:
        raise UsageError("Only a community manager can take an inquiry.")
    app = ctx.app
    view = await app.store.run(_assign, app.directory, ctx.member, inquiry_id, ctx.now)
    if view is None:
        raise UsageError(f"Inquiry #{inquiry_id} no longer exists.")
    await refresh(app, inquiry_id)
    state = "" if view.row.status == WAITING else " (it is no longer waiting)"
    await ctx.reply(f"You took inquiry #{inquiry_id}{state}. " + _answer_hint(view))


def _assign(session, directory, member, inquiry_id: int, now: datetime):
    member_id = directory.member_id(session, member, now)
    if not ledger.assign(session, inquiry_id, member_id, now):
        return None
    return views.load_one(session, inquiry_id)


def _answer_hint(view: views.InquiryView) -> str:
    if view.row.status != WAITING:
        return ""
    return f"Answer it in {view.where()}; `/inquiries resolve id:{view.id}` once it is done."
