"""Votes cast: one click, or a batch of clicks in one transaction, applied to a poll's
votes as the clicks came (vote, move, toggle), each refused click refused alone."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlmodel import Session

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
        ballots.write()
    return results


@dataclass(slots=True)
class _Vote:
    """A voter's vote as a batch sees it: read from the database (`stored`) or cast in it."""

    id: int
    option_index: int
    slot: int
    member_id: int | None
    voter_hash: str
    stored: bool = False
    moved: bool = False  # stored, and its option changed by the batch


class _Ballots:
    """One poll's option labels and the votes of a batch's voters, as the batch changes them;
    `write` then stores what changed in three statements (plain rows, not ORM objects: a
    vote object cost more than SQLite's own work on it)."""

    def __init__(self, session: Session, poll: Poll, clicks: list[Click]) -> None:
        self.session, self.poll = session, poll
        self.labels = option_labels(session, poll.id)
        self.mine: dict[str, list[_Vote]] = defaultdict(list)
        self.added: dict[int, _Vote] = {}  # cast by the batch, by id
        self.removed: list[int] = []  # ids of stored votes taken back
        self.ids = _fresh_ids(len(clicks))
        if poll.salt is None:
            return
        salt = poll.salt
        self.hashes = {
            (c.platform, c.user_id): voter_hash(salt, c.platform, c.user_id) for c in clicks
        }
        hashes = sorted(set(self.hashes.values()))
        for start in range(0, len(hashes), 500):
            for row in session.execute(
                _STORED, {"poll": poll.id, "hashes": hashes[start : start + 500]}
            ):
                self.mine[row.voter_hash].append(_Vote(*row, stored=True))

    def apply(self, click: Click) -> VoteResult:
        """One click on the poll."""
        poll, labels, index = self.poll, self.labels, click.index
        if poll.closed_at is not None or poll.salt is None or click.at >= poll.closes_at:
            raise UsageError(f"Poll {poll.id} is closed; it no longer takes votes.")
        if not 0 <= index < len(labels):
            raise UsageError("That option is not on this poll.")
        digest = self.hashes[click.platform, click.user_id]
        mine = self.mine[digest]
        same = next((v for v in mine if v.option_index == index), None)
        if same is not None:
            mine.remove(same)
            if same.stored:
                self.removed.append(same.id)
            else:  # cast earlier in this batch: never written
                del self.added[same.id]
            return VoteResult(VoteChange.REMOVED, labels[index])
        if mine and not poll.multi:
            previous = mine[0]
            was = labels[previous.option_index]
            previous.option_index, previous.moved = index, previous.stored
            return VoteResult(VoteChange.MOVED, labels[index], was)
        vote = _Vote(
            next(self.ids),
            index,
            index if poll.multi else 0,
            None if poll.anonymous else click.member_id,
            digest,
        )
        mine.append(vote)
        self.added[vote.id] = vote
        return VoteResult(VoteChange.ADDED if poll.multi else VoteChange.VOTED, labels[index])

    def write(self) -> None:
        """Store the batch's changes: votes taken back first, so a slot freed is free."""
        if self.removed:
            self.session.execute(delete(_VOTES).where(_VOTES.c.id.in_(self.removed)))
        gone = set(self.removed)
        moved = [
            {"vote": v.id, "option": v.option_index}
            for votes in self.mine.values()
            for v in votes
            if v.moved and v.id not in gone
        ]
        if moved:
            self.session.execute(_MOVE, moved)
        if self.added:
            rows = [
                {"id": v.id, "poll_id": self.poll.id, "option_index": v.option_index,
                 "slot": v.slot, "member_id": v.member_id, "voter_hash": v.voter_hash}
                for v in self.added.values()
            ]  # fmt: skip
            self.session.execute(insert(_VOTES), rows)


def _fresh_ids(count: int) -> Iterator[int]:
    """`count` random vote ids (1 … 2⁶²), from one read of the system's randomness."""
    drawn = os.urandom(8 * count)
    for start in range(0, len(drawn), 8):
        yield (int.from_bytes(drawn[start : start + 8], "little") >> 2) + 1


_VOTES: Table = PollVote.__table__  # type: ignore[assignment]
_STORED = select(
    _VOTES.c.id, _VOTES.c.option_index, _VOTES.c.slot, _VOTES.c.member_id, _VOTES.c.voter_hash
).where(
    _VOTES.c.poll_id == bindparam("poll"),
    _VOTES.c.voter_hash.in_(bindparam("hashes", expanding=True)),
)
_MOVE = (
    update(_VOTES).where(_VOTES.c.id == bindparam("vote")).values(option_index=bindparam("option"))
)
