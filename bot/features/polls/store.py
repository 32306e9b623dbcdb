"""Poll tables and the queries on them: create, vote, close, count, and per-member privacy.

An anonymous poll stores no member id with a vote, only `voter_hash` (sha256 of the poll's
random salt and the voter's platform id), enough to stop double votes. Vote rows get random
ids and no timestamp, so their order cannot be matched against the interaction log, and the
salt is erased when the poll closes, after which no hash can be recomputed for anyone.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Integer, UniqueConstraint, delete, func, update
from sqlmodel import Field, Session, SQLModel, select

from bot.core.errors import UsageError
from bot.core.events import EventKind
from bot.core.messages import SentMessage
from bot.core.posts import find_post
from bot.store.models import Interaction, Member, utc_column

REMOVED_QUESTION = "(removed at the author's request)"
VOTE_ID = BigInteger().with_variant(Integer(), "sqlite")  # INTEGER = the rowid on SQLite
ACTIVE_WINDOW = timedelta(days=7)
FEATURE = "poll"  # how the poll's posts are remembered (BotMessage.feature)
POLL_ROLE, RESULTS_ROLE = "poll", "results"


class Poll(SQLModel, table=True):
    """A poll: its question, where it is asked, how it counts, who opened it and when.

    Its messages are BotMessage rows (feature "poll", role "poll" and "results").
    """

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=64)
    question: str = Field(max_length=300)
    multi: bool = False
    anonymous: bool = False
    hide_results: bool = False
    salt: str | None = Field(default=None, max_length=32)  # erased at close
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    closes_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column())
    closed_by: int | None = Field(default=None, foreign_key="member.id")


class PollOption(SQLModel, table=True):
    """One answer of a poll, by its position (0-based) on the message."""

    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    poll_id: int = Field(foreign_key="poll.id")
    position: int
    label: str = Field(max_length=55)


class PollVote(SQLModel, table=True):
    """One voter's choice of one option; `member_id` is NULL on anonymous polls.

    `slot` is the option on a multiple-choice poll and 0 on a single-choice one, so the
    database itself holds a single-choice voter to one vote, even under concurrent clicks.
    """

    __table_args__ = (UniqueConstraint("poll_id", "voter_hash", "slot"),)

    id: int | None = Field(
        default=None, sa_column=Column(VOTE_ID, primary_key=True, autoincrement=False)
    )
    poll_id: int = Field(foreign_key="poll.id", index=True)
    option_index: int
    slot: int
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    voter_hash: str = Field(max_length=64)


class VoteChange(StrEnum):
    VOTED = "voted"
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class VoteResult:
    """What a click did, for the voter's private confirmation."""

    change: VoteChange
    option: str
    previous: str = ""


@dataclass(frozen=True)
class PollView:
    """A poll as it stands: everything its messages show."""

    id: int
    platform: str
    channel_id: str
    question: str
    options: tuple[str, ...]
    counts: tuple[int, ...]
    voters: int
    multi: bool
    anonymous: bool
    hide_results: bool
    created_by: int | None
    created_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    names: tuple[tuple[str, ...], ...] = ()  # voter names per option, only when asked for

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def winners(self) -> tuple[str, ...]:
        """Every option tied at the highest count; none when nobody voted."""
        top = max(self.counts, default=0)
        return tuple(o for o, c in zip(self.options, self.counts, strict=True) if top and c == top)


# ---- creating -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PollDraft:
    """A poll as asked for, before it is checked and stored."""

    platform: str
    channel_id: str
    question: str
    options: tuple[str, ...]
    closes_at: datetime
    multi: bool = False
    anonymous: bool = False
    hide_results: bool = False


def create_poll(session: Session, draft: PollDraft, created_by: int | None, now: datetime) -> int:
    """Store a new open poll with its options; return its id."""
    poll = Poll(
        platform=draft.platform,
        channel_id=draft.channel_id,
        question=draft.question,
        multi=draft.multi,
        anonymous=draft.anonymous,
        hide_results=draft.hide_results,
        salt=secrets.token_hex(16),
        created_by=created_by,
        created_at=now,
        closes_at=draft.closes_at,
    )
    session.add(poll)
    session.flush()
    session.add_all(
        PollOption(poll_id=poll.id, position=i, label=label)
        for i, label in enumerate(draft.options)
    )
    return poll.id


def delete_poll(session: Session, poll_id: int) -> None:
    """Remove a poll whose message could not be posted."""
    for table in (PollVote, PollOption):
        session.execute(delete(table).where(table.poll_id == poll_id))
    session.execute(delete(Poll).where(Poll.id == poll_id))


def get_poll(session: Session, poll_id: int, lock: bool = False) -> Poll:
    """The poll with this id, or a UsageError; `lock` holds its row (PostgreSQL) till commit."""
    poll = session.get(Poll, poll_id, with_for_update=lock)
    if poll is None:
        raise UsageError(f"There is no poll {poll_id}.")
    return poll


# ---- voting -------------------------------------------------------------------------------
def voter_hash(salt: str, platform: str, user_id: str) -> str:
    return hashlib.sha256(f"{salt}:{platform}:{user_id}".encode()).hexdigest()


# ---- reading ------------------------------------------------------------------------------
def load_view(session: Session, poll_id: int, with_names: bool = False) -> PollView:
    """The poll's counts now; `with_names` adds voter names (never for anonymous polls)."""
    poll = get_poll(session, poll_id)
    labels = option_labels(session, poll_id)
    rows = session.execute(
        select(PollVote.option_index, PollVote.voter_hash, Member.name)
        .join(Member, PollVote.member_id == Member.id, isouter=True)
        .where(PollVote.poll_id == poll_id)
    ).all()
    counts = Counter(index for index, _, _ in rows)
    names: dict[int, list[str]] = defaultdict(list)
    if with_names and not poll.anonymous:
        for index, _, name in sorted(rows, key=lambda r: (r[2] or "").lower()):
            if name:
                names[index].append(name)
    return PollView(
        id=poll.id,
        platform=poll.platform,
        channel_id=poll.channel_id,
        question=poll.question,
        options=tuple(labels),
        counts=tuple(counts[i] for i in range(len(labels))),
        voters=len({digest for _, digest, _ in rows}),
        multi=poll.multi,
        anonymous=poll.anonymous,
        hide_results=poll.hide_results,
        created_by=poll.created_by,
        created_at=poll.created_at,
        closes_at=poll.closes_at,
        closed_at=poll.closed_at,
        names=tuple(tuple(names[i]) for i in range(len(labels))) if names else (),
    )


def option_labels(session: Session, poll_id: int) -> list[str]:
    """The poll's option labels, in order."""
    return list(
        session.exec(
            select(PollOption.label)
            .where(PollOption.poll_id == poll_id)
            .order_by(PollOption.position)
        ).all()
    )


def active_members(session: Session, since: datetime, until: datetime) -> int:
    """How many (non-bot) members did anything between `since` and `until`: for each member,
    one probe of the (member, time) index that stops at their first interaction in the window
    (not every interaction of the window read to count the members behind them)."""
    acted = (
        select(Interaction.id)
        .where(
            Interaction.member_id == Member.id,
            Interaction.created_at > since,
            Interaction.created_at <= until,
            Interaction.kind != EventKind.MEMBER_LEFT.value,
        )
        .exists()
    )
    return session.execute(
        select(func.count()).select_from(Member).where(Member.is_bot.is_(False), acted)
    ).scalar_one()


def turnout_base(session: Session, view: PollView) -> int:
    """Members active in the week before the poll closed (or while it was open, if longer)."""
    until = view.closed_at or view.closes_at
    since = min(until - ACTIVE_WINDOW, view.created_at)
    return max(active_members(session, since, until), view.voters)


# ---- closing ------------------------------------------------------------------------------
def next_closing(session: Session) -> datetime | None:
    """When the earliest open poll is due to close."""
    earliest = select(func.min(Poll.closes_at)).where(Poll.closed_at.is_(None))
    return session.execute(earliest).scalar()


def open_polls(session: Session) -> list[tuple[int, SentMessage | None]]:
    """Polls still taking votes, with their messages."""
    ids = list(session.exec(select(Poll.id).where(Poll.closed_at.is_(None)).order_by(Poll.id)))
    return [(poll_id, find_post(session, FEATURE, poll_id, POLL_ROLE)) for poll_id in ids]


def closed_poll_posts(
    session: Session, poll_id: int
) -> tuple[SentMessage | None, SentMessage | None] | None:
    """A closed poll's own message and its results post (None while the poll is open)."""
    if get_poll(session, poll_id).closed_at is None:
        return None
    return (
        find_post(session, FEATURE, poll_id, POLL_ROLE),
        find_post(session, FEATURE, poll_id, RESULTS_ROLE),
    )


def due_polls(session: Session, now: datetime) -> list[int]:
    return list(
        session.exec(
            select(Poll.id)
            .where(Poll.closed_at.is_(None), Poll.closes_at <= now)
            .order_by(Poll.closes_at, Poll.id)
        ).all()
    )


def mark_closed(session: Session, poll_id: int, now: datetime, closed_by: int | None) -> bool:
    """Close the poll and erase its salt; False when it was already closed (by anyone)."""
    result = session.execute(
        update(Poll)
        .where(Poll.id == poll_id, Poll.closed_at.is_(None))
        .values(closed_at=now, closed_by=closed_by, salt=None)
    )
    return result.rowcount == 1


# ---- privacy ------------------------------------------------------------------------------
def forget_member(session: Session, member_id: int) -> list[int]:
    """Erase a member's non-anonymous votes, the questions of the polls they opened (their
    words: REMOVED_QUESTION stands in, the counts stay) and their name on polls they opened
    or closed. Return the ids of the polls whose question was removed.

    Anonymous votes carry no member id and stay counted: nothing links them to anyone.
    """
    authored = list(session.exec(select(Poll.id).where(Poll.created_by == member_id)))
    session.execute(
        update(Poll).where(Poll.created_by == member_id).values(question=REMOVED_QUESTION)
    )
    session.execute(delete(PollVote).where(PollVote.member_id == member_id))
    session.execute(update(Poll).where(Poll.created_by == member_id).values(created_by=None))
    session.execute(update(Poll).where(Poll.closed_by == member_id).values(closed_by=None))
    return authored


def export_member(session: Session, member_id: int) -> dict:
    """The polls a member opened and their non-anonymous votes, as plain JSON-ready data."""
    created = session.exec(select(Poll).where(Poll.created_by == member_id).order_by(Poll.id)).all()
    votes = session.execute(
        select(Poll.id, Poll.question, PollOption.label)
        .join(PollVote, PollVote.poll_id == Poll.id)
        .join(
            PollOption,
            (PollOption.poll_id == Poll.id) & (PollOption.position == PollVote.option_index),
        )
        .where(PollVote.member_id == member_id)
        .order_by(Poll.id, PollOption.position)
    ).all()
    return {
        "polls_created": [
            {"poll": p.id, "question": p.question, "created_at": p.created_at.isoformat()}
            for p in created
        ],
        "poll_votes": [
            {"poll": poll_id, "question": question, "option": label}
            for poll_id, question, label in votes
        ],
    }
