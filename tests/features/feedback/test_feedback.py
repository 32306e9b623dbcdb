"""`/feedback` and `/feedback-summary`, on the neutral messages."""

from sqlmodel import select

from bot.features.feedback.store import Feedback
from bot.store.models import Interaction, Member
from tests.recording import Posted, Recorded

THANKS = "Thank you for your feedback! It is stored for the community managers, who can read it."


async def _summary(recorded: Recorded, options: str = "") -> Posted:
    """mia, a manager, asks for the summary in the managers' channel; her one private reply."""
    recorded.manager("mia")
    [reply] = await recorded.command(f"/feedback-summary {options}", by="mia", in_="managers")
    assert reply.private_to == recorded.member("mia")
    return reply


async def test_feedback_is_stored_with_sentiment(recorded: Recorded) -> None:
    said = await recorded.command(
        '/feedback text:"I love the new onboarding guide, it is wonderful"', by="bob"
    )
    assert said.told("bob") == [THANKS] and said.public() == []
    rows = _feedback(recorded)
    assert len(rows) == 1
    name, text, polarity, subjectivity = rows[0]
    assert (name, text) == ("bob", "I love the new onboarding guide, it is wonderful")
    assert polarity > 0.5 and subjectivity > 0.5
    kinds = recorded.app.store.call(
        lambda s: s.exec(select(Interaction.kind, Interaction.detail)).all()
    )
    assert ("command", "feedback") in [tuple(k) for k in kinds]


async def test_feedback_without_the_option_name(recorded: Recorded) -> None:
    said = await recorded.command("/feedback the schedule is terrible")
    assert said.told("you") == [THANKS]
    assert _feedback(recorded)[0][2] < -0.5


async def test_words_after_feedback_are_feedback_even_summary(recorded: Recorded) -> None:
    """`/feedback` is a command, not a group: no word after it names another command."""
    recorded.manager("mia")
    said = await recorded.command("/feedback summary of the AMA was great", by="bob")
    said += await recorded.command("/feedback summary", by="mia", in_="managers")
    assert said.told("bob") == [THANKS] and said.told("mia") == [THANKS]
    assert [row[:2] for row in _feedback(recorded)] == [
        ("bob", "summary of the AMA was great"),
        ("mia", "summary"),
    ]


async def test_bad_feedback_is_refused_and_nothing_is_stored(recorded: Recorded) -> None:
    cases = {
        "/feedback": "`/feedback` needs `text`.",
        '/feedback text:"   "': "`text` cannot be empty.",
        f"/feedback text:{'a' * 2001}": "`text` is 2001 characters; the limit is 2000.",
        "/feedback text:fine mood:happy": "`/feedback` has no option `mood` (options: text).",
    }
    for line, error in cases.items():
        said = await recorded.command(line)
        assert said.told("you") == [f"{error}\nUsage: /feedback text:<string>"]
    assert _feedback(recorded) == []
    said = await recorded.command(f"/feedback text:{'a' * 2000}")
    assert said.told("you") == [THANKS]
    assert len(_feedback(recorded)) == 1


async def test_summary_with_trend_extremes_and_themes(recorded: Recorded) -> None:
    for by, text in (
        ("bob", "The event schedule is confusing and the bot is slow"),
        ("eve", "Terrible sound in the voice chat, really awful"),
    ):
        await recorded.command(f'/feedback text:"{text}"', by=by)
    await recorded.advance("7d")
    for by, text in (
        ("bob", "I love the new event schedule, it is so clear"),
        ("eve", "Great AMA with the founders, the voice chat was fun"),
        ("sam", "The voice chat was laggy during the AMA"),
    ):
        await recorded.command(f'/feedback text:"{text}"', by=by)
    summary = await _summary(recorded)
    assert (summary.text, summary.message.tag) == ("Feedback summary, last 7 days", "feedback")
    assert summary.fields == {
        "Entries": "3",
        "Average sentiment": "+0.27 (positive)",
        "Trend": "↑ +0.68 (from -0.42 over 2 entries in the 7 days before)",
        "Most positive": "“Great AMA with the founders, the voice chat was fun” (+0.55)",
        # no "Most negative": the lowest entry reads neutral (+0.00), not negative
        "Themes": "voice chat (2), ama (2)",
    }
    for name in ("bob", "eve", "sam"):
        assert name not in summary.plain

    summary = await _summary(recorded, "days:14")
    assert summary.text == "Feedback summary, last 14 days"
    assert summary.fields["Entries"] == "5"
    assert summary.fields["Trend"] == "no feedback in the 14 days before to compare"
    assert summary.fields["Most negative"] == (
        "“Terrible sound in the voice chat, really awful” (-0.53)"
    )
    assert summary.fields["Themes"] == "voice chat (3), event schedule (2), ama (2)"


async def test_summary_steady_single_and_empty(recorded: Recorded) -> None:
    await recorded.command('/feedback text:"The meetup is on Tuesday"')
    await recorded.advance("7d")
    await recorded.command('/feedback text:"The slides are on the wiki"')
    summary = await _summary(recorded)
    assert summary.fields["Entries"] == "1"
    assert summary.fields["Trend"] == "→ +0.00 (from +0.00 over 1 entry in the 7 days before)"
    assert summary.fields["Entry"] == "“The slides are on the wiki” (+0.00)"
    assert "Most positive" not in summary.fields  # one entry, no extremes
    assert "Most negative" not in summary.fields
    assert summary.fields["Themes"] == "none recurring yet"
    await recorded.advance("8d")
    empty = await _summary(recorded, "days:1")
    assert (empty.text, empty.message.tag) == ("No feedback in the last 1 day.", "feedback")


async def test_a_negative_entry_is_never_called_the_most_positive(recorded: Recorded) -> None:
    await recorded.command('/feedback text:"The bot is broken"')
    summary = await _summary(recorded)
    assert summary.fields["Entry"] == "“The bot is broken” (-0.40)"
    assert "Most positive" not in summary.fields

    await recorded.command('/feedback text:"This is terrible"', by="bob")
    summary = await _summary(recorded)
    assert summary.fields["Most negative"] == "“This is terrible” (-1.00)"
    assert "Most positive" not in summary.fields  # -0.40 is the least negative, not positive


async def test_summary_is_for_managers_in_their_channel(recorded: Recorded) -> None:
    said = await recorded.command("/feedback-summary")
    assert said.told("you")[0].startswith("`/feedback-summary` is for community managers.")
    recorded.manager("mia")
    said = await recorded.command("/feedback-summary", by="mia")
    assert said.told("mia")[0].startswith(
        "`/feedback-summary` works only in the managers' channel."
    )
    said = await recorded.command("/feedback-summary days:0", by="mia", in_="managers")
    said += await recorded.command("/feedback-summary days:x", by="mia", in_="managers")
    [low, unreadable] = said.told("mia")
    assert low.startswith("`days` must be at least 1.")
    assert unreadable.startswith("`days` must be a whole number (got 'x').")


async def test_long_entries_are_shortened_in_the_summary(recorded: Recorded) -> None:
    long_text = "The onboarding is great " + "and very detailed " * 20
    await recorded.command(f'/feedback text:"{long_text}"')
    entry = (await _summary(recorded)).fields["Entry"]
    assert "…”" in entry
    quote = entry[entry.index("“") + 1 : entry.index("”")]
    assert len(quote) <= 120 and quote.startswith("The onboarding is great and very")


async def test_privacy_export_and_forget(recorded: Recorded) -> None:
    await recorded.command('/feedback text:"More AMAs please"', by="bob")
    bob = recorded.app.store.call(
        lambda s: s.exec(select(Member.id).where(Member.name == "bob")).one()
    )
    data = recorded.app.store.call(recorded.app.privacy.export, bob)
    assert [e["text"] for e in data["feedback"]["entries"]] == ["More AMAs please"]
    assert len(_feedback(recorded)) == 1
    recorded.app.store.call(recorded.app.privacy.forget, bob)
    assert _feedback(recorded) == []


def _feedback(recorded: Recorded) -> list[tuple]:
    return recorded.app.store.call(
        lambda s: [
            tuple(row)
            for row in s.exec(
                select(Member.name, Feedback.text, Feedback.polarity, Feedback.subjectivity)
                .join(Member, Member.id == Feedback.member_id)
                .order_by(Feedback.id)
            ).all()
        ]
    )
