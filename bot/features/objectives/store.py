"""Objectives as stored: a target on a metric, kept (soft-removed) so past digests keep names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, or_, update
from sqlmodel import Field, Session, SQLModel, select

from bot.features.objectives.metrics import Metric
from bot.store.models import Member, utc_column

MAX_NAME = 100


class Objective(SQLModel, table=True):
    """A manager's target on one metric; `removed_at` set once removed (the row stays)."""

    __table_args__ = (Index("ix_objective_removed_at", "removed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=MAX_NAME)
    metric: str = Field(max_length=64)
    direction: str = Field(max_length=16)  # "at_least" | "at_most"
    target: float
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="member.id")  # last replaced by
    updated_at: datetime | None = Field(default=None, sa_column=utc_column())
    removed_at: datetime | None = Field(default=None, sa_column=utc_column())

    @property
    def set_at(self) -> datetime:
        """When the current target was set."""
        return self.updated_at or self.created_at

    @property
    def set_by(self) -> int | None:
        """Who set the current target (None once forgotten)."""
        return self.created_by if self.updated_at is None else self.updated_by


@dataclass(frozen=True)
class Saved:
    """What `/objective set` did: the objective now, and the target it replaced (if any)."""

    objective: Objective
    replaced: float | None = None
    old_name: str | None = None


def active_objectives(session: Session, at: datetime | None = None) -> list[Objective]:
    """Objectives not removed (at `at`, when given: made by then and not yet removed), by id."""
    query = select(Objective).order_by(Objective.id)
    if at is None:
        query = query.where(Objective.removed_at.is_(None))
    else:
        query = query.where(
            Objective.created_at <= at,
            or_(Objective.removed_at.is_(None), Objective.removed_at > at),
        )
    return list(session.exec(query).all())


def set_objective(
    session: Session,
    metric: Metric,
    direction: str,
    target: float,
    name: str | None,
    member_id: int,
    at: datetime,
) -> Saved:
    """Store the objective (named for its metric unless `name` is given); one already active
    on `metric` in `direction` gets the new target instead (and `name`, when given)."""
    current = session.exec(
        select(Objective).where(
            Objective.metric == metric.key,
            Objective.direction == direction,
            Objective.removed_at.is_(None),
        )
    ).first()
    if current is None:
        row = Objective(
            name=name or metric.label,
            metric=metric.key,
            direction=direction,
            target=target,
            created_by=member_id,
            created_at=at,
        )
        session.add(row)
        session.flush()
        return Saved(row)
    saved = Saved(current, replaced=current.target, old_name=current.name)
    current.target, current.updated_by, current.updated_at = target, member_id, at
    current.name = name or current.name
    session.add(current)
    session.flush()
    return saved


def remove_objective(session: Session, objective_id: int, at: datetime) -> Objective | None:
    """Mark the active objective removed; None when there is no such active objective."""
    row = session.get(Objective, objective_id)
    if row is None or row.removed_at is not None:
        return None
    row.removed_at = at
    session.add(row)
    session.flush()
    return row


def setters(session: Session, rows: list[Objective]) -> dict[int, str]:
    """The names of the members who set these objectives' targets, by member id."""
    ids = {row.set_by for row in rows} - {None}
    if not ids:
        return {}
    found = session.exec(select(Member.id, Member.name).where(Member.id.in_(ids))).all()
    return {member_id: name for member_id, name in found}


def export_member(session: Session, member_id: int) -> dict:
    """The objectives this member made or last set a target on, for `/privacy export`."""
    rows = session.exec(
        select(Objective)
        .where(or_(Objective.created_by == member_id, Objective.updated_by == member_id))
        .order_by(Objective.id)
    ).all()
    return {
        "objectives_set": [
            {
                "id": row.id,
                "name": row.name,
                "metric": row.metric,
                "direction": row.direction,
                "target": row.target,
                "created_by_you": row.created_by == member_id,
                "target_set_by_you": row.set_by == member_id,
                "created_at": row.created_at.isoformat(),
                "target_set_at": row.set_at.isoformat(),
                "removed_at": row.removed_at.isoformat() if row.removed_at else None,
            }
            for row in rows
        ]
    }


def forget_member(session: Session, member_id: int) -> None:
    """Objectives stay (they are the community's); they no longer name who set them."""
    session.execute(
        update(Objective).where(Objective.created_by == member_id).values(created_by=None)
    )
    session.execute(
        update(Objective).where(Objective.updated_by == member_id).values(updated_by=None)
    )
