"""What surveys look like: the post with its Respond button, the results, the closing note."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.messages import Button, ButtonStyle, FileData, Message, Section
from bot.features.surveys.questions import Question
from bot.features.surveys.store import Survey, SurveyResponse
from bot.text import sentiment
from bot.text.excerpts import excerpt
from bot.text.when import format_local

MAX_ANSWERS_SHOWN = 10
ANSWER_CHARS = 150


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
        return f"{self.average:.1f} / {question.high} ({_count(self.count, 'answer')})"


def questions_of(survey: Survey) -> list[Question]:
    return [Question.parse(text) for text in survey.questions]


def render_post(survey: Survey, count: int, zone: ZoneInfo, now: datetime) -> Message:
    """The public survey post: questions, closing time, response count, Respond button."""
    lines = [f"{i}. {q}" for i, q in enumerate(survey.questions, 1)]
    answered = _count(count, "response")
    if survey.is_open(now):
        when = f" · closes {format_local(survey.closes_at, zone)}" if survey.closes_at else ""
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
    survey: Survey, responses: list[SurveyResponse], zone: ZoneInfo, now: datetime
) -> Message:
    """Response count; per rating question average and distribution; free text with sentiment.

    Respondents are not named (their privacy); answers are listed in the order given. Every
    answer is in the attached CSV, as a long survey's answers do not fit in one message.
    """
    if survey.is_open(now):
        until = f" until {format_local(survey.closes_at, zone)}" if survey.closes_at else ""
        state = f"open{until}"
    else:
        state = f"closed {format_local(survey.closed_at or survey.closes_at, zone)}"
    questions = questions_of(survey)
    moods = {
        answer: sentiment.score(answer).label
        for i, q in enumerate(questions)
        if not q.is_rating
        for answer in _column(responses, i)
    }
    sections = [
        _question_section(i + 1, q, _column(responses, i), moods) for i, q in enumerate(questions)
    ]
    overview = Section(fields=(("Responses", str(len(responses))), ("Status", state)))
    return Message(
        text=f"Survey #{survey.id} results: {survey.title}",
        sections=(overview, *sections),
        file=results_csv(survey, questions, responses, moods) if responses else None,
        tag="survey",
    )


def results_csv(
    survey: Survey, questions: list[Question], responses: list[SurveyResponse], moods: dict
) -> FileData:
    """Every response as a CSV row, without names; free-text answers get a sentiment column."""
    header: list[str] = []
    for q in questions:
        header.extend([q.text] if q.is_rating else [q.text, f"{q.text} (sentiment)"])
    rows = []
    for response in responses:
        row: list[str] = []
        for i, q in enumerate(questions):
            answer = response.answers[i] if i < len(response.answers) else ""
            row.extend([answer] if q.is_rating else [answer, moods.get(answer, "")])
        rows.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return FileData(f"survey-{survey.id}-responses.csv", out.getvalue().encode(), "text/csv")


def _question_section(
    number: int, question: Question, answers: list[str], moods: dict[str, str]
) -> Section:
    title = f"{number}. {question.text}"
    if question.is_rating:
        stats = RatingStats.of(question, answers)
        spread = " · ".join(f"{value}: {n}" for value, n in stats.distribution.items())
        return Section(
            title=title,
            fields=(("Average", stats.describe_average(question)), ("Distribution", spread)),
        )
    if not answers:
        return Section(title=title, text="no answers")
    tally = Counter(moods[a] for a in answers)
    lines = [f"[{moods[a]}] {excerpt(a, ANSWER_CHARS)}" for a in answers[:MAX_ANSWERS_SHOWN]]
    if len(answers) > MAX_ANSWERS_SHOWN:
        lines.append(f"… and {len(answers) - MAX_ANSWERS_SHOWN} more (all are in the CSV)")
    overall = " · ".join(f"{tally[k]} {k}" for k in ("positive", "neutral", "negative"))
    return Section(title=title, text="\n".join(lines), fields=(("Sentiment", overall),))


def _column(responses: list[SurveyResponse], index: int) -> list[str]:
    """The non-empty answers to question `index`, in response order."""
    return [r.answers[index] for r in responses if len(r.answers) > index and r.answers[index]]


def render_closing(survey: Survey, answers: list[SurveyResponse]) -> Message:
    """The short note posted in the survey's channel when it closes: count and rating averages."""
    lines = [f"Thank you! {_count(len(answers), 'response')}." if answers else "No responses."]
    for i, question in enumerate(questions_of(survey)):
        if question.is_rating:
            stats = RatingStats.of(question, _column(answers, i))
            lines.append(f"{question.text}: {stats.describe_average(question)}")
    return Message(
        text=f"Survey #{survey.id} is closed: {survey.title}",
        sections=(Section(text="\n".join(lines)),),
        tag="survey",
    )


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
