"""What surveys look like: the post with its Respond button, the results, the closing note."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import sentiment
from bot.excerpts import excerpt
from bot.features.survey_questions import Question
from bot.messages import Button, ButtonStyle, Message, Section
from bot.survey_store import Survey, SurveyResponse

MAX_ANSWERS_SHOWN = 20
ANSWER_CHARS = 200


@dataclass(frozen=True)
class RatingStats:
    """Answers to one rating question: count, average and how many gave each value."""

    count: int
    average: float | None
    distribution: dict[int, int]

    @classmethod
    def of(cls, question: Question, answers: list[str]) -> RatingStats:
        values = [int(a) for a in answers if a.lstrip("-").isdigit()]
        counts = Counter(values)
        distribution = {v: counts[v] for v in range(question.low, question.high + 1)}
        average = sum(values) / len(values) if values else None
        return cls(len(values), average, distribution)

    def describe_average(self, question: Question) -> str:
        if self.average is None:
            return "no answers"
        return f"{self.average:.1f} / {question.high} ({self.count} answers)"


def local_time(when: datetime, zone: ZoneInfo) -> str:
    return f"{when.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"


def questions_of(survey: Survey) -> list[Question]:
    return [Question.parse(text) for text in survey.questions]


def render_post(survey: Survey, count: int, zone: ZoneInfo, now: datetime) -> Message:
    """The public survey post: questions, closing time, response count, Respond button."""
    lines = [f"{i}. {q}" for i, q in enumerate(survey.questions, 1)]
    answered = f"{count} response{'' if count == 1 else 's'}"
    if survey.is_open(now):
        when = f" · closes {local_time(survey.closes_at, zone)}" if survey.closes_at else ""
        status = f"{answered}{when} · one response each, editable until it closes"
        buttons = (Button("Respond", f"survey:respond:{survey.id}", ButtonStyle.PRIMARY),)
    else:
        status = f"{answered} · closed"
        buttons = ()
    return Message(
        text=f"Survey #{survey.id}: {survey.title}",
        sections=(Section(text="\n".join(lines)), Section(text=status)),
        buttons=buttons,
        tag="survey",
    )


def render_results(
    survey: Survey, answers: list[SurveyResponse], zone: ZoneInfo, now: datetime
) -> Message:
    """Response count; per rating question average and distribution; free text with sentiment.

    Respondents are not named (their privacy); answers are listed in the order given.
    """
    if survey.is_open(now):
        until = f" until {local_time(survey.closes_at, zone)}" if survey.closes_at else ""
        state = f"open{until}"
    else:
        state = f"closed {local_time(survey.closed_at or survey.closes_at, zone)}"
    sections = [
        _question_section(i, q, [r.answers[i - 1] for r in answers if len(r.answers) >= i])
        for i, q in enumerate(questions_of(survey), 1)
    ]
    return Message(
        text=f"Survey #{survey.id} results: {survey.title}",
        sections=(Section(fields=(("Responses", str(len(answers))), ("Status", state))), *sections),
        tag="survey",
    )


def _question_section(number: int, question: Question, answers: list[str]) -> Section:
    title = f"{number}. {question.text}"
    if question.is_rating:
        stats = RatingStats.of(question, answers)
        spread = " · ".join(f"{value}: {n}" for value, n in stats.distribution.items())
        return Section(
            title=title,
            fields=(("Average", stats.describe_average(question)), ("Distribution", spread)),
        )
    moods = [(answer, sentiment.score(answer).label) for answer in answers if answer]
    if not moods:
        return Section(title=title, text="no answers")
    tally = Counter(label for _, label in moods)
    lines = [
        f"[{label}] {excerpt(answer, ANSWER_CHARS)}" for answer, label in moods[:MAX_ANSWERS_SHOWN]
    ]
    if len(moods) > MAX_ANSWERS_SHOWN:
        lines.append(f"… and {len(moods) - MAX_ANSWERS_SHOWN} more")
    overall = " · ".join(f"{tally[k]} {k}" for k in ("positive", "neutral", "negative"))
    return Section(title=title, text="\n".join(lines), fields=(("Sentiment", overall),))


def render_closing(survey: Survey, answers: list[SurveyResponse]) -> Message:
    """The short note posted in the survey's channel when it closes: count and rating averages."""
    count = len(answers)
    lines = [f"Thank you! {count} response{'' if count == 1 else 's'}."]
    for i, question in enumerate(questions_of(survey)):
        if question.is_rating:
            stats = RatingStats.of(question, [r.answers[i] for r in answers if len(r.answers) > i])
            lines.append(f"{question.text}: {stats.describe_average(question)}")
    return Message(
        text=f"Survey #{survey.id} is closed: {survey.title}",
        sections=(Section(text="\n".join(lines)),),
        tag="survey",
    )

