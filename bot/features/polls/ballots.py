"""Votes cast: one click, or a batch of clicks in one transaction, applied to a poll's
votes as the clicks came (vote, move, toggle), each refused click refused alone."""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from bot.core.errors import UsageError
from bot.features.polls.store import (
    Poll,
    PollVote,
    VoteChange,
    VoteResult,
    get_poll,
    option_labels,
    voter_hash,
)


@dataclass(frozen=True)
class Click:
    """One click on a poll's button, as cast_votes takes it."""

    poll_id: int
    index: int
    platform: str
    user_id: str
    member_id: int
    at: datetime


def cast_vote(
    session: Session,
    poll_id: int,
    index: int,
    platform: str,
    user_id: str,
    member_id: int,
    at: datetime,
) -> VoteResult:
    """Apply one click at `at`: vote, move (single choice), or toggle (multi, or same option).

    A click at or after the closing time is refused even before the closing job has run.
    """
    result = cast_votes(session, [Click(poll_id, index, platform, user_id, member_id, at)])[0]
    if isinstance(result, UsageError):
        raise result
    return result


def cast_votes(session: Session, clicks: list[Click]) -> list[VoteResult | UsageError]:
    """Apply clicks in order in one transaction, as cast_vote would one by one: each poll
    read and locked once, its voters' votes read at once; a refused click (a UsageError in
    its place) changes nothing."""
    results: list[VoteResult | UsageError] = [UsageError("unanswered")] * len(clicks)  # all set
    by_poll: dict[int, list[int]] = defaultdict(list)
    for n, click in enumerate(clicks):
        by_poll[click.poll_id].append(n)
    for poll_id, positions in by_poll.items():
        try:
            poll = get_poll(session, poll_id, lock=True)  # votes on one poll (and its close) queue
        except UsageError as refused:
            for n in positions:
                results[n] = refused
            continue
        ballots = _Ballots(session, poll, [clicks[n] for n in positions])
        for n in positions:
            try:
                results[n] = ballots.apply(clicks[n])
            except UsageError as refused:
                results[n] = refused
    return results


class _Ballots:
    """One poll's option labels and the votes of a batch's voters, as the batch changes them."""

    def __init__(self, session: Session, poll: Poll, clicks: list[Click]) -> None:
        self.session, self.poll = session, poll
        self.labels = option_labels(session, poll.id)
        self.mine: dict[str, list[PollVote]] = defaultdict(list)
        if poll.salt is None:
            return
        hashes = {voter_hash(poll.salt, c.platform, c.user_id) for c in clicks}
        for start in range(0, len(hashes), 500):
            chunk = sorted(hashes)[start : start + 500]
            for vote in session.exec(
                select(PollVote).where(PollVote.poll_id == poll.id, PollVote.voter_hash.in_(chunk))
            ):
                self.mine[vote.voter_hash].append(vote)

    def apply(self, click: Click) -> VoteResult:
        """One click on the poll."""
        poll, labels, index = self.poll, self.labels, click.index
        if poll.closed_at is not None or poll.salt is None or click.at >= poll.closes_at:
            raise UsageError(f"Poll {poll.id} is closed; it no longer takes votes.")
        if not 0 <= index < len(labels):
            raise UsageError("That option is not on this poll.")
        digest = voter_hash(poll.salt, click.platform, click.user_id)
        mine = self.mine[digest]
        same = next((v for v in mine if v.option_index == index), None)
        if same is not None:
            mine.remove(same)
            if same in self.session.new:  # cast earlier in this batch: never written
                self.session.expunge(same)
            else:
                self.session.delete(same)
                self.session.flush()  # gone before a later click of the batch adds its slot
            return VoteResult(VoteChange.REMOVED, labels[index])
        if mine and not poll.multi:
            previous = mine[0]
            was = labels[previous.option_index]
            previous.option_index = index
            self.session.add(previous)
            return VoteResult(VoteChange.MOVED, labels[index], was)
        vote = PollVote(
            id=secrets.randbits(62) + 1,
            poll_id=poll.id,
            option_index=index,
            slot=index if poll.multi else 0,
            member_id=None if poll.anonymous else click.member_id,
            voter_hash=digest,
        )
        mine.append(vote)
        self.session.add(vote)
        return VoteResult(VoteChange.ADDED if poll.multi else VoteChange.VOTED, labels[index])
