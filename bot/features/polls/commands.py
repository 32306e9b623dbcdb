"""Polls: `/poll create|results|close`, vote buttons with live counts, closing with a chart."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.core.app import Steward
from bot.core.commands import Option, OptionType
from bot.core.context import CommandContext, EventContext
from bot.core.errors import UsageError
from bot.core.events import MemberRef
from bot.core.messages import Message, SentMessage
from bot.core.outbox import Recipe
from bot.core.outbox_store import enqueue_once
from bot.core.posts import edit_post, find_post, post_and_remember
from bot.features.polls.input import (
    DEFAULT_OPEN,
    QUESTION_MAX,
    check_poll,
    parse_closing,
    parse_options,
)
from bot.features.polls.render import poll_message, results_post, results_reply, vote_confirmation
from bot.features.polls.store import (
    FEATURE,
    POLL_ROLE,
    RESULTS_ROLE,
    Poll,
    PollDraft,
    PollView,
    closed_poll_posts,
    create_poll,
    delete_poll,
    due_polls,
    export_member,
    forget_member,
    load_view,
    mark_closed,
    next_closing,
    open_polls,
    turnout_base,
)
from bot.features.polls.voting import VoteQueue
from bot.text.pipe_lists import clean_item
from bot.text.when import CLOSES_HELP
from jobs.closing import ClosingJob

RESULTS_KIND = "poll:results"  # the outbox kind of a poll's results post


def install(app: Steward) -> None:
    """Register the poll commands, the vote buttons, the closing job and privacy hooks."""
    app.registry.command(
        "poll create",
        "Open a poll with a button per option; counts update live, results come at close.",
        Option("question", required=True, max_length=QUESTION_MAX, help="up to 300 characters"),
        Option("options", required=True, help='2 or more options: "Mon | Wed | Fri"'),
        Option("multi", OptionType.BOOLEAN, help="members may pick several options"),
        Option("anonymous", OptionType.BOOLEAN, help="nobody can tell who voted what"),
        Option("closes", help=f"{CLOSES_HELP} (default 24h)"),
        Option("hide_results", OptionType.BOOLEAN, help="show counts only after close"),
    )(poll_create)
    app.registry.command(
        "poll results",
        "A poll's current counts, privately.",
        Option("id", OptionType.INTEGER, "poll number", required=True, min_value=1),
    )(poll_results)
    app.registry.command(
        "poll close",
        "Close a poll now and post its results (its author or a manager).",
        Option("id", OptionType.INTEGER, "poll number", required=True, min_value=1),
    )(poll_close)
    app.on_button("poll", partial(vote, VoteQueue(app)))
    app.outbox.renderer(RESULTS_KIND, partial(render_results, app))
    app.interactions.redact_detail("poll:vote:", _without_choice)
    app.jobs.add(
        ClosingJob(
            "poll-closing",
            app.store,
            next_closing,
            due_polls,
            lambda poll_id, now: close_poll(app, poll_id, now),
        )
    )
    forgotten: list[int] = []  # polls whose question was removed, redrawn after the commit

    def forget(session, member_id: int) -> None:
        forgotten.extend(forget_member(session, member_id))

    async def redraw() -> None:  # a rolled-back erasure is harmless: posts show the database
        await refresh_open_polls(app)
        while forgotten:
            await refresh_closed_poll(app, forgotten.pop())

    app.privacy.add("polls", export_member, forget, after=redraw)


# ---- opening ------------------------------------------------------------------------------
async def publish_poll(
    app: Steward,
    *,
    platform: str,
    channel_id: str,
    question: str,
    options: list[str],
    author: MemberRef | None,
    closes_at: datetime | None = None,
    multi: bool = False,
    anonymous: bool = False,
    hide_results: bool = False,
    content_type: str | None = "poll",
) -> SentMessage:
    """Check, store and post a poll (the calendar posts polls this way); raise UsageError."""
    draft = PollDraft(
        platform=platform,
        channel_id=channel_id,
        question=question.strip(),
        options=tuple(clean_item(option) for option in options),
        closes_at=closes_at or app.clock.now() + DEFAULT_OPEN,
        multi=multi,
        anonymous=anonymous,
        hide_results=hide_results,
    )
    _, sent = await open_poll(app, draft, author, content_type)
    return sent


async def open_poll(
    app: Steward, draft: PollDraft, author: MemberRef | None, content_type: str | None = "poll"
) -> tuple[int, SentMessage]:
    """Check, store and post `draft`; return the poll id and where its message went."""
    now = app.clock.now()
    check_poll(draft, now, app.settings.community.zone, app.capabilities(draft.platform))

    def store(session) -> int:
        author_id = app.directory.member_id(session, author, now) if author else None
        return create_poll(session, draft, author_id, now)

    poll_id = await app.store.run(store)
    view = await app.store.run(load_view, poll_id)
    sent = await post_and_remember(
        app,
        draft.platform,
        draft.channel_id,
        poll_message(view, app.settings.community.zone),
        feature=FEATURE,
        ref_id=poll_id,
        role=POLL_ROLE,
        content_type=content_type,
        undo=partial(delete_poll, poll_id=poll_id),
    )
    await app.work_added()
    return poll_id, sent


async def poll_create(ctx: CommandContext) -> None:
    options = ctx.options
    try:
        draft = PollDraft(
            platform=ctx.event.platform,
            channel_id=ctx.channel.channel_id,
            question=options["question"].strip(),
            options=parse_options(options["options"]),
            closes_at=parse_closing(options.get("closes"), ctx.now, ctx.zone)
            or ctx.now + DEFAULT_OPEN,
            multi=options.get("multi", False),
            anonymous=options.get("anonymous", False),
            hide_results=options.get("hide_results", False),
        )
        poll_id, _ = await open_poll(ctx.app, draft, ctx.member)
    except UsageError as exc:
        raise UsageError(exc.message, ctx.usage()) from None
    await ctx.reply(
        f"Poll {poll_id} is open. `/poll results id:{poll_id}` shows the counts; "
        f"`/poll close id:{poll_id}` closes it early."
    )


# ---- voting -------------------------------------------------------------------------------
async def vote(queue: VoteQueue, ctx: EventContext) -> None:
    """A click on a poll button: vote, move or toggle, confirm privately, refresh the counts."""
    poll_id, index = _vote_target(ctx.event.action_id)
    result, post = await queue.cast(ctx.member, ctx.event.at, poll_id, index)
    await ctx.reply(vote_confirmation(result))
    await refresh(ctx.app, poll_id, post)


def _vote_target(action_id: str) -> tuple[int, int]:
    parts = action_id.split(":")
    if len(parts) != 4 or parts[1] != "vote" or not (parts[2].isdigit() and parts[3].isdigit()):
        raise UsageError("That poll button is no longer active.")
    return int(parts[2]), int(parts[3])


def _without_choice(action_id: str) -> str:
    """`poll:vote:12:3` → `poll:vote:12`: the log counts the vote, never what it was for."""
    return action_id.rsplit(":", 1)[0] if action_id.count(":") >= 3 else action_id


async def refresh(app: Steward, poll_id: int, post: SentMessage | None) -> None:
    """Show the poll's current state on its message: coalesced, at most one edit a second.

    A message deleted on the platform is left alone (logged): the poll works without it.
    """

    async def render() -> Message:
        view = await app.store.run(load_view, poll_id)
        return poll_message(view, app.settings.community.zone)

    await edit_post(app, post, render)


async def refresh_open_polls(app: Steward) -> None:
    """Re-render every open poll's message (after a member's votes were erased)."""
    for poll_id, post in await app.store.run(open_polls):
        await refresh(app, poll_id, post)


# ---- results and closing ------------------------------------------------------------------
async def poll_results(ctx: CommandContext) -> None:
    poll_id = ctx.options["id"]
    app = ctx.app

    def load(session) -> PollView:
        view = load_view(session, poll_id)
        manages = _manages(session, app, ctx, view)
        return load_view(session, poll_id, with_names=True) if manages else view

    view = await app.store.run(load)
    # hidden counts stay hidden from the author too (names would tell them); managers see them
    await ctx.reply(results_reply(view, ctx.zone, may_see_hidden=ctx.member.is_manager))


async def poll_close(ctx: CommandContext) -> None:
    poll_id = ctx.options["id"]
    app = ctx.app

    def check(session) -> int:
        view = load_view(session, poll_id)
        if not _manages(session, app, ctx, view):
            raise UsageError(f"Only the author of poll {poll_id} or a manager can close it.")
        if not view.is_open:
            raise UsageError(f"Poll {poll_id} is already closed.")
        return app.directory.member_id(session, ctx.member)

    closer = await app.store.run(check)
    closed = await close_poll(app, poll_id, ctx.now, closed_by=closer)
    if closed is None:
        raise UsageError(f"Poll {poll_id} is already closed.")
    if closed.results is not None:
        await ctx.reply(f"Closed poll {poll_id}; the results are posted under it.")
        return
    await ctx.reply(
        f"Poll {poll_id} is closed; its results could not be posted yet and will be "
        "posted as soon as the platform takes them (the managers hear if it never does)."
    )


def _manages(session, app: Steward, ctx: EventContext, view: PollView) -> bool:
    """The poll's author, or a manager."""
    if ctx.member.is_manager:
        return True
    return view.created_by == app.directory.member_id(session, ctx.member)


@dataclass(frozen=True)
class Closed:
    """A poll this call closed; `results` is its results post if it went out at once."""

    results: SentMessage | None


async def close_poll(
    app: Steward, poll_id: int, now: datetime, closed_by: int | None = None
) -> Closed | None:
    """Close a poll once (None if it already was): final counts on its message, and its
    results post enqueued in the same transaction, so it goes out even after a crash."""

    def close(session) -> tuple[int | None, SentMessage | None] | None:
        if not mark_closed(session, poll_id, now, closed_by):
            return None
        poll = session.get(Poll, poll_id)
        item = enqueue_once(
            session,
            now,
            feature=FEATURE,
            kind=RESULTS_KIND,
            ref_id=poll_id,
            platform=poll.platform,
            channel_id=poll.channel_id,
            role=RESULTS_ROLE,
            label=f"the results of poll {poll_id}",
        )
        return item, find_post(session, FEATURE, poll_id, POLL_ROLE)

    closed = await app.store.run(close)
    if closed is None:
        return None
    item, post = closed
    await refresh(app, poll_id, post)
    return Closed(await app.outbox.send_one(item))


async def render_results(app: Steward, recipe: Recipe) -> Message | None:
    """The outbox's renderer of a poll's results post (chart included), from the database."""
    assert recipe.ref_id is not None
    try:
        return (await _results(app, recipe.ref_id))[1]
    except UsageError:  # the poll is gone
        return None


async def refresh_closed_poll(app: Steward, poll_id: int) -> None:
    """Show a closed poll as it now stands on its message and its results post."""
    closed = await app.store.run(closed_poll_posts, poll_id)
    if closed is None:
        return  # refresh_open_polls shows it
    post, results = closed
    await refresh(app, poll_id, post)

    async def render() -> Message:
        return (await _results(app, poll_id))[1]

    await edit_post(app, results, render)


async def _results(app: Steward, poll_id: int) -> tuple[PollView, Message]:
    """The poll's final view and its results post, chart included."""

    def final(session) -> tuple[PollView, int]:
        view = load_view(session, poll_id)
        return view, turnout_base(session, view)

    view, active = await app.store.run(final)
    chart = await asyncio.to_thread(_chart, view)
    return view, results_post(view, app.settings.community.zone, active, chart)


def _chart(view: PollView) -> bytes:
    from bot.text.charts import bar_chart  # matplotlib loads on first use, not at start-up

    winners = set(view.winners)
    return bar_chart(
        view.question,
        list(view.options),
        list(view.counts),
        horizontal=True,
        highlight=[i for i, option in enumerate(view.options) if option in winners],
        value_label="votes",
    )
