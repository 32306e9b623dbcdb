"""Surveys on the console: create, respond in a form, edit, results, close (by time or command)."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.core.events import ButtonPressed, FormSubmitted
from bot.features.surveys.store import Survey, SurveyResponse
from bot.store.models import Interaction, Member
from tests.conftest import START, Community, make_settings, open_community

CREATE = (
    '/survey create title:"March meetup" '
    'questions:"How useful was it? (1-5) | What should we change?"'
)
AS_MANAGER = ":as mia manager\n:in managers"


def _answer(member: str, rating: str, text: str) -> str:
    return f":as {member}\n:in general\n:click 2 Respond\n{rating}\n{text}"


async def test_survey_with_a_rating_question(community: Community) -> None:
    out = await community.run(f"{AS_MANAGER}\n{CREATE}")
    assert "#2 [general] Steward [survey]: Survey #1: March meetup" in out
    assert "    1. How useful was it? (1-5)\n    2. What should we change?" in out
    assert "0 responses · one response each, editable until it closes" in out
    assert "[1: Respond]" in out
    assert "Steward → mia (private): Survey #1 is posted in #general." in out

    out = await community.run(_answer("bob", "5", "More hands-on workshops, the talks were great"))
    assert "── March meetup (for bob; answer each line, :cancel to stop)" in out
    assert "Steward → bob (private): Thank you! Your response to survey #1" in out
    assert "#2 (edited) [general] Steward [survey]: Survey #1: March meetup" in out
    assert "1 response · one response each" in out

    await community.run(_answer("eve", "2", "The room was too noisy and the sound was awful"))
    await community.run(_answer("sam", "5", "Start on time"))
    out = await community.run(":advance 1m")
    assert "3 responses · one response each" in out  # the coalesced edit of the live count

    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    results = out[out.index("Survey #1 results: March meetup") :]
    assert "Responses: 3" in results
    assert "Status: open" in results
    assert "== 1. How useful was it? (1-5) ==" in results
    assert "Average: 4.0 / 5 (3 answers)" in results
    assert "Distribution: 1: 0 · 2: 1 · 3: 0 · 4: 0 · 5: 2" in results
    assert "== 2. What should we change? ==" in results
    assert "[positive] More hands-on workshops, the talks were great" in results
    assert "[negative] The room was too noisy and the sound was awful" in results
    assert "[neutral] Start on time" in results
    assert "Sentiment: 1 positive · 1 neutral · 1 negative" in results
    assert "[file survey-1-responses.csv," in results
    assert (
        "    How useful was it? (1-5),What should we change?,What should we change? (sentiment)\n"
        '    5,"More hands-on workshops, the talks were great",positive\n'
        "    2,The room was too noisy and the sound was awful,negative\n"
        "    5,Start on time,neutral\n"
    ) in results
    for name in ("bob", "eve", "sam"):  # respondents stay private
        assert name not in results


async def test_many_answers_are_cut_in_the_message_but_all_in_the_csv(
    community: Community,
) -> None:
    await community.run(f'{AS_MANAGER}\n/survey create title:Ideas questions:"Your idea?"')
    for n in range(12):
        await community.run(f":as m{n}\n:in general\n:click 2 Respond\nIdea number {n}")
    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    assert "Responses: 12" in out
    assert "[neutral] Idea number 9" in out and "[neutral] Idea number 10" not in out
    assert "… and 2 more (all are in the CSV)" in out
    assert "    Idea number 11,neutral" in out


async def test_other_rating_ranges_are_checked(community: Community) -> None:
    await community.run(
        f'{AS_MANAGER}\n/survey create title:NPS questions:"Would you recommend us? (0-10)"'
    )
    out = await community.run(":as bob\n:in general\n:click 2 Respond\n11")
    assert "needs a whole number from 0 to 10 (got '11')" in out
    out = await community.run(":click 2 Respond\n0")
    assert "Thank you! Your response to survey #1" in out
    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    assert "Average: 0.0 / 10 (1 answer)" in out
    assert "Distribution: 0: 1 · 1: 0 · 2: 0" in out and "· 10: 0" in out


async def test_invalid_rating_is_refused_and_nothing_is_stored(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{CREATE}")
    for bad in ("seven", "6", "0", "4.5"):  # a modal (Discord, Slack) returns the whole form
        await community.app.handle(
            FormSubmitted(
                **community.adapter._base("general", "bob"),
                form_id="survey:1",
                values={"q1": bad, "q2": "fine"},
            )
        )
        out = community.new_output()
        assert (
            "Steward → bob (private): Question 1 (How useful was it? (1-5)) needs a whole "
            f"number from 1 to 5 (got '{bad}'). Your response was not saved; "
            "press Respond to answer again." in out
        )
        assert "(edited)" not in out
    assert _count(community, SurveyResponse) == 0
    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    assert "Responses: 0" in out and "Average: no answers" in out


async def test_responding_again_prefills_and_replaces(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{CREATE}")
    await community.run(_answer("bob", "4", "More workshops"))
    out = await community.run(":click 2 Respond")
    assert "1. How useful was it? (1-5) [4] (an empty line keeps it)" in out
    await community.adapter.feed("")  # keep the rating
    out = community.new_output()
    assert "2. What should we change? [More workshops] (an empty line keeps it)" in out
    out = await community.run("Shorter talks")
    assert "Steward → bob (private): Your response to survey #1 (March meetup) was updated." in out
    assert "(edited)" not in out  # the count did not change
    assert _count(community, SurveyResponse) == 1
    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    assert "Responses: 1" in out
    assert "Average: 4.0 / 5 (1 answer)" in out
    assert "Shorter talks" in out and "More workshops" not in out


async def test_survey_closes_at_its_time(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{CREATE} closes:1d")
    out = await community.run(_answer("bob", "4", "Good"))
    assert "closes Tue 2026-03-03 09:00 UTC" in out
    out = await community.run(":advance 23h")
    assert "is closed" not in out
    out = await community.run(":advance 1h")
    assert "1 response · closed" in out
    closed_post = community.adapter.shown[2].message
    assert closed_post.buttons == ()
    assert "[general] Steward [survey]: Survey #1 is closed: March meetup" in out
    assert "Thank you! 1 response." in out
    assert "How useful was it? (1-5): 4.0 / 5 (1 answer)" in out
    assert "— now Tue 2026-03-03 09:00 UTC" in out

    # A member whose client still shows the old button, and one who opened the form before.
    await _press_stale_respond(community, "eve")
    await _submit_late_form(community, "eve")
    out = community.new_output()
    assert out.count("Steward → eve (private): Survey #1 (March meetup) closed Tue 2026-03-03") == 2
    assert "it takes no more responses" in out
    assert _count(community, SurveyResponse) == 1


async def test_close_command(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{CREATE} closes:3d")
    out = await community.run("/survey close id:1")
    assert "#2 (edited) [general] Steward [survey]: Survey #1: March meetup" in out
    assert "0 responses · closed" in out
    assert "Survey #1 is closed: March meetup" in out
    assert "No responses." in out and "Thank you!" not in out  # nobody to thank
    assert "Steward → mia (private): Survey #1 is closed" in out
    out = await community.run("/survey close id:1")
    assert "Survey #1 is already closed (Mon 2026-03-02 09:00 UTC)." in out
    out = await community.run("/survey close id:7\n/survey results id:7")
    assert out.count("There is no survey #7.") == 2
    out = await community.run(":advance 4d")  # the job has nothing left to close
    assert "is closed" not in out
    out = await community.run("/survey results id:1")
    assert "Status: closed Mon 2026-03-02 09:00 UTC" in out


async def test_bad_create_input_is_refused_and_nothing_is_stored(community: Community) -> None:
    too_long = "x" * 46
    cases = [
        ('questions:"a | b | c | d | e | f"', "A survey has at most 5 questions (got 6)."),
        (f'questions:"{too_long}"', "Question 1 is 46 characters; the limit is 45"),
        ('questions:"a || b"', "Question 2 is empty"),
        (
            'questions:"Rate us (5-1)"',
            "Question 1: a rating range goes from low to high, like (1-5).",
        ),
        (
            'questions:"Rate us (1-100)"',
            "Question 1: the range (1-100) is too wide; use at most 11 steps, like (0-10).",
        ),
        ('questions:"Why? | why?"', "Question 2 repeats an earlier question."),
        ('questions:" | "', "`questions` needs at least one question."),
        (
            "questions:q closes:soon",
            "`closes` must be a duration like 2d or 12h, or a date and time like "
            "2026-12-01T18:00 or fri 17:00 (got 'soon').",
        ),
        (
            "questions:q closes:2026-03-01T10:00",
            "The closing time Sun 2026-03-01 10:00 UTC is not in the future "
            "(it is now Mon 2026-03-02 09:00 UTC).",
        ),
        ("questions:q channel:nowhere", "There is no channel #nowhere to post the survey in."),
    ]
    others = [
        ("/survey create questions:q", "`/survey create` needs `title`."),
        (f"/survey create title:{'t' * 101} questions:q", "`title` is 101 characters"),
    ]
    cases = [(f"/survey create title:T {rest}", error) for rest, error in cases] + others
    await community.run(AS_MANAGER)
    for line, error in cases:
        out = await community.run(line)
        assert "Steward → mia (private): " + error in out, (line, out)
        assert "Usage: /survey create title:<string> questions:<string>" in out
    out = await community.run(f":as bob\n{CREATE}\n:as mia manager\n:in general\n{CREATE}")
    assert "`/survey create` is for community managers." in out
    assert "`/survey create` works only in the managers' channel." in out
    assert "[survey]" not in out
    assert _count(community, Survey) == 0


async def test_survey_in_another_channel_and_zone(db_url: str) -> None:
    community = await open_community(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        out = await community.run(
            f"{AS_MANAGER}\n{CREATE} closes:2026-03-03T18:00 channel:#announcements"
        )
        assert "[announcements] Steward [survey]: Survey #1" in out
        assert "closes Tue 2026-03-03 18:00 CET" in out
        survey = community.app.store.call(lambda s: s.exec(select(Survey)).one())
        assert survey.closes_at == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
        out = await community.run(":advance 1d8h")
        assert "[announcements] Steward [survey]: Survey #1 is closed" in out
    finally:
        await community.app.stop()
        community.app.store.close()


async def test_creator_and_responses_are_recorded(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n:advance 1h\n{CREATE}")
    await community.run(_answer("bob", "3", "ok"))
    survey, creator, forms = community.app.store.call(_survey_creator_and_forms)
    assert creator == "mia"
    assert survey.created_at == START + timedelta(hours=1)
    assert forms == [("bob", "survey:1")]  # the response counts as engagement in the log


async def test_privacy_export_and_forget(community: Community) -> None:
    await community.run(f"{AS_MANAGER}\n{CREATE}")
    await community.run(_answer("bob", "5", "Great talks"))
    data = community.app.store.call(community.app.privacy.export, _member_id(community, "bob"))
    assert data["surveys"]["survey_responses"][0]["answers"] == {
        "How useful was it? (1-5)": "5",
        "What should we change?": "Great talks",
    }
    community.app.store.call(community.app.privacy.forget, _member_id(community, "bob"))
    out = await community.run(f"{AS_MANAGER}\n/survey results id:1")
    assert "Responses: 0" in out and "Great talks" not in out


# ---- helpers ----------------------------------------------------------------------------
async def _press_stale_respond(community: Community, name: str) -> None:
    adapter = community.adapter
    await community.app.handle(
        ButtonPressed(
            **adapter._base("general", name),
            message_id=adapter.message_id(2),
            action_id="survey:respond:1",
        )
    )


async def _submit_late_form(community: Community, name: str) -> None:
    await community.app.handle(
        FormSubmitted(
            **community.adapter._base("general", name),
            form_id="survey:1",
            values={"q1": "5", "q2": "late"},
        )
    )


def _count(community: Community, table) -> int:
    return community.app.store.call(lambda s: len(s.exec(select(table)).all()))


def _member_id(community: Community, name: str) -> int:
    return community.app.store.call(
        lambda s: s.exec(select(Member.id).where(Member.name == name)).one()
    )


def _survey_creator_and_forms(session):
    survey = session.exec(select(Survey)).one()
    creator = session.get(Member, survey.created_by).name
    forms = session.exec(
        select(Member.name, Interaction.detail)
        .join(Member, Member.id == Interaction.member_id)
        .where(Interaction.kind == "form")
    ).all()
    return survey, creator, [tuple(row) for row in forms]
