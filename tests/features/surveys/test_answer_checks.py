"""Each survey answer is checked as it is given: the console asks again at once, and a form
submitted whole (a Discord modal, a Slack view) is refused with nothing saved."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.core.messages import FormField
from bot.features.surveys.store import SurveyResponse
from tests.conftest import Community
from tests.recording import Recorded

NPS = '/survey create title:NPS questions:"Would you recommend us? (1-10) | Why?"'
AS_MANAGER = ":as mia manager\n:in managers"


def responses(community: Community | Recorded) -> list[list[str]]:
    return community.app.store.call(
        lambda s: [r.answers for r in s.exec(select(SurveyResponse)).all()]
    )


async def test_the_console_asks_again_after_each_bad_rating(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{NPS}")
    out = await community.run(":as bob\n:in general\n:click 2 Respond")
    assert "1. Would you recommend us? (1-10)" in out
    for bad in ("11", "4.5", "0", "ten"):
        out = await community.run(bad)
        assert (
            f"That answer needs a whole number from 1 to 10 (got '{bad}'); answer again, "
            "or :cancel to stop." in out
        )
        assert "1. Would you recommend us? (1-10)" in out  # the same question again
        assert "2. Why?" not in out
    out = await community.run("9")
    assert "2. Why?" in out
    out = await community.run("Friendly people")
    assert "Steward → bob (private): Thank you! Your response to survey #1" in out
    assert responses(community) == [["9", "Friendly people"]]


async def test_a_whole_form_with_a_bad_rating_is_refused_at_submission(
    recorded: Recorded,
) -> None:
    recorded.manager("mia")
    [survey] = (await recorded.command(NPS, by="mia", in_="managers")).public("survey")
    assert await recorded.click(survey, "Respond", by="bob") == []  # the form opens
    said = await recorded.submit("11", "Friendly people", by="bob")  # a modal: all at once
    assert said.told("bob") == [
        "Question 1 (Would you recommend us? (1-10)) needs a whole number from 1 to 10 "
        "(got '11'). Your response was not saved; press Respond to answer again."
    ]
    assert survey.edits == 0
    assert responses(recorded) == []
    said = await recorded.submit("9", "Friendly people", by="bob")
    assert said.told("bob")[0].startswith("Thank you! Your response to survey #1")
    assert responses(recorded) == [["9", "Friendly people"]]


RATING = FormField("q1", "Score (1-5)", min_value=1, max_value=5)


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (RATING, "3", None),
        (RATING, " +5 ", None),
        (RATING, "6", "needs a whole number from 1 to 5 (got '6')"),
        (RATING, "1_0", "needs a whole number from 1 to 5 (got '1_0')"),
        (RATING, "²", "needs a whole number from 1 to 5 (got '²')"),
        (RATING, "9" * 5000, f"needs a whole number from 1 to 5 (got '{'9' * 5000}')"),
        (RATING, "", "needs an answer"),
        (
            FormField("q", "Why?", max_length=3),
            "abcd",
            "needs at most 3 characters (got 4)",
        ),
        (FormField("q", "Why?", required=False), "  ", None),
        (
            FormField("q", "Age", min_value=13),
            "12",
            "needs a whole number of at least 13 (got '12')",
        ),
    ],
)
def test_a_form_field_says_why_an_answer_does_not_fit(
    field: FormField, value: str, problem: str | None
) -> None:
    assert field.check(value) == problem


async def test_a_contest_entry_too_long_is_asked_again(community: Community) -> None:
    await community.run(
        ':as mia manager\n:in managers\n/contest create title:"Best photo" closes:2d '
        "mode:vote channel:general"
    )
    out = await community.run(":as bob\n:in general\n:click 2 Enter")
    assert "1. Your entry (text or a link, up to 500 characters)" in out
    out = await community.run("x" * 501)
    assert "That answer needs at most 500 characters (got 501)" in out
    out = await community.run("https://example.com/sunset.jpg")
    assert "Entry by bob in contest #1" in out
