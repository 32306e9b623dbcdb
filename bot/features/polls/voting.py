"""Clicks on poll buttons, queued and applied in batches: a burst of clicks shares
transactions instead of taking one each, in the order the clicks came.

The clicks waiting when a batch starts go in one transaction (at most MOST_CLICKS), each poll
read and locked once; a refused click (a closed poll, a stale button) is refused alone. If the
transaction fails, each of its clicks is tried again on its own, so a click that cannot be
stored fails alone, not the clicks written with it.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.app import Steward
from bot.core.errors import UsageError
from bot.core.events import MemberRef
from bot.core.messages import SentMessage
from bot.core.posts import find_post
from bot.features.polls.ballots import Click, cast_votes
from bot.features.polls.store import FEATURE, POLL_ROLE, VoteResult

MOST_CLICKS = 500  # in one transaction

Outcome = tuple[VoteResult, SentMessage | None] | BaseException


@dataclass(frozen=True)
class Waiting:
    """A click waiting for its batch."""

    member: MemberRef
    at: datetime
    poll_id: int
    index: int
    future: asyncio.Future


class VoteQueue:
    """The app's queue of poll clicks."""

    def __init__(self, app: Steward) -> None:
        self.app = app
        self._waiting: list[Waiting] = []
        self._drainer: asyncio.Task | None = None

    async def cast(
        self, member: MemberRef, at: datetime, poll_id: int, index: int
    ) -> tuple[VoteResult, SentMessage | None]:
        """Apply the click (after those before it); what it did and the poll's message."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append(Waiting(member, at, poll_id, index, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[:MOST_CLICKS]
                del self._waiting[:MOST_CLICKS]
                for click, outcome in zip(batch, await self._outcomes(batch), strict=True):
                    _settle(click.future, outcome)
        except BaseException:
            for click in self._waiting:
                click.future.cancel()
            self._waiting.clear()
            raise

    async def _outcomes(self, batch: list[Waiting]) -> list[Outcome]:
        try:
            return await self.app.store.run(self._apply, batch)
        except Exception:  # tried again one by one: only the click that cannot be stored fails
            return [await self._alone(click) for click in batch]

    async def _alone(self, click: Waiting) -> Outcome:
        try:
            return (await self.app.store.run(self._apply, [click]))[0]
        except Exception as failed:
            return failed

    def _apply(self, session: Session, batch: list[Waiting]) -> list[Outcome]:
        keys = [(w.member.platform, w.member.user_id) for w in batch]
        voters: dict[tuple[str, str], tuple[MemberRef, datetime]] = {}
        for key, w in zip(keys, batch, strict=True):  # first seen: at their first click
            voters.setdefault(key, (w.member, w.at))
        ids = self.app.directory.member_ids(session, voters)  # one lookup for the batch
        clicks = [
            Click(w.poll_id, w.index, *key, ids[key], w.at)
            for key, w in zip(keys, batch, strict=True)
        ]
        posts = {
            poll_id: find_post(session, FEATURE, poll_id, POLL_ROLE)
            for poll_id in {w.poll_id for w in batch}
        }
        results = cast_votes(session, clicks)
        return [
            result if isinstance(result, UsageError) else (result, posts[click.poll_id])
            for click, result in zip(clicks, results, strict=True)
        ]


def _settle(future: asyncio.Future, outcome: Outcome) -> None:
    if future.done():  # the click's handler gave up waiting
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
