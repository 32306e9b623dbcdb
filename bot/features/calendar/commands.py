"""`/calendar`: managers plan posts; Steward publishes each on time, once (jobs/calendar_jobs.py).

Commands (managers, in the managers' channel): add, list, edit, cancel, pause, resume, import.
The heads-up before each post carries a "Skip this one" button (`cal:skip:<post>:<epoch>`);
see calendar_heads_up.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlmodel import Session

from bot.core.app import Steward
from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext, EventContext
from bot.core.errors import UsageError
from bot.core.events import ChannelRef
from bot.core.messages import Message, Section
from bot.core.option_refs import name_list
from bot.features.calendar import store as calendar_store
from bot.features.calendar.agenda import View, agenda, read_agenda, skipped_occurrences
from bot.features.calendar.channels import (
    Lookup,
    channel_names,
    channel_of,
    current_names,
    limits,
    look_up,
)
from bot.features.calendar.heads_up import skip_button, withdraw_heads_up
from bot.features.calendar.import_report import render_import
from bot.features.calendar.import_rows import Defaults, ImportFileError
from bot.features.calendar.importing import import_file
from bot.features.calendar.jobs import CalendarJob
from bot.features.calendar.posts import (
    CONTENT_TYPES,
    MAX_TITLE,
    DraftError,
    PostDraft,
    make_draft,
    store_posts,
)
from bot.features.calendar.recurrence import REPEAT_FORMS, RepeatError, normalise_repeat
from bot.features.calendar.store import (
    ACTIVE,
    CANCELLED,
    PAUSED,
    CalendarPost,
    activate,
)
from bot.text.when import WHEN_FORMS, format_local

NEXT_SHOWN = 3
ID = Option("id", OptionType.INTEGER, "the post's number", required=True, min_value=1)
WHEN = Option("when", help=WHEN_FORMS, required=True)
CHANNEL = Option("channel", OptionType.CHANNEL, "where it is published", required=True)
TYPE = Option("type", help="content type", required=True, choices=CONTENT_TYPES)
# the text's limit is the platform's message length, checked when the post is written
TEXT = Option("text", help='the post (a poll: "a | b | c")', required=True)
REPEAT = Option("repeat", help=REPEAT_FORMS)
TITLE = Option("title", help="a headline (a poll: the question)", max_length=MAX_TITLE)
LINK = Option("link", help="a URL", max_length=2000)
EDITABLE = ("when", "channel", "type", "text", "repeat", "title", "link")
DRAFTED = (  # what an edit copies from the checked draft to the post
    "platform", "channel_id", "channel_name", "content_type", "title", "text", "link", "repeat",
    "timezone", "starts_at",
)  # fmt: skip


def install(app: Steward) -> None:
    app.uses_channels(partial(app.store.run, calendar_store.active_channels))
    command = app.registry.command
    manager = Access.MANAGER
    command(
        "calendar add",
        "Schedule a post (a poll: title is the question, text the options a | b | c).",
        WHEN, CHANNEL, TYPE, TEXT, REPEAT, TITLE, LINK,
        access=manager,
    )(add_post)  # fmt: skip
    command(
        "calendar list",
        "The coming posts, day by day.",
        Option("days", OptionType.INTEGER, "how far ahead", min_value=1, max_value=92),
        Option("channel", OptionType.CHANNEL, "only this channel"),
        access=manager,
    )(list_posts)
    command(
        "calendar edit",
        "Change a post: give only what changes (repeat:none stops repeating).",
        ID,
        *(_optional(option) for option in (WHEN, CHANNEL, TYPE, TEXT, REPEAT, TITLE, LINK)),
        access=manager,
    )(edit_post)
    command("calendar cancel", "Cancel a post for good.", ID, access=manager)(cancel_post)
    command("calendar pause", "Hold a post until resumed.", ID, access=manager)(pause_post)
    command("calendar resume", "Resume a paused post from its next time.", ID, access=manager)(
        resume_post
    )
    command(
        "calendar import",
        "Import posts from a CSV or ICS file (all rows, or none unless skip_bad:true).",
        Option("file", OptionType.ATTACHMENT, "attach a CSV or ICS file", required=True),
        Option("skip_bad", OptionType.BOOLEAN, "import the good rows even if some are bad"),
        Option("channel", OptionType.CHANNEL, "for posts that name no channel of their own"),
        Option("type", help="for posts that name no content type", choices=CONTENT_TYPES),
        access=manager,
    )(import_posts)
    app.on_button("cal", skip_button)
    app.jobs.add(CalendarJob(app))
    app.privacy.add("calendar", calendar_store.export_member, calendar_store.forget_member)


def _optional(option: Option) -> Option:
    return replace(option, required=False)


# ---- add ----------------------------------------------------------------------------------
async def add_post(ctx: CommandContext) -> None:
    """Check the post, store it, and say when it goes out next (three times if it repeats)."""
    draft = await _draft(ctx, ctx.options)
    heads_up = ctx.app.settings.calendar.heads_up_delta

    def store(session: Session) -> list[int]:
        author = ctx.app.directory.member_id(session, ctx.member, ctx.now)
        return store_posts(session, [draft], author, ctx.now, heads_up)

    [post_id] = await ctx.app.store.run(store)
    await ctx.app.work_added()
    repeats = f", repeats {draft.repeat}" if draft.repeat else ""
    await ctx.post(
        Message(
            text=f"📅 Scheduled calendar post #{post_id}: {draft.content_type} in "
            f"#{draft.channel_name}{repeats}.",
            sections=(Section(title="Next", text=await _next_times(draft.schedule(), ctx)),),
        )
    )


async def _draft(ctx: CommandContext, fields: dict[str, Any]) -> PostDraft:
    """The post as written, its channel resolved to an id, checked against the platform."""
    platform = ctx.event.platform
    channel, channels = await _channel(ctx, fields.get("channel"))
    try:
        return make_draft(
            {**fields, "channel": channel},
            platform=platform,
            now=ctx.now,
            zone=ctx.zone,
            channels=channels,
            limits=limits(ctx.app, platform),
        )
    except DraftError as exc:
        message = str(exc)
        if channels.known(channel) is False:
            names = await channel_names(ctx.app, platform)
            message += f" Channels: {name_list(names, '#')}."
        raise UsageError(message, ctx.usage()) from None


async def _channel(ctx: CommandContext, value: object) -> tuple[str, Lookup]:
    """The channel a draft names (an id, or a name) and what it stands for: a channel option
    is the channel itself (the core looked it up); a stored id is looked up on the platform."""
    platform = ctx.event.platform
    channel = channel_of(value)
    if isinstance(value, ChannelRef):
        return channel, Lookup(platform, {channel: value}, connected=True)
    return channel, await look_up(ctx.app, platform, [channel])


async def _next_times(schedule, ctx: EventContext, post_id: int | None = None) -> str:
    """The next occurrences in local time; those a manager skipped are marked."""
    times = schedule.upcoming(ctx.now, NEXT_SHOWN if schedule.rule else 1)
    skipped: set = set()
    if post_id is not None and times:
        end = times[-1] + timedelta(seconds=1)
        skipped = await ctx.app.store.run(skipped_occurrences, [post_id], ctx.now, end)
    return "\n".join(
        format_local(at, ctx.zone) + (" — skipped" if (post_id, at) in skipped else "")
        for at in times
    )


# ---- list ---------------------------------------------------------------------------------
async def list_posts(ctx: CommandContext) -> None:
    """The agenda, with each channel it shows under its current name."""
    only = ctx.options.get("channel")  # a ChannelRef, looked up and checked by the core
    view = View(ctx.options.get("days", 14), limits(ctx.app, ctx.event.platform), only)
    listing = await ctx.app.store.run(read_agenda, ctx.now, view)
    if only is not None:
        names = {(only.platform, only.channel_id): only.name}
    else:
        names = await current_names(ctx.app, listing.channels())
    await ctx.reply(agenda(listing, ctx.zone, replace(view, names=names)))


# ---- edit, cancel, pause, resume ------------------------------------------------------------
async def edit_post(ctx: CommandContext) -> None:
    post_id = ctx.options["id"]
    changes = {key: value for key, value in ctx.options.items() if key in EDITABLE}
    if not changes:
        raise UsageError("Say what to change, e.g. text:… or when:….", ctx.usage())
    post = await ctx.app.store.run(_get_post, post_id, (ACTIVE, PAUSED))
    fields: dict[str, Any] = {
        "when": post.starts_at,
        "timezone": post.timezone,
        "channel": post.channel_id,
        "type": post.content_type,
        **{key: getattr(post, key) for key in ("text", "repeat", "title", "link")},
    }
    if "when" in changes:
        fields["timezone"] = ctx.zone.key
    elif post.next_at is not None and _one_off(changes.get("repeat", post.repeat)):
        fields["when"] = post.next_at  # repeat:none — the next time is the last one
    draft = await _draft(ctx, {**fields, **changes})
    config = ctx.app.settings.calendar
    next_at = await ctx.app.store.run(_apply_edit, post_id, draft, ctx.now, config.heads_up_delta)
    await ctx.app.work_added()
    if post.next_at != next_at:
        moved = f"moved by {ctx.member.name}"
        await withdraw_heads_up(ctx, post_id, post.next_at, moved, next_at)
    changed = ", ".join(sorted(changes))
    state = " It stays paused." if post.status == PAUSED else ""
    await ctx.post(
        Message(
            text=f"✏️ Calendar post #{post_id} changed ({changed}).{state}",
            sections=(
                Section(title="Next", text=await _next_times(draft.schedule(), ctx, post_id)),
            ),
        )
    )


def _one_off(repeat: object) -> bool:
    try:
        return not normalise_repeat(str(repeat or ""))
    except RepeatError:
        return False  # make_draft says what is wrong with it


def _apply_edit(
    session: Session, post_id: int, draft: PostDraft, now: datetime, heads_up
) -> datetime | None:
    post = session.get(CalendarPost, post_id)
    for key in DRAFTED:
        setattr(post, key, getattr(draft, key))
    if post.status == ACTIVE:
        activate(post, now, heads_up)
    session.add(post)
    return post.next_at


async def cancel_post(ctx: CommandContext) -> None:
    post, was_next = await ctx.app.store.run(_set_state, ctx.options["id"], CANCELLED, ctx.now)
    await withdraw_heads_up(ctx, post.id, was_next, f"cancelled by {ctx.member.name}")
    await ctx.post(f"🗑️ Calendar post #{post.id} is cancelled; it will not be published again.")


async def pause_post(ctx: CommandContext) -> None:
    post, was_next = await ctx.app.store.run(_set_state, ctx.options["id"], PAUSED, ctx.now)
    await withdraw_heads_up(ctx, post.id, was_next, f"paused by {ctx.member.name}")
    await ctx.post(
        f"⏸️ Calendar post #{post.id} is paused; nothing goes out until "
        f"/calendar resume id:{post.id}."
    )


async def resume_post(ctx: CommandContext) -> None:
    heads_up = ctx.app.settings.calendar.heads_up_delta
    post, _ = await ctx.app.store.run(_set_state, ctx.options["id"], ACTIVE, ctx.now, heads_up)
    await ctx.app.work_added()
    await ctx.post(
        f"▶️ Calendar post #{post.id} is resumed; next: {format_local(post.next_at, ctx.zone)}."
    )


_ALLOWED_FROM = {CANCELLED: (ACTIVE, PAUSED), PAUSED: (ACTIVE,), ACTIVE: (PAUSED,)}


def _set_state(session: Session, post_id: int, state: str, now: datetime, heads_up=None):
    """Move the post to `state`; return it and the occurrence that was next before."""
    post = _get_post(session, post_id, _ALLOWED_FROM[state])
    was_next = post.next_at
    if state == ACTIVE:
        activate(post, now, heads_up)
        if post.next_at is None:
            raise UsageError(
                f"Calendar post #{post_id} has no time left to go out (it was due while paused). "
                f"Give it a new one with /calendar edit id:{post_id} when:…, then resume it."
            )
    else:
        post.status, post.next_at, post.heads_up_at = state, None, None
    session.add(post)
    return post, was_next


def _get_post(session: Session, post_id: int, states: tuple[str, ...]) -> CalendarPost:
    post = session.get(CalendarPost, post_id)
    if post is None:
        raise UsageError(f"There is no calendar post #{post_id}; /calendar list shows them.")
    if post.status not in states:
        raise UsageError(f"Calendar post #{post_id} is {post.status}; that cannot be done now.")
    return post


# ---- import -------------------------------------------------------------------------------
async def import_posts(ctx: CommandContext) -> None:
    attachments = ctx.event.attachments  # type: ignore[attr-defined]
    if not attachments:
        raise UsageError("Attach the CSV or ICS file to import.", ctx.usage())
    if len(attachments) > 1:
        raise UsageError("Attach one file at a time.", ctx.usage())
    file = attachments[0]
    try:
        result = await import_file(
            ctx.app,
            platform=ctx.event.platform,
            filename=file.filename,
            data=file.data,
            author=ctx.member,
            skip_bad=ctx.options.get("skip_bad", False),
            defaults=Defaults(
                channel_of(ctx.options.get("channel")), str(ctx.options.get("type") or "")
            ),
        )
    except ImportFileError as exc:
        raise UsageError(f"Nothing imported: {exc}", ctx.usage()) from None
    message = render_import(result)
    await (ctx.post(message) if result.imported else ctx.reply(message))
