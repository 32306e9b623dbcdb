"""Contest tables, and the shapes the feature reads them as (an entrant, a decided round)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from bot.store.models import utc_column

ERASED = "erased"
FEATURE = "contest"  # how contest posts are remembered (BotMessage.feature, ref id: contest id)
POST_ROLE = "post"  # the contest post; entries are "entry:<entry id>", winners "round:<n>"


def entry_role(entry_id: int) -> str:
    return f"entry:{entry_id}"


def round_role(number: int) -> str:
    return f"round:{number}"


class Contest(SQLModel, table=True):
    """A contest: who made it and when, where it runs, how and when it is decided."""

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=64)
    channel_name: str = Field(default="", max_length=200)
    title: str = Field(max_length=200)
    mode: str = Field(max_length=8)  # "draw" | "vote"
    winners: int = 1
    min_days_member: int | None = None
    role_id: str | None = Field(default=None, max_length=100)  # needed to enter: platform id
    role_name: str | None = Field(default=None, max_length=100)  # that role's name, shown
    seed_hex: str = Field(max_length=64)  # secret until the contest is decided
    commitment: str = Field(max_length=64)
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    closes_at: datetime = Field(sa_column=utc_column(nullable=False, index=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column())

    @property
    def seed(self) -> bytes:
        return bytes.fromhex(self.seed_hex)


class ContestEntry(SQLModel, table=True):
    """One member's entry; `entrant_key` is the platform user id published in the audit."""

    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    entrant_key: str = Field(max_length=64)
    text: str | None = Field(default=None, max_length=500)
    entered_at: datetime = Field(sa_column=utc_column(nullable=False))
    position: int | None = None  # place in the published order, frozen when entries close
    removed_at: datetime | None = Field(default=None, sa_column=utc_column())
    removed_by: int | None = Field(default=None, foreign_key="member.id")


class ContestVote(SQLModel, table=True):
    """A member's one vote in a vote-mode contest; voting again moves it."""

    __table_args__ = (UniqueConstraint("contest_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    entry_id: int = Field(foreign_key="contestentry.id", index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    voted_at: datetime = Field(sa_column=utc_column(nullable=False))


class ContestDraw(SQLModel, table=True):
    """One round of deciding winners: the close (number 1) or a reroll (2, 3, …)."""

    __table_args__ = (UniqueConstraint("contest_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    number: int
    start: int  # first counter value this round used
    next_start: int  # first counter value the next round may use
    count: int
    skipped: str = Field(default="", max_length=4000)  # entry ids, comma-separated
    drawn_by: int | None = Field(default=None, foreign_key="member.id")  # None: at close
    drawn_at: datetime = Field(sa_column=utc_column(nullable=False))


class ContestWinner(SQLModel, table=True):
    """An entry that won in one draw round, in rank order."""

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="contestdraw.id", index=True)
    entry_id: int = Field(foreign_key="contestentry.id")
    rank: int


@dataclass(frozen=True)
class Entrant:
    """An entry as the feature shows it: published key, display name, standing."""

    entry_id: int
    key: str
    name: str
    member_id: int | None
    text: str | None
    entered_at: datetime
    left: bool
    votes: int = 0


@dataclass(frozen=True)
class Round:
    """A decided round, with the entry ids it skipped and its winners in rank order."""

    draw: ContestDraw
    skipped: tuple[int, ...]
    winners: tuple[int, ...]


class AlreadyEntered(Exception):
    """The member has an entry in this contest already."""
