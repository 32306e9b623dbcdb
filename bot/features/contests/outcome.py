"""Deciding contests: closing entries, drawing or tallying winners, rerolls, live posts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.core.errors import UsageError
from bot.core.messages import Message, SentMessage
from bot.core.outbox import Recipe
from bot.core.outbox_store import enqueue_once
from bot.core.posts import edit_post, find_post
from bot.features.contests import render, store
from bot.features.contests.draw import draw, rank_by_votes
from bot.features.contests.store import Contest, ContestDraw, Entrant

if TYPE_CHECKING:
    from bot.core.app import Steward

WINNERS_KIND = "contest:winners"  # the outbox kind of a round's winners announcement


@dataclass(frozen=True)
class Outcome:
    """A decided round, ready to announce."""

    contest: Contest
    entrants: tuple[Entrant, ...]
    winners: tuple[Entrant, ...]
    reroll: bool
    number: int = 1  # the round: 1 at close, 2, 3, … for rerolls
    item: int | None = None  # its announcement in the outbox
    announced: SentMessage | None = None  # the announcement, once it went out


def decide(
    contest: Contest, entrants: Sequence[Entrant], count: int, skip: set[int], start: int
) -> tuple[list[Entrant], int]:
    """Winners by the contest's mode (fair draw, or most votes with fair tie-breaks).

    `skip` holds entry ids; returns the winners and the next unused draw counter.
    """
    by_key = {e.key: e for e in entrants}
    skip_keys = {e.key for e in entrants if e.entry_id in skip}
    if contest.mode == "vote":
        tallies = [(e.key, e.votes) for e in entrants]
        keys, next_start = rank_by_votes(contest.seed, tallies, count, skip_keys, start=start)
    else:
        keys = draw(contest.seed, [e.key for e in entrants], count, skip_keys, start=start)
        next_start = start + len(keys)
    return [by_key[key] for key in keys], next_start


def close_and_decide(
    session: Session, contest_id: int, now: datetime, by: int | None
) -> Outcome | None:
    """Close entries and decide round 1; None when the contest was closed already."""
    if not store.claim_close(session, contest_id, now):
        return None
    contest = store.get_contest(session, contest_id)
    entrants = store.entrants(session, contest_id)
    left = {e.entry_id for e in entrants if e.left}
    winners, next_start = decide(contest, entrants, contest.winners, left, 0)
    _record(session, contest, 1, 0, next_start, contest.winners, left, winners, by, now)
    item = _enqueue_winners(session, contest, 1, now)
    return Outcome(contest, tuple(entrants), tuple(winners), reroll=False, item=item)


def reroll(session: Session, contest_id: int, count: int, by: int, now: datetime) -> Outcome:
    """Draw `count` more winners, skipping earlier winners and members who have left."""
    contest = store.get_contest(session, contest_id)
    previous = store.rounds(session, contest_id)
    if contest is None or not previous:
        raise UsageError(
            f"Contest #{contest_id} is not decided yet; `/contest draw id:{contest_id}` first."
        )
    entrants = store.entrants(session, contest_id)
    skip = {entry for r in previous for entry in r.winners} | {
        e.entry_id for e in entrants if e.left
    }
    start = previous[-1].draw.next_start
    winners, next_start = decide(contest, entrants, count, skip, start)
    if not winners:
        why = (
            "there is no entry left with a vote (earlier winners and members who left are "
            "skipped; an entry needs at least one vote to win)"
            if contest.mode == "vote"
            else "every entrant has won already or has left"
        )
        raise UsageError(f"Nobody is left to draw in {render.label(contest)}: {why}.")
    number = len(previous) + 1
    _record(session, contest, number, start, next_start, count, skip, winners, by, now)
    item = _enqueue_winners(session, contest, number, now)
    return Outcome(contest, tuple(entrants), tuple(winners), True, number, item)


def _enqueue_winners(session: Session, contest: Contest, number: int, now: datetime) -> int | None:
    """Put round `number`'s winners announcement in the outbox, in the round's transaction."""
    again = f" (round {number})" if number > 1 else ""
    return enqueue_once(
        session,
        now,
        feature=store.FEATURE,
        kind=WINNERS_KIND,
        ref_id=contest.id,
        platform=contest.platform,
        channel_id=contest.channel_id,
        role=store.round_role(number),
        label=f"the winners of {render.label(contest)}{again}",
        payload={"round": number},
    )


def _record(
    session: Session,
    contest: Contest,
    number: int,
    start: int,
    next_start: int,
    count: int,
    skip: set[int],
    winners: list[Entrant],
    by: int | None,
    now: datetime,
) -> None:
    round_ = ContestDraw(
        contest_id=contest.id,
        number=number,
        start=start,
        next_start=next_start,
        count=count,
        skipped=",".join(str(i) for i in sorted(skip)),
        drawn_by=by,
        drawn_at=now,
    )
    store.record_round(session, round_, [w.entry_id for w in winners])


async def close_contest(
    app: Steward, contest_id: int, now: datetime, by: int | None = None
) -> Outcome | None:
    """Close a contest now, decide and announce it; None when it was closed already."""
    outcome = await app.store.run(close_and_decide, contest_id, now, by)
    if outcome is None:
        return None
    outcome = await announce(app, outcome)
    await refresh_contest_post(app, contest_id)
    if outcome.contest.mode == "vote":
        for entrant in outcome.entrants:
            await refresh_entry_post(app, outcome.contest, entrant.entry_id)
    return outcome


async def announce(app: Steward, outcome: Outcome) -> Outcome:
    """Post the round's winners (enqueued with it) now; `announced` says if it went out."""
    return replace(outcome, announced=await app.outbox.send_one(outcome.item))


async def render_winners(app: Steward, recipe: Recipe) -> Message | None:
    """The outbox's renderer of a winners announcement, from the database."""
    number = (recipe.payload or {}).get("round", 1)
    return await app.store.run(_winners_message, recipe.ref_id, number)


# ---- live posts -----------------------------------------------------------------------------
async def refresh_contest_post(app: Steward, contest_id: int) -> None:
    """Show the current entrant count (and open/closed state) on the contest post."""
    post = await app.store.run(find_post, store.FEATURE, contest_id, store.POST_ROLE)
    zone = app.settings.community.zone

    async def current() -> Message:
        latest, count = await app.store.run(_post_state, contest_id)
        return render.contest_post(latest, count, zone)

    await edit_post(app, post, current)


def _post_state(session: Session, contest_id: int) -> tuple[Contest, int]:
    return store.get_contest(session, contest_id), store.entrant_count(session, contest_id)


async def refresh_entry_post(app: Steward, contest: Contest, entry_id: int) -> None:
    """Show a vote-mode entry's current count (or that voting closed, or that it was removed)."""
    role = store.entry_role(entry_id)
    post = await app.store.run(find_post, store.FEATURE, contest.id, role)
    await _redraw_entry(app, contest, entry_id, post)


async def _redraw_entry(
    app: Steward, contest: Contest, entry_id: int, post: SentMessage | None
) -> None:
    """Show the entry as it stands now on `post`, its post (already looked up)."""

    async def current() -> Message:
        latest, entrant = await app.store.run(_entry_state, contest.id, entry_id)
        if entrant is None:
            return render.removed_entry_post(latest)
        voting_open = latest.closed_at is None and app.clock.now() < latest.closes_at
        return render.entry_post(latest, entrant, voting_open)

    await edit_post(app, post, current)


async def refresh_after_forget(app: Steward, forgotten: store.Forgotten) -> None:
    """Redraw the posts an erasure changed: counts, entries withdrawn or now anonymous, and
    winners announcements that named the member."""
    for contest_id in forgotten.contest_ids:
        await refresh_contest_post(app, contest_id)
    for contest_id, number, post in forgotten.winner_posts:
        await _redraw_announcement(app, contest_id, number, post)
    for contest_id, entry_id, post in forgotten.entry_posts:
        contest = await app.store.run(store.get_contest, contest_id)
        if await app.store.run(store.get_entry, entry_id) is not None:
            await _redraw_entry(app, contest, entry_id, post)
            continue
        withdrawn = render.withdrawn_entry_post(contest)

        async def current(message: Message = withdrawn) -> Message:
            return message

        await edit_post(app, post, current)


def _entry_state(
    session: Session, contest_id: int, entry_id: int
) -> tuple[Contest, Entrant | None]:
    contest = store.get_contest(session, contest_id)
    found = store.entrants(session, contest_id, entry_id=entry_id)
    return contest, found[0] if found else None


async def _redraw_announcement(
    app: Steward, contest_id: int, number: int, post: SentMessage
) -> None:
    """Show round `number`'s winners announcement as it reads now (a forgotten winner unnamed)."""
    message = await app.store.run(_winners_message, contest_id, number)
    if message is None:
        return

    async def current() -> Message:
        return message

    await edit_post(app, post, current)


def _winners_message(session: Session, contest_id: int, number: int) -> Message | None:
    """Round `number`'s winners announcement as it reads now (None: no such round)."""
    contest = store.get_contest(session, contest_id)
    round_ = next((r for r in store.rounds(session, contest_id) if r.draw.number == number), None)
    if contest is None or round_ is None:
        return None
    entrants = store.entrants(session, contest_id)
    if number == 1:  # who had left is what the draw skipped, not who has left since
        entrants = [replace(e, left=e.entry_id in round_.skipped) for e in entrants]
    by_id = {e.entry_id: e for e in entrants}
    winners = [by_id[i] for i in round_.winners if i in by_id]
    return render.winners_post(contest, winners, entrants, reroll=number > 1)
