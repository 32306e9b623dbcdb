"""What contests look like: the contest post, vote-mode entry posts, winners, audit, entrants."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.core.messages import Button, ButtonStyle, Message, Section
from bot.features.contests.draw import ALGORITHM
from bot.features.contests.store import Contest, Entrant, Round
from bot.text.when import format_local

TAG = "contest"


def label(contest: Contest, start: bool = False) -> str:
    """`contest #3 “Best photo”` (`Contest …` at the start of a sentence)."""
    return f"{'Contest' if start else 'contest'} #{contest.id} “{contest.title}”"


def count(number: int, noun: str, plural: str = "") -> str:
    """`1 entrant`, `3 entrants` (`plural` for irregular nouns: entry → entries)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def requirements(contest: Contest) -> str:
    """Who may enter, in words."""
    if not contest.min_days_member and not contest.role_id:
        return "every member"
    text = "members"
    if contest.min_days_member:
        days = contest.min_days_member
        text += f" for {days} day{'s' if days != 1 else ''} or more"
    if contest.role_id:
        text += f" with the role “{role_name(contest)}”"
    return text


def role_name(contest: Contest) -> str:
    """The name of the role needed to enter, as it was when the contest was made."""
    return contest.role_name or contest.role_id or ""


def how_decided(contest: Contest) -> str:
    plural = "s" if contest.winners != 1 else ""
    if contest.mode == "vote":
        return f"{contest.winners} winner{plural}: the most-voted entr{'ies' if plural else 'y'}"
    return f"{contest.winners} winner{plural}, drawn at random"


def contest_post(contest: Contest, entrant_count: int, zone: ZoneInfo) -> Message:
    """The public contest post: what, until when, who may enter, and the seed's commitment."""
    is_open = contest.closed_at is None
    closing = (
        f"Entries close {format_local(contest.closes_at, zone)}."
        if is_open
        else f"Entries closed {format_local(contest.closed_at, zone)}."
    )
    lines = [
        f"🏆 Contest #{contest.id}: {contest.title}",
        f"{closing} {how_decided(contest)}.",
        f"Who can enter: {requirements(contest)}.",
        f"Entrants: {entrant_count}",
        f"Fair draw: SHA-256 of the secret seed is {contest.commitment}",
    ]
    if is_open:
        if contest.mode == "vote":
            lines.append(
                f"Enter with the button or `/contest enter id:{contest.id} entry:…` (text or a "
                "link), then vote for the entries you like best."
            )
        else:
            lines.append(f"Enter with the button or `/contest enter id:{contest.id}`.")
    else:
        lines.append(f"Check the result: `/contest audit id:{contest.id}`")
    buttons = (
        (Button("Enter", f"contest:enter:{contest.id}", ButtonStyle.PRIMARY),) if is_open else ()
    )
    return Message(text="\n".join(lines), buttons=buttons, tag=TAG)


def entry_post(contest: Contest, entrant: Entrant, voting_open: bool) -> Message:
    """A vote-mode entry in the contest channel, with its live vote count."""
    author = entrant.name if entrant.member_id is not None else "a former member"
    lines = [f"Entry by {author} in {label(contest)}"]
    if entrant.text:
        lines.append(entrant.text)
    votes = f"{entrant.votes} vote{'s' if entrant.votes != 1 else ''}"
    if voting_open:
        action = f"contest:vote:{contest.id}:{entrant.entry_id}"
        buttons = (Button(f"Vote ({entrant.votes})", action, ButtonStyle.PRIMARY),)
        return Message(text="\n".join(lines), buttons=buttons, tag=TAG)
    lines.append(f"{votes} — voting closed")
    return Message(text="\n".join(lines), tag=TAG)


def removed_entry_post(contest: Contest) -> Message:
    return Message(text=f"(An entry in {label(contest)} was removed by a manager.)", tag=TAG)


def withdrawn_entry_post(contest: Contest) -> Message:
    return Message(text=f"(An entry in {label(contest)} was withdrawn.)", tag=TAG)


def names(entrants: Sequence[Entrant]) -> str:
    return ", ".join(e.name for e in entrants) or "nobody"


def public_names(entrants: Sequence[Entrant]) -> str:
    """Names for a public post: a member erased at their request is "a former member"."""
    return ", ".join(e.name if e.member_id is not None else "a former member" for e in entrants)


def winners_post(
    contest: Contest, winners: Sequence[Entrant], entrants: Sequence[Entrant], reroll: bool
) -> Message:
    """The winners announcement in the contest channel."""
    if not winners:
        why = (
            "no entries"
            if not entrants
            else "no votes"
            if contest.mode == "vote" and not reroll
            else "no eligible entrants left"
        )
        return Message(text=f"{label(contest, start=True)} closed with {why}: no winner.", tag=TAG)
    noun = "winner" if len(winners) == 1 else "winners"
    new = "new " if reroll else ""
    head = f"🎉 {label(contest, start=True)} — {new}{noun}: {public_names(winners)}"
    if contest.mode == "vote" and not reroll:
        among = count(len(entrants), "entry", "entries")
        detail = f"Most votes among {among}{_left(entrants)} (ties broken by the fair draw)."
    elif reroll:
        detail = "Rerolled with the committed seed, skipping earlier winners and members who left."
    else:
        staying = sum(1 for e in entrants if not e.left)
        pool = count(len(entrants), "entrant")
        if staying != len(entrants):
            pool = f"{staying} of {pool}"
        detail = f"Drawn from {pool}{_left(entrants)} with the seed committed at the start."
    body = f"{detail}\nCheck it: `/contest audit id:{contest.id}`"
    return Message(text=f"{head}\n{body}", tag=TAG)


def _left(entrants: Sequence[Entrant]) -> str:
    gone = sum(1 for e in entrants if e.left)
    return f" ({gone} left the community)" if gone else ""


def audit(
    contest: Contest, entrants: Sequence[Entrant], removed: Sequence[Entrant], rounds: list[Round]
) -> Message:
    """Everything needed to check the draw: commitment, seed, ordered entrants, algorithm."""
    lines = [
        f"Audit of {label(contest)}",
        f"Commitment (SHA-256 of the seed): {contest.commitment}",
    ]
    if not rounds:
        lines.append("Seed: published once the contest is decided.")
        return Message(text="\n".join(lines), tag=TAG)
    by_id = {e.entry_id: e for e in entrants}
    lines += [
        f"Seed: {contest.seed_hex}",
        f"Entrants in order: {', '.join(e.key for e in entrants) or '(none)'}",
    ]
    named = [e for e in entrants if e.member_id is not None and e.key != e.name]
    if named:
        lines.append("Names: " + ", ".join(f"{e.key} = {e.name}" for e in named))
    if contest.mode == "vote" and entrants:
        lines.append("Votes: " + ", ".join(f"{e.key} {e.votes}" for e in entrants))
        lines.append(
            "Vote rule: most votes win (at least one vote); a tie for the last places is "
            "decided by the draw among the tied entrants, in published order."
        )
    lines.append(f"Algorithm: {ALGORITHM}")
    for round_ in rounds:
        lines.append(_round_line(round_, by_id))
    if removed:
        lines.append(f"Removed by managers before closing: {names(removed)}")
    return Message(text="\n".join(lines), tag=TAG)


def _round_line(round_: Round, by_id: dict[int, Entrant]) -> str:
    kind = "Draw" if round_.draw.number == 1 else "Reroll"
    skip = ", ".join(by_id[i].key for i in round_.skipped if i in by_id) or "none"
    won = ", ".join(by_id[i].key for i in round_.winners if i in by_id) or "none"
    return (
        f"{kind} {round_.draw.number} (count {round_.draw.count}, start {round_.draw.start}, "
        f"skip {skip}): {won}"
    )


def entrant_list(contest: Contest, entrants: Sequence[Entrant], zone: ZoneInfo) -> Message:
    """The managers' view of who entered, in the published order."""
    rows = []
    for number, entrant in enumerate(entrants, 1):
        row = f"{number}. {entrant.name} — {format_local(entrant.entered_at, zone)}"
        if entrant.left:
            row += " (left)"
        if entrant.text:
            row += f" — {entrant.text}"
        if contest.mode == "vote":
            row += f" — {entrant.votes} vote{'s' if entrant.votes != 1 else ''}"
        rows.append(row)
    return Message(
        text=f"Entrants of {label(contest)}: {len(entrants)}",
        sections=(Section(text="\n".join(rows)),) if rows else (),
        tag=TAG,
    )
