"""What polls look like: the live poll message, private results, the results post at close.

Names of voters appear only in private results for a non-anonymous poll's author or a
manager, and the poll says so to its voters; anonymous polls have none to show. Hidden counts
stay hidden from everyone but managers until the poll closes.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core.messages import Button, ButtonStyle, Image, Message, Section
from bot.features.polls.store import PollView, VoteChange, VoteResult
from bot.text.when import format_local

BAR_WIDTH = 10
NAMED_VOTES = "Votes are not anonymous: the poll's author and managers can see who voted."
NAMES_SHOWN = 10


def vote_action(poll_id: int, index: int) -> str:
    return f"poll:vote:{poll_id}:{index}"


def poll_message(view: PollView, zone: ZoneInfo) -> Message:
    """The public poll message: counts (unless hidden while open) and a button per option."""
    reveal = not view.hide_results or not view.is_open
    sections = [Section(title=_kind(view), fields=_count_fields(view) if reveal else ())]
    sections.append(Section(text=_footer(view, zone, reveal)))
    if not view.anonymous:
        sections.append(Section(text=NAMED_VOTES))
    return Message(
        text=view.question,
        sections=tuple(sections),
        buttons=_buttons(view, reveal) if view.is_open else (),
        tag="poll",
    )


def results_reply(view: PollView, zone: ZoneInfo, may_see_hidden: bool) -> Message:
    """`/poll results`: the counts privately, or why they are still hidden (`may_see_hidden`:
    a manager's view)."""
    text = f"Poll {view.id}: {view.question}"
    if view.hide_results and view.is_open and not may_see_hidden:
        hidden = (
            f"Results are hidden until the poll closes ({format_local(view.closes_at, zone)}). "
            f"{_voters(view.voters)} so far."
        )
        return Message(text=text, sections=(Section(text=hidden),))
    sections = [Section(title=_kind(view), fields=_count_fields(view))]
    if view.names:
        sections.append(Section(title="Who voted", fields=_name_fields(view)))
    sections.append(Section(text=_footer(view, zone, reveal=True)))
    return Message(text=text, sections=tuple(sections))


def results_post(view: PollView, zone: ZoneInfo, active: int, chart: bytes) -> Message:
    """The results post at close: counts, winner(s), turnout and a bar chart."""
    turnout = f"{_voters(view.voters)} of {_count(active, 'member')} active that week"
    if active:
        turnout += f" ({round(100 * view.voters / active)}%)"
    return Message(
        text=f"Results: {view.question}",
        sections=(
            Section(
                title=f"Poll {view.id} · closed "
                f"{format_local(view.closed_at or view.closes_at, zone)}",
                fields=_count_fields(view),
            ),
            Section(fields=(_winner_field(view), ("Turnout", turnout))),
        ),
        image=Image(
            f"poll-{view.id}-results.png",
            chart,
            alt=f"Bar chart of the votes for each option of poll {view.id}",
        ),
        tag="poll",
    )


def vote_confirmation(result: VoteResult) -> str:
    """The voter's private confirmation of what their click did."""
    return {
        VoteChange.VOTED: f"You voted for {result.option}.",
        VoteChange.MOVED: f"Vote moved to {result.option} (was {result.previous}).",
        VoteChange.ADDED: f"Added your vote for {result.option}.",
        VoteChange.REMOVED: f"Removed your vote for {result.option}.",
    }[result.change]


def _kind(view: PollView) -> str:
    words = [f"Poll {view.id}", "multiple choice" if view.multi else "single choice"]
    if view.anonymous:
        words.append("anonymous")
    return " · ".join(words)


def _count_fields(view: PollView) -> tuple[tuple[str, str], ...]:
    return tuple(
        (option, _bar(count, view.voters))
        for option, count in zip(view.options, view.counts, strict=True)
    )


def _bar(count: int, voters: int) -> str:
    share = count / voters if voters else 0.0
    filled = round(share * BAR_WIDTH)
    return f"{'█' * filled}{'░' * (BAR_WIDTH - filled)} {count} · {round(share * 100)}%"


def _footer(view: PollView, zone: ZoneInfo, reveal: bool) -> str:
    parts = [_voters(view.voters)]
    if not view.is_open:
        parts.append(f"closed {format_local(view.closed_at, zone)}")
        return " · ".join(parts)
    parts.append(f"closes {format_local(view.closes_at, zone)}")
    if not reveal:
        parts.append("results hidden until then")
    parts.append(
        "click options to add or remove them"
        if view.multi
        else "click another option to move your vote"
    )
    return " · ".join(parts)


def _buttons(view: PollView, reveal: bool) -> tuple[Button, ...]:
    return tuple(
        Button(
            f"{option} · {count}" if reveal else option,
            vote_action(view.id, index),
            ButtonStyle.PRIMARY,
        )
        for index, (option, count) in enumerate(zip(view.options, view.counts, strict=True))
    )


def _winner_field(view: PollView) -> tuple[str, str]:
    winners = view.winners
    if not winners:
        return ("Winner", "none (nobody voted)")
    top = max(view.counts)
    votes = _count(top, "vote")
    if len(winners) == 1:
        return ("Winner", f"{winners[0]} ({votes})")
    return ("Tie", f"{', '.join(winners)} ({votes} each)")


def _name_fields(view: PollView) -> tuple[tuple[str, str], ...]:
    fields = []
    for option, names in zip(view.options, view.names, strict=True):
        shown = ", ".join(names[:NAMES_SHOWN]) or "—"
        if len(names) > NAMES_SHOWN:
            shown += f", +{len(names) - NAMES_SHOWN} more"
        fields.append((option, shown))
    return tuple(fields)


def _voters(count: int) -> str:
    return _count(count, "voter")


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"
