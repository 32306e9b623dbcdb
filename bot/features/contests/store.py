"""Contest tables and the queries on them: contests, entries, votes, draws and winners."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import UniqueConstraint, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, func, select

from bot.core.clock import ensure_utc
from bot.store.models import Interaction, Member, utc_column

ERASED = "erased"


class Contest(SQLModel, table=True):
    """A contest: who made it and when, where it is posted, how and when it is decided."""

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=64)
    channel_name: str = Field(default="", max_length=200)
    message_id: str | None = Field(default=None, max_length=64)
    title: str = Field(max_length=200)
    mode: str = Field(max_length=8)  # "draw" | "vote"
    winners: int = 1
    min_days_member: int | None = None
    role: str | None = Field(default=None, max_length=100)
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
    message_id: str | None = Field(default=None, max_length=64)  # vote mode: the entry's post
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
    message_id: str | None
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


# ---- contests -------------------------------------------------------------------------------
def add_contest(session: Session, contest: Contest) -> Contest:
    session.add(contest)
    session.flush()
    return contest


def set_contest_message(session: Session, contest_id: int, message_id: str) -> None:
    session.execute(update(Contest).where(Contest.id == contest_id).values(message_id=message_id))


def delete_contest(session: Session, contest_id: int) -> None:
    """Undo a contest that could not be posted."""
    session.execute(delete(Contest).where(Contest.id == contest_id))


def get_contest(session: Session, contest_id: int) -> Contest | None:
    return session.get(Contest, contest_id)


def next_closing(session: Session, exclude: Collection[int] = ()) -> datetime | None:
    """When the next open contest closes (possibly in the past), or None."""
    query = select(func.min(Contest.closes_at)).where(col(Contest.closed_at).is_(None))
    if exclude:
        query = query.where(col(Contest.id).not_in(exclude))
    return session.exec(query).one()


def due_contests(session: Session, now: datetime, exclude: Collection[int] = ()) -> list[int]:
    """Ids of open contests whose closing time has come."""
    query = select(Contest.id).where(
        col(Contest.closed_at).is_(None),
        Contest.closes_at <= now,
    )
    if exclude:
        query = query.where(col(Contest.id).not_in(exclude))
    return list(session.exec(query.order_by(Contest.closes_at, Contest.id)))


def claim_close(session: Session, contest_id: int, now: datetime) -> bool:
    """Mark the contest closed; False when another process (or a manager) closed it first."""
    result = session.execute(
        update(Contest)
        .where(Contest.id == contest_id, col(Contest.closed_at).is_(None))
        .values(closed_at=now)
    )
    if result.rowcount != 1:
        return False
    for position, entrant in enumerate(entrants(session, contest_id, ordered_live=True)):
        session.execute(
            update(ContestEntry)
            .where(ContestEntry.id == entrant.entry_id)
            .values(position=position)
        )
    return True


# ---- entries --------------------------------------------------------------------------------
def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise LookupError(f"no member {member_id}")
    return member


def first_seen(session: Session, member: Member) -> datetime | None:
    """The earliest Steward knows of `member`: first-seen time or first logged interaction.

    A member first met as the author of a message someone replied to has no first-seen time;
    their own interactions still date them.
    """
    first = session.exec(
        select(func.min(Interaction.created_at)).where(Interaction.member_id == member.id)
    ).one()
    first = ensure_utc(first) if first is not None else None
    known = [t for t in (member.first_seen_at, first) if t is not None]
    return min(known) if known else None


def find_entry(session: Session, contest_id: int, member_id: int) -> ContestEntry | None:
    return session.exec(
        select(ContestEntry).where(
            ContestEntry.contest_id == contest_id, ContestEntry.member_id == member_id
        )
    ).first()


def add_entry(session: Session, entry: ContestEntry) -> ContestEntry:
    """Store an entry; raise AlreadyEntered when the member raced a second one in."""
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise AlreadyEntered from None
    return entry


def set_entry_message(session: Session, entry_id: int, message_id: str) -> None:
    session.execute(
        update(ContestEntry).where(ContestEntry.id == entry_id).values(message_id=message_id)
    )


def entrants(
    session: Session,
    contest_id: int,
    ordered_live: bool = False,
    removed: bool = False,
    entry_id: int | None = None,
) -> list[Entrant]:
    """Entries in the published order (frozen `position` once closed; else entry time, key).

    `removed=True` lists the entries managers removed instead, in entry order; `entry_id`
    narrows the list to that one entry.
    """
    votes = select(ContestVote.entry_id, func.count().label("votes")).where(
        ContestVote.contest_id == contest_id
    )
    if entry_id is not None:
        votes = votes.where(ContestVote.entry_id == entry_id)
    votes = votes.group_by(ContestVote.entry_id).subquery()
    query = (
        select(ContestEntry, Member, func.coalesce(votes.c.votes, 0))
        .join(Member, Member.id == ContestEntry.member_id, isouter=True)
        .join(votes, votes.c.entry_id == ContestEntry.id, isouter=True)
        .where(ContestEntry.contest_id == contest_id)
    )
    if entry_id is not None:
        query = query.where(ContestEntry.id == entry_id)
    if removed:
        query = query.where(col(ContestEntry.removed_at).is_not(None))
    else:
        query = query.where(col(ContestEntry.removed_at).is_(None))
    order = [ContestEntry.entered_at, ContestEntry.entrant_key, ContestEntry.id]
    if not ordered_live and not removed:
        order.insert(0, ContestEntry.position)
    rows = session.exec(query.order_by(*order)).all()
    return [_entrant(entry, member, count) for entry, member, count in rows]


def _entrant(entry: ContestEntry, member: Member | None, votes: int) -> Entrant:
    return Entrant(
        entry_id=entry.id,
        key=entry.entrant_key,
        name=member.name if member is not None else ERASED,
        member_id=entry.member_id,
        text=entry.text,
        entered_at=entry.entered_at,
        message_id=entry.message_id,
        left=member is not None and member.left_at is not None,
        votes=votes,
    )


def entrant_count(session: Session, contest_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            ContestEntry.contest_id == contest_id,
            col(ContestEntry.removed_at).is_(None),
        )
    ).one()


def find_entrants_by_name(session: Session, contest_id: int, name: str) -> list[Entrant]:
    """Active entries for `name` (any case): the one with that platform user id if there is
    one, else every entry whose member shows that name (display names need not be unique)."""
    wanted = name.strip().lstrip("@").lower()
    active = entrants(session, contest_id)
    by_key = [e for e in active if e.key.lower() == wanted]
    return by_key or [e for e in active if e.name.lower() == wanted]


def remove_entry(session: Session, entry_id: int, by: int, now: datetime) -> None:
    """Mark an entry removed by a manager; its votes no longer count."""
    session.execute(
        update(ContestEntry)
        .where(ContestEntry.id == entry_id)
        .values(removed_at=now, removed_by=by)
    )
    session.execute(delete(ContestVote).where(ContestVote.entry_id == entry_id))


def get_entry(session: Session, entry_id: int) -> ContestEntry | None:
    return session.get(ContestEntry, entry_id)


# ---- votes ----------------------------------------------------------------------------------
def cast_vote(
    session: Session, contest_id: int, entry_id: int, member_id: int, now: datetime
) -> int | None:
    """Put the member's one vote on `entry_id`; return the entry it moved from, if any."""
    vote = _vote(session, contest_id, member_id)
    if vote is None:
        try:
            with session.begin_nested():
                session.add(
                    ContestVote(
                        contest_id=contest_id, entry_id=entry_id, member_id=member_id, voted_at=now
                    )
                )
            return None
        except IntegrityError:  # a second click raced the first one in
            vote = _vote(session, contest_id, member_id)
    previous = vote.entry_id
    vote.entry_id, vote.voted_at = entry_id, now
    session.add(vote)
    return previous if previous != entry_id else None


def _vote(session: Session, contest_id: int, member_id: int) -> ContestVote | None:
    return session.exec(
        select(ContestVote).where(
            ContestVote.contest_id == contest_id, ContestVote.member_id == member_id
        )
    ).first()


def vote_of(session: Session, contest_id: int, member_id: int) -> int | None:
    """The entry the member voted for in this contest, if any."""
    vote = _vote(session, contest_id, member_id)
    return vote.entry_id if vote is not None else None


def votes_for(session: Session, entry_id: int) -> int:
    return session.exec(select(func.count()).where(ContestVote.entry_id == entry_id)).one()


# ---- draws ----------------------------------------------------------------------------------
def rounds(session: Session, contest_id: int) -> list[Round]:
    """Every decided round of the contest, oldest first."""
    draws = session.exec(
        select(ContestDraw).where(ContestDraw.contest_id == contest_id).order_by(ContestDraw.number)
    ).all()
    out = []
    for round_ in draws:
        winners = session.exec(
            select(ContestWinner.entry_id)
            .where(ContestWinner.draw_id == round_.id)
            .order_by(ContestWinner.rank)
        ).all()
        skipped = tuple(int(part) for part in round_.skipped.split(",") if part)
        out.append(Round(round_, skipped, tuple(winners)))
    return out


def record_round(session: Session, round_: ContestDraw, winner_ids: list[int]) -> ContestDraw:
    """Store a decided round and its winners (the unique number guards double rerolls)."""
    session.add(round_)
    session.flush()
    for rank, entry_id in enumerate(winner_ids, 1):
        session.add(ContestWinner(draw_id=round_.id, entry_id=entry_id, rank=rank))
    return round_


# ---- privacy --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Forgotten:
    """What erasing a member changed on public posts: contests whose entrant count dropped,
    and entry posts to redraw (the member's own, whose row is gone if the contest was open,
    and those whose vote count dropped)."""

    contest_ids: frozenset[int]
    entry_posts: tuple[tuple[int, int, str], ...]  # (contest id, entry id, message id)


def forget_member(session: Session, member_id: int) -> Forgotten:
    """Erase a member from contests, keeping published audits re-runnable.

    Entries in contests still open are deleted with their votes, and so are the member's own
    votes there (they may vote again if they come back). Entries in closed contests stay as
    anonymous placeholders (`erased-<entry id>`) so the published order and the winners still
    check out; their votes there stay counted, detached from them, as does their authorship.
    """
    mine = session.exec(
        select(ContestEntry.contest_id, ContestEntry.id, ContestEntry.message_id).where(
            ContestEntry.member_id == member_id
        )
    ).all()
    open_contests = select(Contest.id).where(col(Contest.closed_at).is_(None))
    voted_for = session.exec(
        select(ContestEntry.contest_id, ContestEntry.id, ContestEntry.message_id)
        .join(ContestVote, ContestVote.entry_id == ContestEntry.id)
        .where(ContestVote.member_id == member_id, col(ContestVote.contest_id).in_(open_contests))
    ).all()
    open_ids = list(
        session.exec(
            select(ContestEntry.id).where(
                ContestEntry.member_id == member_id,
                col(ContestEntry.contest_id).in_(open_contests),
            )
        )
    )
    if open_ids:
        session.execute(delete(ContestVote).where(col(ContestVote.entry_id).in_(open_ids)))
        session.execute(delete(ContestEntry).where(col(ContestEntry.id).in_(open_ids)))
    session.execute(  # a vote left unlinked in a running contest could be cast again
        delete(ContestVote).where(
            ContestVote.member_id == member_id, col(ContestVote.contest_id).in_(open_contests)
        )
    )
    for entry in session.exec(select(ContestEntry).where(ContestEntry.member_id == member_id)):
        entry.member_id, entry.text = None, None
        entry.entrant_key = f"{ERASED}-{entry.id}"
        session.add(entry)
    session.execute(
        update(ContestVote).where(ContestVote.member_id == member_id).values(member_id=None)
    )
    session.execute(
        update(ContestEntry).where(ContestEntry.removed_by == member_id).values(removed_by=None)
    )
    session.execute(update(Contest).where(Contest.created_by == member_id).values(created_by=None))
    session.execute(
        update(ContestDraw).where(ContestDraw.drawn_by == member_id).values(drawn_by=None)
    )
    return Forgotten(
        frozenset(contest for contest, entry, _ in mine if entry in open_ids),
        tuple(post for post in [*mine, *voted_for] if post[2]),
    )


def export_member(session: Session, member_id: int) -> dict:
    """Everything contests hold about a member, as JSON-ready data."""
    entries = session.exec(
        select(ContestEntry, Contest)
        .join(Contest)
        .where(ContestEntry.member_id == member_id)
        .order_by(ContestEntry.entered_at)
    ).all()
    won = set(
        session.exec(
            select(ContestWinner.entry_id).where(
                col(ContestWinner.entry_id).in_([entry.id for entry, _ in entries])
            )
        )
    )
    votes = session.exec(
        select(ContestVote, Contest)
        .join(Contest)
        .where(ContestVote.member_id == member_id)
        .order_by(ContestVote.voted_at)
    ).all()
    created = session.exec(
        select(Contest).where(Contest.created_by == member_id).order_by(Contest.created_at)
    ).all()
    draws = session.exec(
        select(ContestDraw, Contest)
        .join(Contest)
        .where(ContestDraw.drawn_by == member_id)
        .order_by(ContestDraw.drawn_at, ContestDraw.number)
    ).all()
    removals = session.exec(
        select(ContestEntry.removed_at, Contest)
        .join(Contest)
        .where(ContestEntry.removed_by == member_id)
        .order_by(ContestEntry.removed_at)
    ).all()
    return {
        "entries": [
            {
                "contest_id": contest.id,
                "contest": contest.title,
                "entered_at": entry.entered_at.isoformat(),
                "entry": entry.text,
                "removed_at": entry.removed_at.isoformat() if entry.removed_at else None,
                "won": entry.id in won,
            }
            for entry, contest in entries
        ],
        "votes": [
            {
                "contest_id": contest.id,
                "contest": contest.title,
                "entry_id": vote.entry_id,
                "voted_at": vote.voted_at.isoformat(),
            }
            for vote, contest in votes
        ],
        "contests_created": [
            {"contest_id": c.id, "title": c.title, "created_at": c.created_at.isoformat()}
            for c in created
        ],
        "draws": [  # rounds this manager decided (`/contest draw`, `/contest reroll`)
            {
                "contest_id": c.id,
                "contest": c.title,
                "round": d.number,
                "drawn_at": d.drawn_at.isoformat(),
            }
            for d, c in draws
        ],
        "entries_removed": [  # whose entry is the entrant's data, not this manager's
            {"contest_id": c.id, "contest": c.title, "removed_at": at.isoformat()}
            for at, c in removals
        ],
    }
