"""Entering contests (command, Enter button, entry form) and voting on vote-mode entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.context import EventContext
from bot.core.errors import UsageError
from bot.core.messages import Form, FormField
from bot.core.posts import post_and_remember
from bot.features.contests import render, store
from bot.features.contests.outcome import refresh_contest_post, refresh_entry_post
from bot.features.contests.store import AlreadyEntered, Contest, ContestEntry
from bot.store.models import Member
from bot.text.when import format_local

ENTRY_MAX = 500
ENTRY_FIELD = "entry"


@dataclass(frozen=True)
class Entering:
    """What deciding on an entry needs: the contest, the member, and any earlier entry.

    `first_seen` is the earliest Steward knows of the member (their first-seen time or their
    first logged interaction, whichever is earlier), for members it never saw join.
    """

    contest: Contest | None
    member: Member | None  # None only while reading, for a member not seen before
    earlier: ContestEntry | None
    first_seen: datetime | None = None


def is_open(contest: Contest, now: datetime) -> bool:
    return contest.closed_at is None and now < contest.closes_at


def eligibility_problem(
    contest: Contest, state: Entering, roles: Sequence[str], now: datetime, zone: ZoneInfo
) -> str | None:
    """Why this member may not enter yet (role, days of membership), or None.

    `roles` are the platform ids of the member's roles (MemberRef.roles), compared with the
    contest's role id. Membership counts from the join Steward saw; for a member it never saw
    join, from the first time it saw them at all.
    """
    if contest.role_id and contest.role_id not in roles:
        return (
            f"{render.label(contest, start=True)} is open to members with the role "
            f"“{render.role_name(contest)}”, and you don't have it."
        )
    if not contest.min_days_member:
        return None
    joined = state.member.joined_at if state.member is not None else None
    since = joined or state.first_seen or now
    needed = contest.min_days_member
    eligible_from = since + timedelta(days=needed)
    if now >= eligible_from:
        return None
    days = (now - since).days
    ago = "today" if days == 0 else f"{render.count(days, 'day')} ago"
    known = (
        f"You joined {ago}"
        if joined
        else f"Steward never saw you join, so it counts from when it first saw you ({ago})"
    )
    text = (
        f"{known}; this contest needs {render.count(needed, 'day')} "
        f"of membership — you can enter from {format_local(eligible_from, zone)}."
    )
    if eligible_from >= contest.closes_at:
        text += " That is after it closes, so this one is not for you — the next one may be."
    return text


def _entering(session: Session, contest_id: int, member_id: int | None) -> Entering:
    contest = store.get_contest(session, contest_id)
    if member_id is None:  # a member Steward has not seen: nothing earlier to find
        return Entering(contest, None, None, None)
    member = store.get_member(session, member_id)
    return Entering(
        contest,
        member,
        store.find_entry(session, contest_id, member_id),
        store.first_seen(session, member),
    )


async def check_can_enter(
    ctx: EventContext, contest_id: int, usage: str = "", reading: bool = False
) -> Entering:
    """Load what entering needs; raise UsageError saying why this member cannot enter.

    `reading`: write nothing (not even a first sight of the member), as before a form opens.
    """
    app = ctx.app
    if reading:
        member_id = await app.store.run(app.directory.known_member_id, ctx.member)
    else:
        member_id = await app.store.run(app.directory.member_id, ctx.member, ctx.now)
    state = await app.store.run(_entering, contest_id, member_id)
    contest = state.contest
    if contest is None:
        raise UsageError(f"There is no contest #{contest_id}.", usage)
    if contest.platform != ctx.event.platform:
        raise UsageError(f"{render.label(contest, start=True)} runs on {contest.platform}.")
    if not is_open(contest, ctx.now):
        closed = contest.closed_at or contest.closes_at
        raise UsageError(
            f"Entries for {render.label(contest)} closed {format_local(closed, ctx.zone)}."
        )
    if state.earlier is not None:
        if state.earlier.removed_at is not None:
            raise UsageError(f"A manager removed your entry from {render.label(contest)}.")
        raise UsageError(f"You have already entered {render.label(contest)}; one entry each.")
    problem = eligibility_problem(contest, state, ctx.member.roles, ctx.now, ctx.zone)
    if problem:
        raise UsageError(problem)
    return state


def entry_text(raw: str | None, contest: Contest, usage: str = "") -> str | None:
    """The entry's text or link, checked for the contest's mode."""
    text = (raw or "").strip() or None
    if text and len(text) > ENTRY_MAX:
        raise UsageError(f"Your entry is {len(text)} characters; the limit is {ENTRY_MAX}.", usage)
    if text is None and contest.mode == "vote":
        raise UsageError(
            f"{render.label(contest, start=True)} is decided by votes, so your entry needs "
            f"text or a link: `/contest enter id:{contest.id} entry:…`",
            usage,
        )
    return text


async def enter(ctx: EventContext, contest_id: int, raw_text: str | None, usage: str = "") -> None:
    """Enter the member in the contest (all checks first), post a vote-mode entry, confirm."""
    state = await check_can_enter(ctx, contest_id, usage)
    await _store_entry(ctx, state, entry_text(raw_text, state.contest, usage), usage)


async def _store_entry(ctx: EventContext, state: Entering, text: str | None, usage: str) -> None:
    contest = state.contest
    app = ctx.app
    entry = ContestEntry(
        contest_id=contest.id,
        member_id=state.member.id,
        entrant_key=ctx.member.user_id,
        text=text,
        entered_at=ctx.now,
    )
    try:
        entry = await app.store.run(store.add_entry, entry)
    except AlreadyEntered:
        raise UsageError(
            f"You have already entered {render.label(contest)}; one entry each.", usage
        ) from None
    closes = format_local(contest.closes_at, ctx.zone)
    if contest.mode == "vote":
        await _post_entry(ctx, contest, entry)
        await ctx.reply(
            f"Your entry in {render.label(contest)} is posted in #{contest.channel_name}; "
            f"voting closes {closes}."
        )
    else:
        await ctx.reply(f"You're in {render.label(contest)}! Winners are drawn {closes}.")
    await refresh_contest_post(app, contest.id)


async def _post_entry(ctx: EventContext, contest: Contest, entry: ContestEntry) -> None:
    entrant = store.Entrant(
        entry_id=entry.id,
        key=entry.entrant_key,
        name=ctx.member.name,
        member_id=entry.member_id,
        text=entry.text,
        entered_at=entry.entered_at,
        left=False,
    )
    await post_and_remember(
        ctx.app,
        contest.platform,
        contest.channel_id,
        render.entry_post(contest, entrant, voting_open=True),
        feature=store.FEATURE,
        ref_id=contest.id,
        role=store.entry_role(entry.id),
        undo=partial(store.delete_entry, entry_id=entry.id),
    )


async def press_enter(ctx: EventContext, contest_id: int) -> None:
    """The Enter button: enters at once (draw mode) or opens the entry form (vote mode)."""
    contest = await ctx.app.store.run(store.get_contest, contest_id)
    if contest is None or contest.mode != "vote":
        await enter(ctx, contest_id, None)
        return
    await check_can_enter(ctx, contest_id, reading=True)  # the form comes before any write
    label = f"Your entry (text or a link, up to {ENTRY_MAX} characters)"
    field = FormField(ENTRY_FIELD, label, max_length=ENTRY_MAX)
    form = Form(f"contest:entry:{contest_id}", f"Enter contest #{contest_id}", (field,))
    await ctx.open_form(form)


async def vote(ctx: EventContext, contest_id: int, entry_id: int) -> None:
    """One vote per member per contest; voting again moves it; no votes for oneself."""
    app = ctx.app
    member_id = await app.store.run(app.directory.member_id, ctx.member, ctx.now)
    contest, entry, current = await app.store.run(_voting, contest_id, entry_id, member_id)
    if contest is None or entry is None or entry.contest_id != contest_id or entry.removed_at:
        raise UsageError("That entry is no longer in the contest.")
    if not is_open(contest, ctx.now):
        closed = contest.closed_at or contest.closes_at
        raise UsageError(
            f"Voting in {render.label(contest)} closed {format_local(closed, ctx.zone)}."
        )
    if entry.member_id == member_id:
        raise UsageError("You can't vote for your own entry.")
    if current == entry_id:
        await ctx.reply(f"Your vote in {render.label(contest)} is already on this entry.")
        return
    moved_from = await app.store.run(store.cast_vote, contest_id, entry_id, member_id, ctx.now)
    moved = " (moved from your earlier choice)" if moved_from is not None else ""
    await ctx.reply(f"Your vote in {render.label(contest)} is in{moved}.")
    await refresh_entry_post(app, contest, entry_id)
    if moved_from is not None:
        await refresh_entry_post(app, contest, moved_from)


def _voting(
    session: Session, contest_id: int, entry_id: int, member_id: int
) -> tuple[Contest | None, ContestEntry | None, int | None]:
    return (
        store.get_contest(session, contest_id),
        store.get_entry(session, entry_id),
        store.vote_of(session, contest_id, member_id),
    )
