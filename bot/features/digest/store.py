"""Posted digests, kept: one row per week with its figures as JSON (the report's history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, update
from sqlmodel import Field, Session, SQLModel, select

from bot.features.digest.figures import WeekDigest, from_json, to_json
from bot.store.models import Member, utc_column
from bot.store.upserts import added

FORMER = "a former member"  # as the contest's own announcement names an erased winner


class DigestRecord(SQLModel, table=True):
    """The digest of one ISO week as posted: `posted_at` is when its weekly post was enqueued
    (None: only a manager's `/digest post` so far)."""

    id: int | None = Field(default=None, primary_key=True)
    week: str = Field(max_length=10, unique=True)  # "2026-W12": sorts as time does
    figures: dict = Field(sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(sa_column=utc_column(nullable=False))
    posted_at: datetime | None = Field(default=None, sa_column=utc_column())


def is_posted(session: Session, week: str) -> bool:
    """Whether the weekly post of `week` went to the outbox already."""
    posted = select(DigestRecord.id).where(
        DigestRecord.week == week, DigestRecord.posted_at.is_not(None)
    )
    return session.exec(posted).first() is not None


def claim_week(session: Session, digest: WeekDigest, now: datetime) -> int | None:
    """Keep `digest` as its week's posted digest and claim its weekly post; None when another
    process claimed it first (its row is locked or unique, so only one goes on)."""
    figures = to_json(digest)
    claimed = session.execute(
        update(DigestRecord)
        .where(DigestRecord.week == digest.week, DigestRecord.posted_at.is_(None))
        .values(figures=figures, computed_at=digest.computed_at, posted_at=now)
        .returning(DigestRecord.id)
    ).first()
    if claimed is not None:
        return claimed[0]
    row = DigestRecord(
        week=digest.week, figures=figures, computed_at=digest.computed_at, posted_at=now
    )
    return row.id if added(session, row) else None


def replace_record(session: Session, digest: WeekDigest, now: datetime) -> int:
    """Keep `digest` as its week's digest, replacing the figures kept (a manager's repost)."""
    figures = to_json(digest)
    found = select(DigestRecord).where(DigestRecord.week == digest.week)
    row = session.exec(found).first()
    if row is None:  # not the weekly post: that one still goes out on schedule
        row = DigestRecord(week=digest.week, figures=figures, computed_at=now)
        if added(session, row):
            return row.id
        row = session.exec(found).one()  # the weekly post (here or elsewhere) came first
    row.figures, row.computed_at = figures, digest.computed_at
    session.add(row)
    session.flush()
    return row.id


def record_digest(session: Session, record_id: int) -> WeekDigest | None:
    row = session.get(DigestRecord, record_id)
    return None if row is None else from_json(WeekDigest, row.figures)


def kept_digests(session: Session, first: str, last: str) -> dict[str, WeekDigest]:
    """The digests kept for the weeks `first` to `last` (labels, both included), by week."""
    rows = session.exec(
        select(DigestRecord).where(DigestRecord.week >= first, DigestRecord.week <= last)
    )
    return {row.week: from_json(WeekDigest, row.figures) for row in rows}


def latest_week(session: Session) -> str | None:
    """The latest week whose digest was posted."""
    latest = select(DigestRecord.week).where(DigestRecord.posted_at.is_not(None))
    return session.exec(latest.order_by(DigestRecord.week.desc()).limit(1)).first()


def forget_member(session: Session, member_id: int) -> None:
    """Take the member out of every kept digest (`/privacy forget`): out of its top
    contributors, and "a former member" where it names them as a contest winner."""
    member = session.get(Member, member_id)
    name = member.name if member is not None else None
    for row in session.exec(select(DigestRecord)):
        figures = _without(row.figures, member_id, name)
        if figures != row.figures:
            row.figures = figures
            session.add(row)


def _without(figures: dict, member_id: int, name: str | None) -> dict:
    contributors = [c for c in figures.get("contributors", []) if c.get("member_id") != member_id]
    initiatives = dict(figures.get("initiatives", {}))
    initiatives["contests"] = [
        {**c, "winners": [FORMER if w == name else w for w in c.get("winners", [])]}
        for c in initiatives.get("contests", [])
    ]
    return {**figures, "contributors": contributors, "initiatives": initiatives}


def export_member(session: Session, member_id: int) -> dict:
    """The member's part of the kept digests: the weeks that named them a top contributor."""
    weeks = [
        row.week
        for row in session.exec(select(DigestRecord).order_by(DigestRecord.week))
        if any(c.get("member_id") == member_id for c in row.figures.get("contributors", []))
    ]
    return {"named_top_contributor_in_weeks": weeks}
