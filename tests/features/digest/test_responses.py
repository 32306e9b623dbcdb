"""Inquiries and feedback of a week: questions asked and answered in help channels, feedback
given through `/feedback`, every figure checked against the script counted by hand."""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.core.config import ConsoleConfig, InquiriesConfig
from bot.features.digest.figures import FeedbackFigures, InquiryFigures, SlowChannel
from bot.features.digest.responses import feedback_figures, inquiry_figures
from bot.features.digest.weeks import Week
from bot.features.inquiries.store import Inquiry
from bot.text.sentiment import score
from tests.conftest import START, make_settings, open_recorded
from tests.recording import Recorded

pytestmark = pytest.mark.slow  # long: scheduled first (tests/conftest.py)

WEEK = Week(2026, 10)  # Monday 2026-03-02 (START) to Sunday 03-08
START_, END = WEEK.bounds(ZoneInfo("UTC"))
CHANNELS = ("general", "help", "support", "announcements", "managers")
HELP = ("help", "general", "support")


@dataclass(frozen=True)
class Question:
    """A question asked `at` minutes after Monday 09:00 and answered `after` minutes later."""

    at: int
    channel: str
    asker: str
    after: int | None = None  # None: never answered
    by: str = "ben"  # mia is a manager
    dismissed: bool = False


QUESTIONS = (
    Question(0, "help", "amy", 3),
    Question(10, "help", "ada", 30, by="mia"),
    Question(60, "help", "al", 12),
    Question(120, "support", "ann", 90, by="mia"),
    Question(240, "help", "abe"),  # still waiting at the digest: past the SLA
    Question(245, "general", "ace", dismissed=True),  # "not a question": left out
    Question(250, "general", "sue"),  # waiting, in a channel with no answer
)
FEEDBACK_BEFORE = ("The meetup was great", "The schedule is awful")
FEEDBACK = (
    "The new schedule is great",
    "The schedule changes are confusing",
    "Love the workshops, the workshops rock",
)


@pytest.fixture
async def community(any_db_url: str) -> AsyncIterator[Recorded]:
    settings = make_settings(
        any_db_url,
        console=ConsoleConfig(channels=CHANNELS),
        inquiries=InquiriesConfig(help_channels=HELP, sla_minutes=60),
    )
    recorded = await open_recorded(settings, start=START - timedelta(days=7))
    try:
        recorded.manager("mia")
        old = await recorded.post("How do I reset my password?", by="old", in_="help")
        await recorded.advance("5m")
        await recorded.reply(old, "Like this.", by="ben")  # the week before's question
        for text in FEEDBACK_BEFORE:
            await recorded.command(f'/feedback text:"{text}"', by="bob")
        await recorded.advance(START - recorded.clock.now())
        await _ask_and_answer(recorded)
        for n, text in enumerate(FEEDBACK):
            await recorded.command(f'/feedback text:"{text}"', by=f"fan{n}")
        await recorded.advance(END - recorded.clock.now())  # at the week's end: the next one's
        await recorded.post("Is anyone around?", by="late", in_="help")
        await recorded.command('/feedback text:"Late but great"', by="bob")
        await recorded.advance("9h")
        yield recorded
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def _ask_and_answer(recorded: Recorded) -> None:
    """QUESTIONS, answered (or dismissed) in the order the clock reaches them."""
    steps = []
    for n, q in enumerate(QUESTIONS):
        steps.append((q.at, n, "ask"))
        if q.after is not None:
            steps.append((q.at + q.after, n, "answer"))
    asked: dict[int, str] = {}
    for minute, n, step in sorted(steps):
        await recorded.advance(START + timedelta(minutes=minute) - recorded.clock.now())
        q = QUESTIONS[n]
        if step == "ask":
            asked[n] = await recorded.post(f"How do I do thing {n}?", by=q.asker, in_=q.channel)
            if q.dismissed:
                await _dismiss(recorded, asked[n])
        else:
            await recorded.reply(asked[n], "Like this.", by=q.by)


async def _dismiss(recorded: Recorded, message_id: str) -> None:
    inquiry_id = recorded.app.store.call(
        lambda s: s.exec(select(Inquiry.id).where(Inquiry.message_id == message_id)).one()
    )
    said = await recorded.command(f"/inquiries dismiss id:{inquiry_id}", by="mia", in_="managers")
    assert said.told("mia")[0].startswith(f"Inquiry #{inquiry_id} is marked")


# ---- the independent count ------------------------------------------------------------------
def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _p90(values: list[float]) -> float | None:
    if len(values) < 2:
        return values[0] if values else None
    return statistics.quantiles(values, n=10, method="inclusive")[8]  # spreadsheet PERCENTILE


def expected_inquiries(recorded: Recorded, now: datetime) -> InquiryFigures:
    counted = [q for q in QUESTIONS if not q.dismissed]
    answered = [q for q in counted if q.after is not None]
    seconds = [60.0 * q.after for q in answered if q.after is not None]
    overdue = [
        q
        for q in counted
        if q.after is None and START + timedelta(minutes=q.at + 60) <= now  # the SLA: 60 min
    ]
    channels = []
    for name in sorted({q.channel for q in counted}):
        mine = [60.0 * q.after for q in answered if q.channel == name and q.after is not None]
        asked = sum(q.channel == name for q in counted)
        channels.append(SlowChannel(recorded.channel(name).channel_id, name, asked, _median(mine)))
    channels.sort(key=lambda c: -1 if c.median_seconds is None else c.median_seconds, reverse=True)
    return InquiryFigures(
        asked=len(counted),
        answered=len(answered),
        median_seconds=_median(seconds),
        p90_seconds=_p90(seconds),
        by_members=sum(q.by != "mia" for q in answered),
        by_managers=sum(q.by == "mia" for q in answered),
        overdue=len(overdue),
        channels=tuple(channels),
    )


def _average(texts: tuple[str, ...]) -> float:
    return sum(score(text).polarity for text in texts) / len(texts)


# ---- the tests ------------------------------------------------------------------------------
async def test_the_weeks_questions_match_a_hand_count(community: Recorded) -> None:
    now = community.clock.now()
    got = community.app.store.call(inquiry_figures, START_, END, now)
    assert got == expected_inquiries(community, now)
    # by hand: six questions (ace's left out), four answered in 3, 30, 12 and 90 minutes
    assert (got.asked, got.answered, got.by_members, got.by_managers, got.overdue) == (
        6,
        4,
        2,
        2,
        2,
    )
    assert got.median_seconds == 21 * 60  # between 12 and 30
    assert got.p90_seconds == pytest.approx(72 * 60)  # 30 + 0.7 × (90 − 30)
    assert got.answered_pct == pytest.approx(100 * 4 / 6)
    # the slowest channel first, the one with no answer yet last
    assert [(c.name, c.asked, c.median_seconds) for c in got.channels] == [
        ("support", 1, 90 * 60),
        ("help", 4, 12 * 60),
        ("general", 1, None),
    ]


async def test_overdue_is_judged_at_the_digests_time(community: Recorded) -> None:
    early = START + timedelta(minutes=290)  # abe's SLA ends at 300 minutes, sue's at 310
    got = community.app.store.call(inquiry_figures, START_, END, early)
    assert got.overdue == expected_inquiries(community, early).overdue == 0
    later = START + timedelta(minutes=305)
    assert community.app.store.call(inquiry_figures, START_, END, later).overdue == 1


async def test_a_week_without_questions_has_none(community: Recorded) -> None:
    got = community.app.store.call(
        inquiry_figures, *WEEK.shifted(-3).bounds(ZoneInfo("UTC")), community.clock.now()
    )
    assert got == InquiryFigures()
    assert (got.answered_pct, got.median_seconds, got.channels) == (None, None, ())


async def test_the_weeks_feedback_against_the_week_before(community: Recorded) -> None:
    got = community.app.store.call(feedback_figures, START_, END)
    previous_start = WEEK.shifted(-1).bounds(ZoneInfo("UTC"))[0]
    assert got == community.app.store.call(feedback_figures, START_, END, previous_start)
    assert got == FeedbackFigures(
        count=3,
        average=pytest.approx(_average(FEEDBACK)),
        previous_count=2,
        previous_average=pytest.approx(_average(FEEDBACK_BEFORE)),
        themes=got.themes,
    )
    assert ("schedule", 2) in got.themes and ("workshops", 1) not in got.themes
    assert got.average is not None and got.average > 0  # "great" and "love" outweigh
    empty = community.app.store.call(feedback_figures, *WEEK.shifted(-3).bounds(ZoneInfo("UTC")))
    assert empty == FeedbackFigures()
