"""A survey on Slack, over HTTP and Socket Mode: the post's Respond button opens a modal on
the click's trigger id; a submitted modal is stored and answered in the modal itself, and a
bad answer is refused there with nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlmodel import select

from bot.features.surveys.store import SurveyResponse
from tests.adapters import running
from tests.adapters.slack.harness import (
    Workspace,
    answered,
    ask,
    bot_posts,
    buttons,
    deliver,
    shown_text,
    steward,
    wait_for,
)
from tests.fakes.slack_blocks import view_errors

CREATE = 'create title:"Event feedback" questions:"Rate it (1-5) | What should change?"'


def ack_body(answer: Any) -> dict:
    """What Steward acknowledged with: the HTTP response's JSON or the Socket Mode payload."""
    body = answer.get("payload") if isinstance(answer, dict) else answer.json
    return body or {}


def button(post: dict, label: str) -> dict:
    """The button element labelled `label` in a posted message."""
    for block in post.get("blocks") or []:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element["text"]["text"] == label:
                return element
    raise AssertionError(f"no button {label!r} in {buttons(post)}")


def responses(run: running.Running) -> list[list[str]]:
    with run.app.store.session() as session:
        return [response.answers for response in session.exec(select(SurveyResponse))]


async def open_survey(run: running.Running, space: Workspace) -> dict:
    """alice posts the survey from the managers' channel; bob presses Respond: the modal."""
    fake, general = space.fake, space.channel("general")
    created = await ask(run, space, "alice", "managers", "/survey", CREATE)
    await answered(fake, created, "Survey #1 is posted in #general")
    [post] = await wait_for(lambda: bot_posts(fake, general))
    assert "Event feedback" in shown_text(post)
    respond = button(post, "Respond")
    click = fake.block_actions(
        user_id=space.person("bob"), channel_id=general, message_ts=post["ts"],
        action_id=respond["action_id"],
    )  # fmt: skip
    await deliver(run, fake, click, "interactive")
    [opened] = fake.views
    assert opened["trigger_id"] == click["trigger_id"]
    return opened["view"]


async def test_respond_opens_a_modal_and_a_submission_is_stored(
    space: Workspace, any_config: Path
) -> None:
    fake, bob = space.fake, space.person("bob")
    async with steward(any_config) as run:
        view = await open_survey(run, space)
        inputs = [block for block in view["blocks"] if block["type"] == "input"]
        assert [block["label"]["text"] for block in inputs] == [
            "Rate it (1-5)",
            "What should change?",
        ]
        assert 0 < len(view["title"]["text"]) <= 24
        values = {inputs[0]["block_id"]: "4", inputs[1]["block_id"]: "More pizza"}
        submitted = fake.view_submission(
            user_id=bob, callback_id=view["callback_id"], values=values
        )
        answer = ack_body(await deliver(run, fake, submitted, "interactive"))
        assert answer["response_action"] == "update"
        assert view_errors(answer["view"]) == []
        assert "Your response to survey #1 (Event feedback) is saved" in shown_text(answer["view"])
        assert responses(run) == [["4", "More pizza"]]
        results = await ask(run, space, "alice", "managers", "/survey", "results id:1")
        [shown] = await answered(fake, results, "More pizza")
        counted = await wait_for(
            lambda: "1 response" in shown_text(bot_posts(fake, space.channel("general"))[0])
        )
    assert counted
    assert "Responses" in shown and "1" in shown


async def test_an_answer_out_of_range_is_refused_over_the_form_then_taken_corrected(
    space: Workspace, any_config: Path
) -> None:
    fake = space.fake
    async with steward(any_config) as run:
        view = await open_survey(run, space)
        values = {"q1": "9", "q2": "Nothing"}
        submitted = fake.view_submission(
            user_id=space.person("bob"), callback_id=view["callback_id"], values=values
        )
        answer = ack_body(await deliver(run, fake, submitted, "interactive"))
        assert answer["response_action"] == "push"  # over the form: "Back" keeps the answers
        assert answer["view"]["close"]["text"] == "Back"
        said = shown_text(answer["view"])
        assert "Question 1 (Rate it (1-5)) needs a whole number from 1 to 5 (got '9')" in said
        assert "Your response was not saved" in said
        assert responses(run) == []
        values["q1"] = "4"  # Back to the form, the rating corrected, submitted again
        again = fake.view_submission(
            user_id=space.person("bob"), callback_id=view["callback_id"], values=values
        )
        answer = ack_body(await deliver(run, fake, again, "interactive"))
        assert answer["response_action"] == "update"
        assert responses(run) == [["4", "Nothing"]]
        general = space.channel("general")
        await wait_for(lambda: "1 response" in shown_text(bot_posts(fake, general)[0]))
    assert fake.ephemerals == []  # both answers were in the form itself
