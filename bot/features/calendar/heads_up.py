"""The managers' heads-up before a calendar post: its "Skip this one" button, and withdrawing it
when the post will not go out at that time after all (cancelled, paused, moved).
"""

from __future__ import annotations

from datetime import datetime

from bot.core.context import CommandContext, EventContext
from bot.core.errors import UsageError
from bot.core.messages import Message, SentMessage
from bot.features.calendar import notices
from bot.features.calendar.notices import parse_skip_action
from bot.features.calendar.store import SENT, heads_up_messages, skip_occurrence
from bot.text.when import format_local


async def withdraw_heads_up(
    ctx: CommandContext,
    post_id: int,
    due_at: datetime | None,
    reason: str,
    next_at: datetime | None = None,
) -> None:
    """Edit the heads-up already posted for `due_at` (if any): that time will not happen."""
    if due_at is None or due_at <= ctx.now:
        return
    since = due_at - ctx.app.settings.calendar.heads_up_delta
    sent = await ctx.app.store.run(heads_up_messages, post_id, since)
    if next_at is not None:
        reason += f"; next: {format_local(next_at, ctx.zone)}"
    message = notices.withdrawn(post_id, due_at, reason, ctx.zone)
    for row in sent:
        where = SentMessage(row.platform, row.channel_id, row.platform_message_id)
        await ctx.app.update(where, message)


async def skip_button(ctx: EventContext) -> None:
    """Skip the occurrence a heads-up announced (managers only); the heads-up says so."""
    parsed = parse_skip_action(ctx.event.action_id)  # type: ignore[attr-defined]
    if parsed is None:
        raise UsageError("That button is no longer active.")
    if not ctx.member.is_manager:
        raise UsageError("Only community managers can skip calendar posts.")
    post_id, occurs_at = parsed

    def skip(session):
        by = ctx.app.directory.member_id(session, ctx.member, ctx.now)
        return skip_occurrence(session, post_id, occurs_at, by, ctx.now)

    existing = await ctx.app.store.run(skip)
    when = format_local(occurs_at, ctx.zone)
    if existing is not None:
        done = "already went out" if existing.status == SENT else f"is already {existing.status}"
        raise UsageError(f"Calendar post #{post_id} at {when} {done}.")
    await ctx.app.work_added()
    event = ctx.event
    await ctx.app.update(
        SentMessage(event.platform, ctx.channel.channel_id, event.message_id),  # type: ignore[attr-defined]
        Message(text=f"⏭️ Skipped: calendar post #{post_id} at {when} (by {ctx.member.name})."),
    )
