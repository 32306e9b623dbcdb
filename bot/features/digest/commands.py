"""`/digest preview [week:…]` (privately) and `/digest post [channel:…]`, for managers."""

from __future__ import annotations

from bot.core.app import Steward
from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.events import ChannelRef
from bot.features.digest import store
from bot.features.digest.compute import compute_digest
from bot.features.digest.figures import WeekDigest
from bot.features.digest.posting import (
    KIND,
    DigestJob,
    DigestRenderer,
    destinations,
    message_for,
    post_now,
)
from bot.features.digest.weeks import WEEK_HELP, Week, WeekError, last_full_week, parse_week


def install(app: Steward) -> None:
    command = app.registry.command
    command(
        "digest preview",
        "See a week's engagement digest privately (default: the last full week).",
        Option("week", help=WEEK_HELP, max_length=20),
        access=Access.MANAGER,
    )(preview)
    command(
        "digest post",
        "Post the last full week's digest now (default: where the weekly digest goes).",
        Option("channel", OptionType.CHANNEL, "where to post it"),
        access=Access.MANAGER,
    )(post)
    app.outbox.renderer(KIND, DigestRenderer(app))
    app.jobs.add(DigestJob(app))
    app.privacy.add("digest", store.export_member, store.forget_member)


async def preview(ctx: CommandContext) -> None:
    try:
        week = parse_week(ctx.options.get("week", ""), ctx.now, ctx.zone)
    except WeekError as exc:
        raise UsageError(str(exc), ctx.usage()) from None
    digest = await _digest(ctx, week)
    await ctx.reply(await message_for(ctx.app, digest, ctx.event.platform))


async def post(ctx: CommandContext) -> None:
    week = last_full_week(ctx.now, ctx.zone)
    channel: ChannelRef | None = ctx.options.get("channel")
    where = (
        [(ctx.event.platform, channel.channel_id)]
        if channel is not None
        else await destinations(ctx.app)
    )
    digest = await _digest(ctx, week)
    sent = await post_now(ctx.app, digest, where)
    places = len(where)
    if len(sent) == places:
        done = "posted"
    else:
        done = f"posted in {len(sent)} of {places} places; Steward keeps trying the rest"
    target = f"#{channel.name}" if channel is not None else _places(places)
    await ctx.reply(f"The digest of {week.label} is {done} ({target}).")


async def _digest(ctx: CommandContext, week: Week) -> WeekDigest:
    app = ctx.app
    return await app.store.run(compute_digest, week, app.settings, ctx.now)


def _places(count: int) -> str:
    return "where the weekly digest goes" if count > 1 else "the weekly digest's channel"
