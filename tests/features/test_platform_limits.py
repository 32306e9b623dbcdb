"""Polls and surveys take their limits from the platform's capabilities, not from constants."""

from __future__ import annotations

from bot.core.capabilities import Capabilities
from tests.recording import Recorded

SURVEY = '/survey create title:"March meetup" questions:"{}"'
POLL = '/poll create question:"Best day?" options:"{}"'


def _on(recorded: Recorded, **limits: int) -> None:
    recorded.adapter.capabilities = Capabilities(**limits)


def _list(count: int, prefix: str) -> str:
    return " | ".join(f"{prefix} {n}" for n in range(1, count + 1))


async def test_a_survey_has_as_many_questions_as_the_platforms_form_holds(
    recorded: Recorded,
) -> None:
    _on(recorded, fields_per_form=8)
    recorded.manager("mia")
    said = await recorded.command(SURVEY.format(_list(8, "Question")), by="mia", in_="managers")
    [survey] = said.public("survey")
    await recorded.click(survey, "Respond", by="bob")
    assert len(recorded.form_for("bob").form.fields) == 8


async def test_a_survey_longer_than_the_form_is_refused_with_the_platforms_limit(
    recorded: Recorded,
) -> None:
    _on(recorded, fields_per_form=3, form_label_length=20)
    recorded.manager("mia")
    said = await recorded.command(SURVEY.format(_list(4, "Q")), by="mia", in_="managers")
    [reply] = said.told("mia")
    assert reply.startswith("A survey here has at most 3 questions") and "(got 4)" in reply
    said = await recorded.command(SURVEY.format("x" * 21), by="mia", in_="managers")
    assert "Question 1 is 21 characters; this platform's form labels hold 20" in said.told("mia")[0]
    assert said.public("survey") == []


async def test_a_poll_has_as_many_options_as_the_message_holds_buttons(
    recorded: Recorded,
) -> None:
    said = await recorded.command(POLL.format(_list(12, "Day")))
    [poll] = said.public("poll")
    assert len(poll.labels) == 12
    _on(recorded, buttons_per_message=4)
    [reply] = (await recorded.command(POLL.format(_list(5, "Day")))).told("you")
    assert reply.startswith("A poll needs 2 to 4 options separated by `|` (one button each")
    assert "you gave 5." in reply


async def test_an_option_fits_the_platforms_button_label_with_its_count(
    recorded: Recorded,
) -> None:
    _on(recorded, button_label_length=30)  # 23 characters and " · 9999"
    [reply] = (await recorded.command(POLL.format(f"Mon | {'x' * 24}"))).told("you")
    assert "Option 2 is 24 characters; the limit is 23." in reply
    said = await recorded.command(POLL.format(f"Mon | {'x' * 23}"))
    assert said.public("poll")[0].labels[1] == "x" * 23 + " · 0"  # the count still shows
