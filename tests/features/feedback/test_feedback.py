"""`/feedback` and `/feedback summary` on the console."""

from sqlmodel import select

from bot.features.feedback.store import Feedback
from bot.store.models import Interaction, Member
from tests.conftest import Community

AS_MANAGER = ":as mia manager\n:in managers"
THANKS = "Thank you for your feedback! It is stored for the community managers, who can read it."


async def test_feedback_is_stored_with_sentiment(community: Community) -> None:
    out = await community.run(
        ':as bob\n/feedback text:"I love the new onboarding guide, it is wonderful"'
    )
    assert f"Steward → bob (private): {THANKS}" in out
    rows = _feedback(community)
    assert len(rows) == 1
    name, text, polarity, subjectivity = rows[0]
    assert (name, text) == ("bob", "I love the new onboarding guide, it is wonderful")
    assert polarity > 0.5 and subjectivity > 0.5
    kinds = community.app.store.call(
        lambda s: s.exec(select(Interaction.kind, Interaction.detail)).all()
    )
    assert ("command", "feedback") in [tuple(k) for k in kinds]


async def test_feedback_without_the_option_name(community: Community) -> None:
    out = await community.run("/feedback the schedule is terrible")
    assert THANKS in out
    assert _feedback(community)[0][2] < -0.5


async def test_bad_feedback_is_refused_and_nothing_is_stored(community: Community) -> None:
    cases = {
        "/feedback": "`/feedback` needs `text`.",
        '/feedback text:"   "': "`text` cannot be empty.",
        f"/feedback text:{'a' * 2001}": "`text` is 2001 characters; the limit is 2000.",
        "/feedback text:fine mood:happy": "`/feedback` has no option `mood` (options: text).",
    }
    for line, error in cases.items():
        out = await community.run(line)
        assert f"Steward → you (private): {error}\n    Usage: /feedback text:<string>" in out
        assert THANKS not in out
    assert _feedback(community) == []
    out = await community.run(f"/feedback text:{'a' * 2000}")
    assert THANKS in out


async def test_summary_with_trend_extremes_and_themes(community: Community) -> None:
    await community.run(
        """
:as bob
/feedback text:"The event schedule is confusing and the bot is slow"
:as eve
/feedback text:"Terrible sound in the voice chat, really awful"
"""
    )
    await community.run(":advance 7d")
    await community.run(
        """
:as bob
/feedback text:"I love the new event schedule, it is so clear"
:as eve
/feedback text:"Great AMA with the founders, the voice chat was fun"
:as sam
/feedback text:"The voice chat was laggy during the AMA"
"""
    )
    out = await community.run(f"{AS_MANAGER}\n/feedback summary")
    summary = out[out.index("Feedback summary, last 7 days") :]
    assert "Entries: 3" in summary
    assert "Average sentiment: +0.27 (positive)" in summary
    assert "Trend: ↑ +0.68 (from -0.42 over 2 entries in the 7 days before)" in summary
    assert "Most positive: “Great AMA with the founders, the voice chat was fun” (+0.55)" in summary
    assert "Most negative" not in summary  # the lowest entry reads neutral (+0.00), not negative
    assert "Themes: voice chat (2), ama (2)" in summary
    for name in ("bob", "eve", "sam"):
        assert name not in summary

    out = await community.run("/feedback summary days:14")
    summary = out[out.index("Feedback summary, last 14 days") :]
    assert "Entries: 5" in summary
    assert "Trend: no feedback in the 14 days before to compare" in summary
    assert "Most negative: “Terrible sound in the voice chat, really awful” (-0.53)" in summary
    assert "Themes: voice chat (3), event schedule (2), ama (2)" in summary


async def test_summary_steady_single_and_empty(community: Community) -> None:
    await community.run('/feedback text:"The meetup is on Tuesday"\n:advance 7d')
    await community.run('/feedback text:"The slides are on the wiki"')
    out = await community.run(f"{AS_MANAGER}\n/feedback summary")
    assert "Entries: 1" in out
    assert "Trend: → +0.00 (from +0.00 over 1 entry in the 7 days before)" in out
    assert "Entry: “The slides are on the wiki” (+0.00)" in out
    assert "Most positive" not in out and "Most negative" not in out  # one entry, no extremes
    assert "Themes: none recurring yet" in out
    out = await community.run(":advance 8d\n/feedback summary days:1")
    assert "Steward → mia (private) [feedback]: No feedback in the last 1 day." in out


async def test_a_negative_entry_is_never_called_the_most_positive(community: Community) -> None:
    await community.run('/feedback text:"The bot is broken"')
    out = await community.run(f"{AS_MANAGER}\n/feedback summary")
    assert "Entry: “The bot is broken” (-0.40)" in out
    assert "Most positive" not in out

    await community.run(':as bob\n/feedback text:"This is terrible"')
    out = await community.run(f"{AS_MANAGER}\n/feedback summary")
    assert "Most negative: “This is terrible” (-1.00)" in out
    assert "Most positive" not in out  # -0.40 is the least negative, not positive


async def test_summary_is_for_managers_in_their_channel(community: Community) -> None:
    out = await community.run("/feedback summary")
    assert "`/feedback summary` is for community managers." in out
    out = await community.run(":as mia manager\n/feedback summary")
    assert "`/feedback summary` works only in the managers' channel." in out
    out = await community.run(":in managers\n/feedback summary days:0\n/feedback summary days:x")
    assert "`days` must be at least 1." in out
    assert "`days` must be a whole number (got 'x')." in out
    assert "Feedback summary" not in out and "No feedback" not in out


async def test_long_entries_are_shortened_in_the_summary(community: Community) -> None:
    long_text = "The onboarding is great " + "and very detailed " * 20
    await community.run(f'/feedback text:"{long_text}"')
    out = await community.run(f"{AS_MANAGER}\n/feedback summary")
    line = next(x for x in out.splitlines() if "Entry: " in x)
    assert "…”" in line
    quote = line[line.index("“") + 1 : line.index("”")]
    assert len(quote) <= 120 and quote.startswith("The onboarding is great and very")


async def test_privacy_export_and_forget(community: Community) -> None:
    await community.run(':as bob\n/feedback text:"More AMAs please"')
    bob = community.app.store.call(
        lambda s: s.exec(select(Member.id).where(Member.name == "bob")).one()
    )
    data = community.app.store.call(community.app.privacy.export, bob)
    assert [e["text"] for e in data["feedback"]["entries"]] == ["More AMAs please"]
    community.app.store.call(community.app.privacy.forget, bob)
    assert _feedback(community) == []


def _feedback(community: Community) -> list[tuple]:
    return community.app.store.call(
        lambda s: [
            tuple(row)
            for row in s.exec(
                select(Member.name, Feedback.text, Feedback.polarity, Feedback.subjectivity)
                .join(Member, Member.id == Feedback.member_id)
                .order_by(Feedback.id)
            ).all()
        ]
    )
