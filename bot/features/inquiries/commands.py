"""`/ask` for members; `/inquiries open|stats|resolve|dismiss` for managers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import select

from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.markup import bold, code
from bot.core.messages import Message, Section
from bot.features.inquiries import stats, views
from bot.features.inquiries.store import DISMISSED, RESOLVED, WAITING, Inquiry

if TYPE_CHECKING:
    from bot.core.app import Steward
    from bot.features.inquiries.tracking import InquiryTracker

MAX_QUESTION = 2000
LISTED = 20  # waiting inquiries shown by /inquiries open
QUOTED = 80


def install_commands(app: Steward, tracker: InquiryTracker) -> None:
    command = app.registry.command
    command(
        "ask",
        "Ask the community a question; Steward makes sure it gets an answer.",
        Option("question", required=True, max_length=MAX_QUESTION, help="your question"),
    )(lambda ctx: ask(ctx, tracker))
    command(
        "inquiries open",
        "Member questions still waiting for an answer, oldest first.",
        access=Access.MANAGER,
    )(open_list)
    command(
        "inquiries stats",
        "Questions, answered share and response times of the last days.",
        Option(
            "days",
            OptionType.INTEGER,
            min_value=1,
            max_value=3650,
            help="window, default 7 (up to ten years: imported history too)",
        ),
        access=Access.MANAGER,
    )(show_stats)
    for verb, status, help_text in (
        ("resolve", RESOLVED, "Mark a member question resolved."),
        ("dismiss", DISMISSED, "Mark a tracked message as not a question."),
    ):
        command(
            f"inquiries {verb}",
            help_text,
            Option("id", OptionType.INTEGER, required=True, min_value=1, help="the inquiry's #"),
            access=Access.MANAGER,
        )(lambda ctx, status=status: close(ctx, tracker, status))


async def ask(ctx: CommandContext, tracker: InquiryTracker) -> None:
    """Post the member's question where they asked, and track it from that post."""
    question = " ".join(str(ctx.options["question"]).split())
    if not question:
        raise UsageError("Write your question after `question:`.", ctx.usage())
    post = Message(text=f"❓ {bold(ctx.member.name)} asks: {question}", tag="inquiry")
    sent = await ctx.post(post)
    inquiry_id = await tracker.open(ctx.event, question, source="ask", message_id=sent.message_id)
    where = "in its thread" if ctx.app.capabilities(ctx.event.platform).threads else "to it"
    await ctx.reply(
        f"Your question is posted and tracked as inquiry #{inquiry_id}. Replies {where} "
        "count as answers; the managers are told if nobody answers in time."
    )


async def open_list(ctx: CommandContext) -> None:
    waiting, overdue, shown = await ctx.app.store.run(_waiting, ctx.now)
    if not waiting:
        await ctx.reply("No member question is waiting for an answer. 🎉")
        return
    lines = [_line(ctx, view) for view in shown]
    if waiting > len(shown):
        lines.append(f"… and {waiting - len(shown)} more.")
    await ctx.reply(
        Message(
            text=f"{waiting} question(s) waiting, {overdue} past the SLA (⏰), oldest first:",
            sections=(Section(text="\n".join(lines)),),
        )
    )


def _line(ctx: CommandContext, view: views.InquiryView) -> str:
    """One waiting question: id, age, channel, asker, assignee, words, link."""
    taken = f"taken by {view.assignee.shown()}" if view.assignee else "unassigned"
    overdue = " ⏰" if view.row.sla_due_at <= ctx.now else ""
    link = views.question_link(ctx.app, view, "open")
    return (
        f"{bold('#' + str(view.id))} · {views.waited(view, ctx.now)}{overdue} · {view.where()} · "
        f"{view.who()} · {taken} · {views.quoted(view, QUOTED)} {link}"
    ).rstrip()


def _waiting(session, now) -> tuple[int, int, list[views.InquiryView]]:
    """How many wait, how many of them past the SLA, and the LISTED oldest."""
    waiting = Inquiry.status == WAITING
    count = session.exec(select(func.count()).where(waiting)).one()
    overdue = session.exec(select(func.count()).where(waiting, Inquiry.sla_due_at <= now)).one()
    oldest = views.load(session, waiting, order=(Inquiry.asked_at, Inquiry.id), limit=LISTED)
    return count, overdue, oldest


async def show_stats(ctx: CommandContext) -> None:
    days = int(ctx.options.get("days") or 7)
    figures = await ctx.app.store.run(stats.inquiry_stats, ctx.now, days, ctx.zone)
    await ctx.reply(stats.render_stats(figures))


async def close(ctx: CommandContext, tracker: InquiryTracker, status: str) -> None:
    inquiry_id = int(ctx.options["id"])
    before = await tracker.close(inquiry_id, status, ctx.event)
    if before is None:
        raise UsageError(
            f"There is no inquiry #{inquiry_id}. {code('/inquiries open')} lists the waiting ones.",
            ctx.usage(),
        )
    done = "resolved" if status == RESOLVED else "marked “not a question”"
    was = "" if before == WAITING else f" (it was {before})"
    await ctx.reply(f"Inquiry #{inquiry_id} is {done}{was}.")
