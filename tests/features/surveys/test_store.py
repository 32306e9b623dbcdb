"""Survey and feedback storage on SQLite and PostgreSQL: upserts, closing once, windows, privacy."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from bot.features.feedback import store as feedback_store
from bot.features.surveys import store as survey_store
from bot.store.database import Store
from bot.store.models import Member
from bot.text.sentiment import Sentiment
from tests.conftest import START


@pytest.fixture
def store(any_db_url: str) -> Iterator[Store]:
    store = Store.open(any_db_url)
    yield store
    store.close()


def _member(session: Session, name: str) -> int:
    member = Member(platform="console", platform_user_id=name, name=name)
    session.add(member)
    session.flush()
    return member.id


def _survey(session: Session, creator: int, closes_in: timedelta | None = None) -> int:
    closes = START + closes_in if closes_in else None
    questions = ["Wie war’s? (1-5)", "Ideas?"]
    return survey_store.create_survey(session, "Umfrage ✓", questions, creator, START, closes).id


def test_one_response_per_member_replaced_on_resubmit(store: Store) -> None:
    def work(session: Session):
        mia, bob = _member(session, "mia"), _member(session, "bob")
        survey = _survey(session, mia)
        first = survey_store.save_response(session, survey, bob, ["4", "Mehr Käse"], START)
        later = START + timedelta(hours=2)
        again = survey_store.save_response(session, survey, bob, ["5", "Pizza 🍕"], later)
        return first, again, survey

    first, again, survey = store.call(work)
    assert (first, again) == (True, False)
    rows = store.call(survey_store.responses, survey)
    assert len(rows) == 1
    assert rows[0].answers == ["5", "Pizza 🍕"]
    assert rows[0].created_at == START and rows[0].updated_at == START + timedelta(hours=2)
    assert store.call(survey_store.response_count, survey) == 1
    loaded = store.call(survey_store.get_survey, survey)
    assert loaded.questions == ["Wie war’s? (1-5)", "Ideas?"] and loaded.title == "Umfrage ✓"
    assert loaded.created_at == START  # aware UTC on both databases


def test_closing_is_due_once(store: Store) -> None:
    def work(session: Session):
        mia = _member(session, "mia")
        return (
            _survey(session, mia, timedelta(days=2)),
            _survey(session, mia, timedelta(days=1)),
            _survey(session, mia),
        )

    later, sooner, never = store.call(work)
    assert store.call(survey_store.next_closing) == START + timedelta(days=1)
    assert store.call(survey_store.due_to_close, START + timedelta(hours=23)) == []
    assert store.call(survey_store.due_to_close, START + timedelta(days=3)) == [sooner, later]
    assert store.call(survey_store.mark_closed, sooner, START + timedelta(days=1)) is True
    assert store.call(survey_store.mark_closed, sooner, START + timedelta(days=1)) is False
    assert store.call(survey_store.next_closing) == START + timedelta(days=2)
    assert store.call(survey_store.mark_closed, never, START) is True
    assert store.call(survey_store.due_to_close, START + timedelta(days=3)) == [later]


def test_survey_privacy(store: Store) -> None:
    def work(session: Session):
        mia, bob = _member(session, "mia"), _member(session, "bob")
        survey = _survey(session, mia)
        survey_store.save_response(session, survey, bob, ["3", "ok"], START)
        survey_store.save_response(session, survey, mia, ["5", "great"], START)
        return mia, bob, survey

    mia, bob, survey = store.call(work)
    exported = store.call(survey_store.export_member, bob)
    assert exported["survey_responses"][0]["answers"] == {"Wie war’s? (1-5)": "3", "Ideas?": "ok"}
    assert exported["surveys_created"] == []
    assert store.call(survey_store.export_member, mia)["surveys_created"][0]["title"] == "Umfrage ✓"
    store.call(survey_store.forget_member, bob)
    store.call(survey_store.forget_member, mia)
    assert store.call(survey_store.responses, survey) == []
    assert store.call(survey_store.get_survey, survey).created_by is None


def test_feedback_window_and_privacy(store: Store) -> None:
    mood = Sentiment(0.5, 0.6, "positive")

    def work(session: Session):
        bob = _member(session, "bob")
        for hours in (0, 24, 48):
            at = START + timedelta(hours=hours)
            feedback_store.add_feedback(session, bob, f"at {hours}h", mood, at)
        return bob

    bob = store.call(work)
    rows = store.call(feedback_store.feedback_between, START, START + timedelta(hours=48))
    assert [r.text for r in rows] == ["at 24h", "at 48h"]  # start excluded, end included
    assert rows[0].created_at == START + timedelta(hours=24)
    exported = store.call(feedback_store.export_member, bob)["entries"]
    assert [e["text"] for e in exported] == ["at 0h", "at 24h", "at 48h"]
    assert exported[0]["polarity"] == 0.5
    store.call(feedback_store.forget_member, bob)
    everything = (START - timedelta(days=1), START + timedelta(days=9))
    assert store.call(feedback_store.feedback_between, *everything) == []
