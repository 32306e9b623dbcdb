"""Surveys: create, respond in a form, edit, results, close (by time or command)."""

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.core.events import FormSubmitted
from bot.features.surveys.store import Survey, SurveyResponse
from bot.store.models import Interaction, Member
from tests.conftest import START, make_settings, open_recorded
from tests.recording import Posted, Recorded, Said

CREATE = (
    '/survey create title:"March meetup" '
    'questions:"How useful was it? (1-5) | What should we change?"'
)


async def _create(recorded: Recorded, line: str = CREATE) -> tuple[Posted, Said]:
    """mia, a manager, creates a survey in the managers' channel; its post and all said."""
    recorded.manager("mia")
    said = await recorded.command(line, by="mia", in_="managers")
    [survey] = said.public("survey")
    return survey, said


async def _respond(recorded: Recorded, survey: Posted, member: str, *answers: str) -> Said:
    """`member` presses Respond on the survey post and submits the form."""
    assert await recorded.click(survey, "Respond", by=member) == []  # a form, nothing posted
    return await recorded.submit(*answers, by=member)


async def _results(recorded: Recorded, survey_id: int = 1) -> Posted:
    said = await recorded.command(f"/survey results id:{survey_id}", by="mia", in_="managers")
    [reply] = said
    assert reply.private_to == recorded.member("mia")
    return reply


async def test_survey_with_a_rating_question(recorded: Recorded) -> None:
    survey, said = await _create(recorded)
    assert (survey.channel.name, survey.text) == ("general", "Survey #1: March meetup")
    assert "1. How useful was it? (1-5)\n2. What should we change?" in survey.plain
    assert "0 responses · one response each, editable until it closes" in survey.plain
    assert survey.labels == ["Respond"]
    assert said.told("mia")[0].startswith("Survey #1 is posted in #general.")

    said = await _respond(
        recorded, survey, "bob", "5", "More hands-on workshops, the talks were great"
    )
    form = recorded.form_for("bob").form
    assert form.title == "March meetup"
    assert [f.label for f in form.fields] == ["How useful was it? (1-5)", "What should we change?"]
    assert said.told("bob")[0].startswith("Thank you! Your response to survey #1")
    assert survey.edits == 1 and "1 response · one response each" in survey.plain

    await _respond(recorded, survey, "eve", "2", "The room was too noisy and the sound was awful")
    await _respond(recorded, survey, "sam", "5", "Start on time")
    await recorded.advance("1m")
    assert "3 responses · one response each" in survey.plain  # the coalesced live count

    results = await _results(recorded)
    assert results.text == "Survey #1 results: March meetup"
    assert (results.fields["Responses"], results.fields["Status"]) == ("3", "open")
    rating = results.section("1. How useful was it? (1-5)")
    assert dict(rating.fields) == {
        "Average": "4.0 / 5 (3 answers)",
        "Distribution": "1: 0 · 2: 1 · 3: 0 · 4: 0 · 5: 2",
    }
    change = results.section("2. What should we change?")
    assert change.text.splitlines() == [
        "[positive] More hands-on workshops, the talks were great",
        "[negative] The room was too noisy and the sound was awful",
        "[neutral] Start on time",
    ]
    assert dict(change.fields) == {"Sentiment": "1 positive · 1 neutral · 1 negative"}
    csv = results.message.file
    assert csv is not None and csv.filename == "survey-1-responses.csv"
    assert csv.data.decode() == (
        "How useful was it? (1-5),What should we change?,What should we change? (sentiment)\n"
        '5,"More hands-on workshops, the talks were great",positive\n'
        "2,The room was too noisy and the sound was awful,negative\n"
        "5,Start on time,neutral\n"
    )
    shown = results.plain + csv.data.decode()
    for name in ("bob", "eve", "sam"):  # respondents stay private
        assert name not in shown and recorded.member(name).user_id not in shown


async def test_many_answers_are_cut_in_the_message_but_all_in_the_csv(
    recorded: Recorded,
) -> None:
    survey, _ = await _create(recorded, '/survey create title:Ideas questions:"Your idea?"')
    for n in range(12):
        await _respond(recorded, survey, f"m{n}", f"Idea number {n}")
    results = await _results(recorded)
    assert results.fields["Responses"] == "12"
    ideas = results.section("1. Your idea?").text
    assert "[neutral] Idea number 9" in ideas and "Idea number 10" not in ideas
    assert "… and 2 more (all are in the CSV)" in ideas
    assert results.message.file is not None
    assert "Idea number 11,neutral" in results.message.file.data.decode()


async def test_other_rating_ranges_are_checked(recorded: Recorded) -> None:
    survey, _ = await _create(
        recorded, '/survey create title:NPS questions:"Would you recommend us? (0-10)"'
    )
    said = await _respond(recorded, survey, "bob", "11")
    [question] = recorded.form_for("bob").form.fields
    assert (question.min_value, question.max_value) == (0, 10)  # what a platform's form enforces
    assert "needs a whole number from 0 to 10 (got '11')" in said.told("bob")[0]
    said = await _respond(recorded, survey, "bob", "0")
    assert said.told("bob")[0].startswith("Thank you! Your response to survey #1")
    rating = (await _results(recorded)).section("1. Would you recommend us? (0-10)")
    assert dict(rating.fields)["Average"] == "0.0 / 10 (1 answer)"
    distribution = dict(rating.fields)["Distribution"]
    assert distribution.startswith("0: 1 · 1: 0 · 2: 0") and distribution.endswith("· 10: 0")


async def test_invalid_rating_is_refused_and_nothing_is_stored(recorded: Recorded) -> None:
    survey, _ = await _create(recorded)
    for bad in ("seven", "6", "0", "4.5"):  # a modal (Discord, Slack) returns the whole form
        said = await _respond(recorded, survey, "bob", bad, "fine")
        assert said.told("bob") == [
            "Question 1 (How useful was it? (1-5)) needs a whole "
            f"number from 1 to 5 (got '{bad}'). Your response was not saved; "
            "press Respond to answer again."
        ]
        assert said.public() == []
    assert survey.edits == 0
    assert _count(recorded, SurveyResponse) == 0
    results = await _results(recorded)
    assert results.fields["Responses"] == "0"
    assert dict(results.section("1. How useful was it? (1-5)").fields)["Average"] == "no answers"


async def test_responding_again_prefills_and_replaces(recorded: Recorded) -> None:
    survey, _ = await _create(recorded)
    await _respond(recorded, survey, "bob", "4", "More workshops")
    await recorded.advance("1m")
    edits = survey.edits
    await recorded.click(survey, "Respond", by="bob")
    form = recorded.form_for("bob").form
    assert [f.default for f in form.fields] == ["4", "More workshops"]
    said = await recorded.submit("4", "Shorter talks", by="bob")
    assert said.told("bob") == ["Your response to survey #1 (March meetup) was updated."]
    await recorded.advance("1m")
    assert survey.edits == edits  # the count did not change
    assert _count(recorded, SurveyResponse) == 1
    results = await _results(recorded)
    assert results.fields["Responses"] == "1"
    assert dict(results.section("1. How useful was it? (1-5)").fields)["Average"] == (
        "4.0 / 5 (1 answer)"
    )
    assert "Shorter talks" in results.plain and "More workshops" not in results.plain


async def test_survey_closes_at_its_time(recorded: Recorded) -> None:
    survey, _ = await _create(recorded, f"{CREATE} closes:1d")
    assert "closes Tue 2026-03-03 09:00 UTC" in survey.plain
    await _respond(recorded, survey, "bob", "4", "Good")
    assert [p for p in await recorded.advance("23h") if "is closed" in p.text] == []
    said = await recorded.advance("1h")
    assert "1 response · closed" in survey.plain
    assert survey.labels == []
    [closed] = said.public("survey")
    assert (closed.channel.name, closed.text) == ("general", "Survey #1 is closed: March meetup")
    assert "Thank you! 1 response." in closed.plain
    assert "How useful was it? (1-5): 4.0 / 5 (1 answer)" in closed.plain
    assert recorded.clock.now() == START + timedelta(days=1)

    # A member whose client still shows the old button, and one who opened the form before.
    said = await recorded.press(survey, "survey:respond:1", by="eve")
    said += await _submit_late_form(recorded, "eve")
    told = said.told("eve")
    assert len(told) == 2
    assert all(t.startswith("Survey #1 (March meetup) closed Tue 2026-03-03") for t in told)
    assert all("it takes no more responses" in t for t in told)
    assert _count(recorded, SurveyResponse) == 1


async def test_close_command(recorded: Recorded) -> None:
    survey, _ = await _create(recorded, f"{CREATE} closes:3d")
    said = await recorded.command("/survey close id:1", by="mia", in_="managers")
    assert survey.text == "Survey #1: March meetup" and "0 responses · closed" in survey.plain
    [closed] = said.public("survey")
    assert closed.text == "Survey #1 is closed: March meetup"
    assert "No responses." in closed.plain and "Thank you!" not in closed.plain  # nobody to thank
    assert said.told("mia")[0].startswith("Survey #1 is closed")
    said = await recorded.command("/survey close id:1", by="mia", in_="managers")
    assert said.told("mia") == ["Survey #1 is already closed (Mon 2026-03-02 09:00 UTC)."]
    for line in ("/survey close id:7", "/survey results id:7"):
        said = await recorded.command(line, by="mia", in_="managers")
        assert said.told("mia") == ["There is no survey #7."]
    said = await recorded.advance("4d")  # the job has nothing left to close
    assert said == []
    results = await _results(recorded)
    assert results.fields["Status"] == "closed Mon 2026-03-02 09:00 UTC"


async def test_bad_create_input_is_refused_and_nothing_is_stored(recorded: Recorded) -> None:
    too_long = "x" * 46
    cases = [
        (
            'questions:"a | b | c | d | e | f"',
            "A survey here has at most 5 questions, as many as this platform's form holds (got 6).",
        ),
        (
            f'questions:"{too_long}"',
            "Question 1 is 46 characters; this platform's form labels hold 45",
        ),
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
        ("questions:q channel:nowhere", "`channel`: there is no channel #nowhere. Channels: #"),
    ]
    others = [
        ("/survey create questions:q", "`/survey create` needs `title`."),
        (f"/survey create title:{'t' * 101} questions:q", "`title` is 101 characters"),
    ]
    cases = [(f"/survey create title:T {rest}", error) for rest, error in cases] + others
    recorded.manager("mia")
    for line, error in cases:
        [reply] = await recorded.command(line, by="mia", in_="managers")
        assert reply.private_to == recorded.member("mia")
        assert reply.text.startswith(error), (line, reply.text)
        assert "Usage: /survey create title:<string> questions:<string>" in reply.text
    [member] = await recorded.command(CREATE, by="bob", in_="managers")
    assert member.text.startswith("`/survey create` is for community managers.")
    [elsewhere] = await recorded.command(CREATE, by="mia", in_="general")
    assert elsewhere.text.startswith("`/survey create` works only in the managers' channel.")
    assert recorded.public() == []
    assert _count(recorded, Survey) == 0


async def test_survey_in_another_channel_and_zone(db_url: str) -> None:
    recorded = await open_recorded(make_settings(db_url, timezone="Europe/Berlin"))
    try:
        survey, _ = await _create(
            recorded, f"{CREATE} closes:2026-03-03T18:00 channel:#announcements"
        )
        assert survey.channel.name == "announcements" and survey.text.startswith("Survey #1")
        assert "closes Tue 2026-03-03 18:00 CET" in survey.plain
        stored = recorded.app.store.call(lambda s: s.exec(select(Survey)).one())
        assert stored.closes_at == datetime(2026, 3, 3, 17, 0, tzinfo=UTC)
        [closed] = (await recorded.advance("1d8h")).public("survey")
        assert closed.channel.name == "announcements"
        assert closed.text.startswith("Survey #1 is closed")
    finally:
        await recorded.app.stop()
        recorded.app.store.close()


async def test_creator_and_responses_are_recorded(recorded: Recorded) -> None:
    await recorded.advance("1h")
    survey, _ = await _create(recorded)
    await _respond(recorded, survey, "bob", "3", "ok")
    stored, creator, forms = recorded.app.store.call(_survey_creator_and_forms)
    assert creator == "mia"
    assert stored.created_at == START + timedelta(hours=1)
    assert forms == [("bob", "survey:1")]  # the response counts as engagement in the log


async def test_privacy_export_and_forget(recorded: Recorded) -> None:
    survey, _ = await _create(recorded)
    await _respond(recorded, survey, "bob", "5", "Great talks")
    data = recorded.app.store.call(recorded.app.privacy.export, _member_id(recorded, "bob"))
    assert data["surveys"]["survey_responses"][0]["answers"] == {
        "How useful was it? (1-5)": "5",
        "What should we change?": "Great talks",
    }
    assert "Great talks" in (await _results(recorded)).plain
    recorded.app.store.call(recorded.app.privacy.forget, _member_id(recorded, "bob"))
    results = await _results(recorded)
    assert results.fields["Responses"] == "0" and "Great talks" not in results.plain


# ---- helpers ----------------------------------------------------------------------------
async def _submit_late_form(recorded: Recorded, name: str) -> Said:
    """A form opened before the survey closed, submitted after (no Respond press now)."""
    return await recorded.feed(
        FormSubmitted(
            event_id=recorded.adapter.new_id("E"),
            member=recorded.member(name),
            channel=recorded.channel("general"),
            at=recorded.clock.now(),
            form_id="survey:1",
            values={"q1": "5", "q2": "late"},
        )
    )


def _count(recorded: Recorded, table) -> int:
    return recorded.app.store.call(lambda s: len(s.exec(select(table)).all()))


def _member_id(recorded: Recorded, name: str) -> int:
    return recorded.app.store.call(
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
