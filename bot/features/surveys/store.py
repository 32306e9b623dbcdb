"""Surveys and their responses: one response per member, replaced while the survey is open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint, delete, func, update
from sqlmodel import Field, Session, SQLModel, select

from bot.core.messages import SentMessage
from bot.core.posts import find_post
from bot.store.models import utc_column
from bot.store.upserts import added

FEATURE = "survey"  # how the survey's posts are remembered (BotMessage.feature)
POST_ROLE, RESULTS_ROLE = "post", "results"


class Survey(SQLModel, table=True):
    """A survey: its questions, who created it and when it closes.

    Its post and its results are BotMessage rows (feature "survey", roles "post", "results").
    """

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    questions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    created_by: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    closes_at: datetime | None = Field(default=None, sa_column=utc_column(index=True))
    closed_at: datetime | None = Field(default=None, sa_column=utc_column())

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and (self.closes_at is None or now < self.closes_at)


class SurveyResponse(SQLModel, table=True):
    """One member's answers to a survey, in question order."""

    __table_args__ = (UniqueConstraint("survey_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="survey.id")
    member_id: int = Field(foreign_key="member.id", index=True)
    answers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: datetime = Field(sa_column=utc_column(nullable=False))


def create_survey(
    session: Session,
    title: str,
    questions: list[str],
    created_by: int,
    at: datetime,
    closes_at: datetime | None,
) -> Survey:
    survey = Survey(
        title=title, questions=questions, created_by=created_by, created_at=at, closes_at=closes_at
    )
    session.add(survey)
    session.flush()
    return survey


def survey_post(session: Session, survey_id: int) -> SentMessage | None:
    """Where the survey was posted, to edit it (None if it never was)."""
    return find_post(session, FEATURE, survey_id, POST_ROLE)


def delete_survey(session: Session, survey_id: int) -> None:
    """Undo a survey that could not be posted."""
    session.execute(delete(Survey).where(Survey.id == survey_id))


def get_survey(session: Session, survey_id: int) -> Survey | None:
    return session.get(Survey, survey_id)


def get_response(session: Session, survey_id: int, member_id: int) -> SurveyResponse | None:
    return session.exec(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id, SurveyResponse.member_id == member_id
        )
    ).first()


def save_response(
    session: Session, survey_id: int, member_id: int, answers: list[str], at: datetime
) -> bool:
    """Store or replace the member's answers; True when this is their first response."""
    existing = get_response(session, survey_id, member_id)
    if existing is None:
        row = SurveyResponse(
            survey_id=survey_id, member_id=member_id, answers=answers, created_at=at, updated_at=at
        )
        if added(session, row):
            return True
        existing = get_response(session, survey_id, member_id)  # their other one came first
        assert existing is not None
    existing.answers = list(answers)
    existing.updated_at = at
    session.add(existing)
    return False


def responses(session: Session, survey_id: int) -> list[SurveyResponse]:
    """Every response to a survey, first submitted first."""
    return list(
        session.exec(
            select(SurveyResponse)
            .where(SurveyResponse.survey_id == survey_id)
            .order_by(SurveyResponse.created_at, SurveyResponse.id)
        ).all()
    )


def response_count(session: Session, survey_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(SurveyResponse)
        .where(SurveyResponse.survey_id == survey_id)
    ).one()


def closed_surveys(session: Session, start: datetime, end: datetime) -> list[tuple[int, str, int]]:
    """(id, title, responses) of the surveys closed at or after `start` and before `end`,
    first closed first."""
    rows = session.exec(
        select(Survey.id, Survey.title, func.count(SurveyResponse.id))
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id, isouter=True)
        .where(Survey.closed_at >= start, Survey.closed_at < end)
        .group_by(Survey.id, Survey.title, Survey.closed_at)
        .order_by(Survey.closed_at, Survey.id)
    )
    return [tuple(row) for row in rows]


def mark_closed(session: Session, survey_id: int, at: datetime) -> bool:
    """Close the survey; True only for the one caller that closed it (safe across processes)."""
    result = session.execute(
        update(Survey)
        .where(Survey.id == survey_id, Survey.closed_at.is_(None))
        .values(closed_at=at)
    )
    return result.rowcount == 1


def next_closing(session: Session) -> datetime | None:
    """When the next open survey with a closing time closes (may be in the past)."""
    return session.exec(
        select(func.min(Survey.closes_at)).where(
            Survey.closed_at.is_(None), Survey.closes_at.is_not(None)
        )
    ).one()


def due_to_close(session: Session, now: datetime) -> list[int]:
    """Ids of open surveys whose closing time is at or before `now`."""
    return list(
        session.exec(
            select(Survey.id)
            .where(Survey.closed_at.is_(None), Survey.closes_at <= now)
            .order_by(Survey.closes_at, Survey.id)
        ).all()
    )


def export_member(session: Session, member_id: int) -> dict:
    """The member's survey responses (question → answer) and the surveys they created."""
    rows = session.exec(
        select(SurveyResponse, Survey)
        .join(Survey, Survey.id == SurveyResponse.survey_id)
        .where(SurveyResponse.member_id == member_id)
        .order_by(SurveyResponse.id)
    ).all()
    created = session.exec(
        select(Survey).where(Survey.created_by == member_id).order_by(Survey.id)
    ).all()
    return {
        "survey_responses": [
            {
                "survey_id": survey.id,
                "survey_title": survey.title,
                "answers": dict(zip(survey.questions, response.answers, strict=False)),
                "created_at": response.created_at.isoformat(),
                "updated_at": response.updated_at.isoformat(),
            }
            for response, survey in rows
        ],
        "surveys_created": [
            {"survey_id": s.id, "title": s.title, "created_at": s.created_at.isoformat()}
            for s in created
        ],
    }


def forget_member(session: Session, member_id: int) -> None:
    """Erase the member's responses; surveys they created stay, without their name."""
    session.execute(delete(SurveyResponse).where(SurveyResponse.member_id == member_id))
    session.execute(update(Survey).where(Survey.created_by == member_id).values(created_by=None))
