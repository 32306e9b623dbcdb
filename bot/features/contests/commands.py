"""`/contest`: contests with a provably fair draw (or member votes), entry rules and rerolls.

Members enter with `/contest enter` or the Enter button; managers create, draw, reroll, list
and remove entrants in the managers' channel; anyone can check a draw with `/contest audit`.
The draw itself is in draw.py, the tables in store/; members and roles are known by platform id.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.app import Steward
from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext, EventContext
from bot.core.errors import UsageError
from bot.core.events import ButtonPressed, ChannelRef, FormSubmitted, MemberRef, RoleRef
from bot.core.messages import Message
from bot.core.posts import post_and_remember
from bot.features.contests import entries, render, store
from bot.features.contests.draw import commitment, new_seed
from bot.features.contests.jobs import ContestClosing
from bot.features.contests.outcome import (
    WINNERS_KIND,
    Outcome,
    announce,
    close_contest,
    refresh_after_forget,
    refresh_contest_post,
    refresh_entry_post,
    render_winners,
    reroll,
)
from bot.features.contests.store import Contest
from bot.text.when import CLOSES_HELP, WhenError, format_local, parse_closing

DEFAULT_CHANNELS = ("announcements", "general")
MAX_WINNERS = 50
ROLE_NAME_MAX = 100  # Contest.role_name's length
_ID = Option("id", OptionType.INTEGER, "the contest number", required=True, min_value=1)


def install(app: Steward) -> None:
    command = app.registry.command
    command(
        "contest create",
        "Start a contest: members enter until it closes; winners drawn fairly or voted.",
        Option("title", help="what the contest is", required=True, max_length=200),
        Option("closes", help=CLOSES_HELP, required=True),
        Option("mode", help="draw (random) or vote", choices=("draw", "vote")),
        Option("winners", OptionType.INTEGER, "how many", min_value=1, max_value=MAX_WINNERS),
        Option("channel", OptionType.CHANNEL, "where to post it"),
        Option(
            "min_days_member", OptionType.INTEGER, "days of membership", min_value=1, max_value=3650
        ),
        Option("role", OptionType.ROLE, "role needed to enter"),
        access=Access.MANAGER,
    )(create)
    command(
        "contest enter",
        "Enter a contest (vote contests need an entry: text or a link).",
        _ID,
        Option("entry", help="your entry: text or a link", max_length=entries.ENTRY_MAX),
    )(enter)
    command("contest audit", "Check a contest's draw: seed, entrants, algorithm.", _ID)(audit)
    command(
        "contest draw", "Close a contest now and decide its winners.", _ID, access=Access.MANAGER
    )(draw_now)
    command(
        "contest reroll",
        "Draw more winners, skipping earlier winners and members who left.",
        _ID,
        Option("count", OptionType.INTEGER, "how many", min_value=1, max_value=MAX_WINNERS),
        access=Access.MANAGER,
    )(reroll_winners)
    command("contest entrants", "List a contest's entrants.", _ID, access=Access.MANAGER)(
        list_entrants
    )
    command(
        "contest remove",
        "Remove a member's entry while the contest runs.",
        _ID,
        Option("member", OptionType.USER, "whose entry to remove", required=True),
        access=Access.MANAGER,
    )(remove)
    app.on_button("contest", on_button, opens_form=True)
    app.on_form("contest", on_form)
    app.outbox.renderer(WINNERS_KIND, partial(render_winners, app))
    app.jobs.add(ContestClosing(app))
    forgotten: list[store.Forgotten] = []  # filled in the erasure, redrawn after its commit

    def forget(session: Session, member_id: int) -> None:
        forgotten.append(store.forget_member(session, member_id))

    async def redraw() -> None:
        while forgotten:  # a rolled-back erasure is harmless here: posts show the database
            await refresh_after_forget(app, forgotten.pop())

    app.privacy.add("contests", store.export_member, forget, redraw)


def parse_closing_time(text: str, now: datetime, zone: ZoneInfo, usage: str) -> datetime:
    """When entries close (see bot.text.when.parse_closing); a bad or past time is a UsageError."""
    try:
        return parse_closing(text, now, zone)
    except WhenError as exc:
        raise UsageError(str(exc), usage) from None


async def _contest_channel(ctx: CommandContext) -> ChannelRef:
    """The `channel` option (a ChannelRef the core looked up), else the first default found."""
    if ctx.options.get("channel"):
        return ctx.options["channel"]
    adapter = ctx.app.adapter(ctx.event.platform)
    for name in DEFAULT_CHANNELS:
        channel = await adapter.find_channel(name)
        if channel is not None:
            return channel
    raise UsageError("Name the channel to post the contest in: `channel:…`.", ctx.usage())


async def create(ctx: CommandContext) -> None:
    """Post a new contest with its seed commitment; schedule its closing."""
    app, opts = ctx.app, ctx.options
    closes = parse_closing_time(opts["closes"], ctx.now, ctx.zone, ctx.usage())
    channel = await _contest_channel(ctx)
    creator = await app.store.run(app.directory.member_id, ctx.member, ctx.now)
    seed = new_seed()
    role: RoleRef | None = opts.get("role")
    contest = Contest(
        platform=ctx.event.platform,
        channel_id=channel.channel_id,
        channel_name=channel.name,
        title=opts["title"],
        mode=opts.get("mode", "draw"),
        winners=opts.get("winners", 1),
        min_days_member=opts.get("min_days_member"),
        role_id=role.role_id if role else None,
        role_name=role.name[:ROLE_NAME_MAX] if role else None,
        seed_hex=seed.hex(),
        commitment=commitment(seed),
        created_by=creator,
        created_at=ctx.now,
        closes_at=closes,
    )
    contest = await app.store.run(store.add_contest, contest)
    await post_and_remember(
        app,
        contest.platform,
        contest.channel_id,
        render.contest_post(contest, 0, ctx.zone),
        feature=store.FEATURE,
        ref_id=contest.id,
        role=store.POST_ROLE,
        undo=partial(store.delete_contest, contest_id=contest.id),
    )
    await app.work_added()
    await ctx.post(
        f"{render.label(contest, start=True)} is open in #{channel.name} until "
        f"{format_local(closes, ctx.zone)} ({render.how_decided(contest)}; "
        f"who can enter: {render.requirements(contest)})."
    )


async def enter(ctx: CommandContext) -> None:
    await entries.enter(ctx, ctx.options["id"], ctx.options.get("entry"), ctx.usage())


async def _contest(ctx: CommandContext) -> Contest:
    contest = await ctx.app.store.run(store.get_contest, ctx.options["id"])
    if contest is None:
        raise UsageError(f"There is no contest #{ctx.options['id']}.", ctx.usage())
    return contest


async def audit(ctx: CommandContext) -> None:
    """Privately: commitment; once decided, seed, ordered entrants, algorithm, each round."""
    contest = await _contest(ctx)
    message = await ctx.app.store.run(_audit, contest)
    await ctx.reply(message)


def _audit(session: Session, contest: Contest) -> Message:
    return render.audit(
        contest,
        store.entrants(session, contest.id),
        store.entrants(session, contest.id, removed=True),
        store.rounds(session, contest.id),
    )


async def draw_now(ctx: CommandContext) -> None:
    contest = await _contest(ctx)
    by = await ctx.app.store.run(ctx.app.directory.member_id, ctx.member, ctx.now)
    outcome = None if contest.closed_at else await close_contest(ctx.app, contest.id, ctx.now, by)
    if outcome is None:
        raise UsageError(
            f"{render.label(contest, start=True)} is decided already; "
            f"`/contest reroll id:{contest.id}` draws more winners.",
            ctx.usage(),
        )
    await ctx.post(
        f"Closed {render.label(contest)} and decided it: {render.names(outcome.winners)} "
        f"({_announced(outcome)})."
    )


async def reroll_winners(ctx: CommandContext) -> None:
    contest = await _contest(ctx)
    by = await ctx.app.store.run(ctx.app.directory.member_id, ctx.member, ctx.now)
    count = ctx.options.get("count", 1)
    outcome = await ctx.app.store.run(reroll, contest.id, count, by, ctx.now)
    outcome = await announce(ctx.app, outcome)
    short = (
        f"; only {render.count(len(outcome.winners), 'eligible entrant')} "
        f"{'was' if len(outcome.winners) == 1 else 'were'} left"
        if len(outcome.winners) < count
        else ""
    )
    await ctx.post(
        f"Rerolled {render.label(contest)}: {render.names(outcome.winners)} "
        f"({_announced(outcome)}{short})."
    )


def _announced(outcome: Outcome) -> str:
    """Where the winners were announced, or that the announcement is still to go out."""
    channel = f"#{outcome.contest.channel_name}"
    if outcome.announced is not None:
        return f"announced in {channel}"
    return f"the announcement in {channel} could not be posted yet; Steward keeps trying"


async def list_entrants(ctx: CommandContext) -> None:
    contest = await _contest(ctx)
    listed = await ctx.app.store.run(store.entrants, contest.id)
    await ctx.reply(render.entrant_list(contest, listed, ctx.zone))


async def remove(ctx: CommandContext) -> None:
    """Remove a member's entry (found by their platform id) while entries are open; the
    removal is recorded."""
    contest = await _contest(ctx)
    if not entries.is_open(contest, ctx.now):
        raise UsageError(
            f"{render.label(contest, start=True)} has closed; its entrant list is final "
            "(see `/contest audit`).",
            ctx.usage(),
        )
    member: MemberRef = ctx.options["member"]
    entrant = await ctx.app.store.run(store.find_entrant, contest.id, member.user_id)
    if entrant is None:
        raise UsageError(f"{member.name} has no entry in {render.label(contest)}.", ctx.usage())
    by = await ctx.app.store.run(ctx.app.directory.member_id, ctx.member, ctx.now)
    await ctx.app.store.run(store.remove_entry, entrant.entry_id, by, ctx.now)
    await refresh_contest_post(ctx.app, contest.id)
    if contest.mode == "vote":
        await refresh_entry_post(ctx.app, contest, entrant.entry_id)
    remaining = await ctx.app.store.run(store.entrant_count, contest.id)
    await ctx.post(
        f"Removed {member.name}'s entry from {render.label(contest)}; "
        f"{render.count(remaining, 'entrant')} {'remains' if remaining == 1 else 'remain'}."
    )


# ---- buttons and forms ----------------------------------------------------------------------
def _ids(action: str, expected: int) -> list[int]:
    parts = action.split(":")[2:]
    if len(parts) != expected or not all(part.isdigit() for part in parts):
        raise UsageError("That button is no longer active.")
    return [int(part) for part in parts]


async def on_button(ctx: EventContext) -> None:
    """`contest:enter:<id>` enters; `contest:vote:<id>:<entry id>` votes."""
    event = ctx.event
    assert isinstance(event, ButtonPressed)
    verb = event.action_id.split(":")[1] if event.action_id.count(":") else ""
    if verb == "enter":
        await entries.press_enter(ctx, *_ids(event.action_id, 1))
    elif verb == "vote":
        await entries.vote(ctx, *_ids(event.action_id, 2))
    else:
        raise UsageError("That button is no longer active.")


async def on_form(ctx: EventContext) -> None:
    """`contest:entry:<id>`: the vote-mode entry form."""
    event = ctx.event
    assert isinstance(event, FormSubmitted)
    if not event.form_id.startswith("contest:entry:"):
        raise UsageError("That form is no longer active.")
    (contest_id,) = _ids(event.form_id, 1)
    await entries.enter(ctx, contest_id, event.values.get(entries.ENTRY_FIELD))
