"""Survey questions: parsed from `"q1 | q2 (1-5)"`, turned into a form, answers checked.

A survey has as many questions as the platform's form holds fields, each question at most as
long as a form label there (bot.core.capabilities); the core cuts the form's title to fit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.capabilities import Capabilities
from bot.core.errors import UsageError
from bot.core.messages import Form, FormField
from bot.text.pipe_lists import split_list

MAX_ANSWER_CHARS = 1000
MAX_RATING_STEPS = 11  # (0-10) at most, so a distribution stays readable
_RATING = re.compile(r"\((\d+)\s*[-–]\s*(\d+)\)\s*$")


@dataclass(frozen=True)
class Question:
    """One question; a rating question ends in a range like `(1-5)`."""

    text: str
    low: int | None = None
    high: int | None = None

    @property
    def is_rating(self) -> bool:
        return self.low is not None

    @classmethod
    def parse(cls, text: str) -> Question:
        match = _RATING.search(text)
        if match is None:
            return cls(text)
        return cls(text, int(match.group(1)), int(match.group(2)))

    def form_field(self, index: int, default: str = "") -> FormField:
        """This question as a form field: a rating is a whole number in its range."""
        return FormField(
            field_id=field_id(index),
            label=self.text,
            multiline=not self.is_rating,
            default=default,
            max_length=MAX_ANSWER_CHARS,
            min_value=self.low,
            max_value=self.high,
        )

    def check(self, number: int, answer: str) -> str:
        """The answer as stored; raise UsageError when it does not fit the question."""
        problem = self.form_field(number - 1).check(answer)
        if problem is not None:
            raise UsageError(f"Question {number} ({self.text}) {problem}. {NOT_SAVED}")
        answer = answer.strip()
        return str(int(answer)) if self.is_rating else answer


NOT_SAVED = "Your response was not saved; press Respond to answer again."


def parse_questions(raw: str, usage: str, caps: Capabilities) -> list[Question]:
    """Split `q1 | q2 | q3` into questions that fit the platform's form (`caps`); raise
    UsageError saying what is wrong."""
    texts = list(split_list(raw))
    if not any(texts):
        raise UsageError("`questions` needs at least one question.", usage)
    if len(texts) > caps.fields_per_form:
        raise UsageError(
            f"A survey here has at most {caps.fields_per_form} questions, as many as this "
            f"platform's form holds (got {len(texts)}).",
            usage,
        )
    questions = []
    for number, text in enumerate(texts, 1):
        if not text:
            raise UsageError(f"Question {number} is empty; separate questions with |.", usage)
        if len(text) > caps.form_label_length:
            raise UsageError(
                f"Question {number} is {len(text)} characters; this platform's form labels "
                f"hold {caps.form_label_length}.",
                usage,
            )
        if text.lower() in (t.lower() for t in texts[: number - 1]):
            raise UsageError(f"Question {number} repeats an earlier question.", usage)
        questions.append(_checked_range(Question.parse(text), number, usage))
    return questions


def _checked_range(question: Question, number: int, usage: str) -> Question:
    if not question.is_rating:
        return question
    if question.low >= question.high:
        raise UsageError(
            f"Question {number}: a rating range goes from low to high, like (1-5).", usage
        )
    if question.high - question.low + 1 > MAX_RATING_STEPS:
        raise UsageError(
            f"Question {number}: the range ({question.low}-{question.high}) is too wide; "
            f"use at most {MAX_RATING_STEPS} steps, like (0-10).",
            usage,
        )
    return question


def field_id(index: int) -> str:
    return f"q{index + 1}"


def survey_form(
    survey_id: int, title: str, questions: list[Question], previous: list[str] | None
) -> Form:
    """The form a member fills in; pre-filled with their previous answers if they have any."""
    defaults = previous or []
    fields = tuple(
        q.form_field(i, defaults[i] if i < len(defaults) else "") for i, q in enumerate(questions)
    )
    return Form(form_id=f"survey:{survey_id}", title=title, fields=fields)


def checked_answers(questions: list[Question], values: dict[str, str]) -> list[str]:
    """The submitted answers in question order; raise UsageError on the first bad one."""
    return [q.check(i + 1, values.get(field_id(i), "")) for i, q in enumerate(questions)]
