"""The digest as a stakeholder reads it: the headline's verdict, each section's lines with
their change on the week before, objectives' marks, and sensible words for an empty
community, a one-member community and a week without calendar posts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.capabilities import Dialect
from bot.core.markup import plain, render
from bot.core.messages import Image, Message
from bot.features.digest.figures import (
    ContentFigures,
    ContentTypeFigures,
    FeedbackFigures,
    Initiatives,
    InquiryFigures,
    MemberFigures,
    ObjectiveResult,
    PostFigures,
    Recommendation,
)
from bot.features.digest.render import render_digest
from bot.features.digest.weeks import Week
from tests.features.digest.hand_digests import (
    CONTENT,
    PREVIOUS_ACTIVITY,
    PREVIOUS_MEMBERS,
    WEDNESDAY,
    bare,
    full_week,
    no_posts_week,
    one_member_week,
)

FIELD_VALUE, FIELD_NAME, FIELDS = 1024, 256, 25  # Discord's embed field limits


def lines(message: Message) -> list[str]:
    """The digest as the console prints it, one line each."""
    return plain(message.plain_text()).splitlines()


def read(digest, **options) -> list[str]:
    return lines(render_digest(digest, **options))


def section(message: Message, title: str):
    [found] = [s for s in message.sections if s.title == title]
    return found


def test_the_headline_names_the_week_in_the_community_zone_and_gives_a_verdict() -> None:
    shown = read(full_week())
    assert shown[0] == "Weekly digest · 2026-W12 (Mon 16 – Sun 22 March, Europe/Berlin)"
    # 52 active against 40 the week before: +12, +30%
    assert shown[1] == "↑ Growing: 52 active members, +12 (+30%) on the week before"


@pytest.mark.parametrize(
    ("before", "verdict"),
    [
        (50, "→ Steady: 52 active members, +2 (+4%) on the week before"),  # within 5%
        (60, "↓ Shrinking: 52 active members, −8 (−13%) on the week before"),
        (0, "↑ Growing: 52 active members, +52 on the week before"),  # no % of nobody
    ],
)
def test_the_verdict_says_growing_steady_or_shrinking(before: int, verdict: str) -> None:
    digest = replace(full_week(), previous_members=replace(PREVIOUS_MEMBERS, active=before))
    assert read(digest)[1] == verdict


def test_the_verdict_counts_the_objectives_met() -> None:
    results = (
        ObjectiveResult(1, "Active", "weekly_active_members", 50, "at_least", 52, True),
        ObjectiveResult(2, "Fast", "median_first_response_minutes", 10, "at_most", 12, False),
        ObjectiveResult(3, "Turnout", "poll_turnout_pct", 30, "at_least", None, None),
    )
    shown = read(replace(full_week(), objectives=results))
    assert shown[1].endswith(" · objectives met 1 of 3 (1 with no data yet)")


def test_the_headline_of_a_week_across_months_and_years() -> None:
    assert read(bare(Week(2026, 14), members=MemberFigures(total=3)))[0] == (
        "Weekly digest · 2026-W14 (Mon 30 March – Sun 5 April, Europe/Berlin)"
    )
    assert read(bare(Week(2026, 1), members=MemberFigures(total=3), community="Café ☕"))[0] == (
        "Weekly digest · Café ☕ · 2026-W01 (Mon 29 December 2025 – Sun 4 January 2026, "
        "Europe/Berlin)"
    )


def test_a_week_with_the_switch_to_summer_time_keeps_its_local_dates() -> None:
    # 2026-W13: Berlin moves to summer time on Sunday 29 March; the week still ends Sunday
    assert (
        "(Mon 23 – Sun 29 March, Europe/Berlin)"
        in read(bare(Week(2026, 13), members=MemberFigures(total=3)))[0]
    )


def test_members_each_with_their_week_over_week_change() -> None:
    shown = read(full_week())
    start = shown.index("Members")
    assert shown[start + 1 : start + 9] == [
        "Total: 340 · +12 (+4%)",
        "New: 24 · −26 (−52%)",
        "Active: 52 · +12 (+30%)",
        "Communicators: 30 · ±0",
        "Returning: 3 · −1 (−25%)",
        "Lurking: 270 · +30 (+12%)",
        "New-member retention: 62% (31 of 50) · +2 pts",  # 12 of 20 (60%) the week before
        "4-week retention: 75% (45 of 60) · −5 pts",  # 40 of 50 (80%) the week before
    ]


def test_without_a_week_before_every_change_is_a_dash() -> None:
    digest = replace(
        full_week(),
        previous_members=MemberFigures(),
        previous_activity=replace(PREVIOUS_ACTIVITY, interactions=0),
    )
    shown = read(digest)
    assert shown[1] == "52 active members (no week before to compare)"
    assert "Active: 52 · –" in shown
    assert "New-member retention: 62% (31 of 50) · –" in shown
    assert "Messages: 420 · –" in shown


def test_activity_with_changes_top_channels_and_the_busiest_local_day_and_hour() -> None:
    shown = read(full_week())
    assert "Interactions: 720 · +30 (+4%)" in shown
    assert "Messages: 420 · −30 (−7%)" in shown
    assert "Replies: 150 · +50 (+50%)" in shown
    assert "Reactions: 140 · ±0" in shown
    assert "Votes: 10 · +10" in shown
    names = [name for name, _ in section(render_digest(full_week()), "Activity").fields]
    assert "Shares" not in names and "Entries" not in names  # 0 both weeks: left out
    assert "Busiest: Wednesday · 18:00–19:00 (Europe/Berlin)" in shown


def test_top_channels_are_mentions_on_their_own_platform_and_names_elsewhere() -> None:
    message = render_digest(full_week(), platform="discord")
    [channels] = [v for n, v in section(message, "Activity").fields if n == "Top channels"]
    assert render(channels, Dialect.DISCORD) == "<#111> · 480\n<#222> · 190\n#random · 50"
    everywhere = render_digest(full_week())  # the console: every platform's, labelled
    [channels] = [v for n, v in section(everywhere, "Activity").fields if n == "Top channels"]
    assert plain(channels).splitlines()[2] == "#random (Slack) · 50"


def test_top_contributors_with_what_they_did() -> None:
    message = render_digest(full_week())
    assert plain(section(message, "Top contributors").text).splitlines() == [
        "1. Alice · 42 (30 messages, 10 replies, 2 reactions)",
        "2. Bob · 1 (1 message)",
    ]


def test_content_per_type_with_the_best_and_worst_post() -> None:
    message = render_digest(full_week())
    content = dict(section(message, "Content").fields)
    assert content["All posts"] == "20 posts · 6.8 each"  # 136 over 20
    assert content["Video"] == "5 posts · 14.2 each"  # 71 over 5
    assert content["Article"] == "10 posts · 4.0 each"
    assert render(content["Best post"], Dialect.DISCORD) == (
        "[AMA recap](https://x.test/9001) (video, Wed 18, 31 reactions + replies)"
    )
    # no link (the platform could not make one) and no title
    assert content["Worst post"] == "“untitled” (article, Fri 20, 1 reaction + reply)"


def test_a_single_post_is_the_only_post() -> None:
    post = PostFigures("discord", "1", "2", "event", WEDNESDAY, "Meetup", 3, 1)
    one = ContentFigures(1, 4, (ContentTypeFigures("event", 1, 4),), best=post, worst=post)
    content = dict(section(render_digest(replace(full_week(), content=one)), "Content").fields)
    assert content["Only post"] == "“Meetup” (event, Wed 18, 4 reactions + replies)"
    assert "Best post" not in content and "Worst post" not in content


def test_a_week_without_calendar_posts_says_so() -> None:
    message = render_digest(no_posts_week())
    assert section(message, "Content").text == "No calendar posts this week."
    assert "nan" not in plain(message.plain_text())


def test_closed_polls_surveys_and_contests_in_short() -> None:
    message = render_digest(full_week())
    assert plain(section(message, "Polls, surveys & contests closed").text).splitlines() == [
        "Poll “Best AMA day?” · 34 voters (41% turnout) · Wed 18, Mon 10, Fri 6",
        "Poll “Pizza or pasta?” · 0 voters",
        "Survey “Onboarding survey” · 12 responses",
        "Contest “Logo contest” · 20 entries · Alice, Bob",
    ]
    nothing = render_digest(replace(full_week(), initiatives=Initiatives()))
    assert all(s.title != "Polls, surveys & contests closed" for s in nothing.sections)


def test_member_questions_with_response_times() -> None:
    shown = read(full_week())
    start = shown.index("Member questions")
    assert shown[start + 1 : start + 6] == [
        "Asked: 12",
        "Answered: 10 (83%)",
        "First response: median 12m · p90 1h 5m",
        "Answered first by: 7 members · 3 managers",
        "Open past the SLA: 2",
    ]
    quiet = read(replace(full_week(), inquiries=InquiryFigures()))
    assert quiet[quiet.index("Member questions") + 1] == "None asked this week."


def test_unanswered_questions_read_as_dashes_not_zero() -> None:
    waiting = InquiryFigures(asked=3, answered=0, overdue=3)
    shown = read(replace(full_week(), inquiries=waiting))
    assert "Answered: 0 (0%)" in shown
    assert "First response: median – · p90 –" in shown
    assert "Open past the SLA: 3" in shown


def test_feedback_with_sentiment_trend_and_themes() -> None:
    shown = read(full_week())
    start = shown.index("Feedback")
    assert shown[start + 1 : start + 5] == [
        "Received: 8 · +3 (+60%)",
        "Average sentiment: +0.32 (positive)",
        "Trend: ↑ +0.12 (from +0.20)",
        "Top themes: onboarding (3), docs (2)",
    ]
    alone = FeedbackFigures(count=1, average=-0.3)
    shown = read(replace(full_week(), feedback=alone))
    assert "Trend: no feedback the week before to compare" in shown
    assert "Top themes: none recurring yet" in shown
    none = read(replace(full_week(), feedback=FeedbackFigures(previous_count=2)))
    assert none[none.index("Feedback") + 1] == "None this week (2 entries the week before)."


def test_objectives_met_missed_or_without_data_with_their_trend() -> None:
    results = (
        ObjectiveResult(
            1, "Weekly active", "weekly_active_members", 50, "at_least", 52, True,
            (41, 44, 47, 52),
        ),
        ObjectiveResult(
            2, "Fast answers", "median_first_response_minutes", 10, "at_most", 12.5, False,
            (None, 15, None, 12.5),
        ),
        ObjectiveResult(3, "Turnout", "poll_turnout_pct", 30, "at_least", None, None),
    )  # fmt: skip
    fields = dict(
        section(render_digest(replace(full_week(), objectives=results)), "Objectives").fields
    )
    assert fields["Weekly active"] == "✅ met · 52 (target ≥ 50)\n41 → 44 → 47 → 52"
    # a week before any digest is left out of the trend; a week without data is a dash
    assert fields["Fast answers"] == "❌ missed · 12.5 min (target ≤ 10 min)\n15 min → – → 12.5 min"
    assert fields["Turnout"] == "no data yet (target ≥ 30%)"


def test_recommendations_each_with_the_figure_behind_it() -> None:
    advice = (
        Recommendation("Post more video.", "video posts drew 14.2 each, 2.1× the average"),
        Recommendation("Welcome newcomers.", "38 of 52 did not come back."),
    )
    message = render_digest(replace(full_week(), recommendations=advice))
    assert plain(section(message, "Recommendations").text).splitlines() == [
        "1. Post more video.",
        "    Why: video posts drew 14.2 each, 2.1× the average.",
        "2. Welcome newcomers.",
        "    Why: 38 of 52 did not come back.",
    ]


def test_an_empty_community_reads_no_data_yet() -> None:
    message = render_digest(bare())
    assert lines(message) == [
        "Weekly digest · 2026-W12 (Mon 16 – Sun 22 March, Europe/Berlin)",
        "No data yet: nobody has joined and nothing was posted this week. "
        "The digest fills in as members join and talk.",
        "Objectives",
        "None set yet: managers set them with `/objective set metric:… target:…`.",
    ]
    assert message.tag == "digest"


def test_a_one_member_community_reads_sensibly() -> None:
    message = render_digest(one_member_week())
    shown = lines(message)
    assert shown[1] == "1 active member (no week before to compare)"
    assert "New-member retention: no data yet (nobody joined the week before)" in shown
    assert "Top channels: #general · 1" in shown
    assert "Busiest: Tuesday · 09:00–10:00 (Europe/Berlin)" in shown
    assert section(message, "Content").text == "No calendar posts this week."
    assert section(message, "Member questions").text == "None asked this week."
    assert section(message, "Feedback").text == "None this week."
    assert [line for line in shown if "None" in line or "nan" in line] == [
        "None asked this week.",
        "None this week.",
        "None set yet: managers set them with `/objective set metric:… target:…`.",
        "None this week: no figure stood out enough.",
    ]


def test_no_section_is_blank() -> None:
    for digest in (bare(), one_member_week(), no_posts_week(), full_week()):
        for shown in render_digest(digest).sections:
            assert shown.title and (shown.text.strip() or shown.fields), shown
            assert all(name and value for name, value in shown.fields), shown


def test_fields_stay_within_discord_embed_limits() -> None:
    long = "Ü" * 300
    results = tuple(
        ObjectiveResult(n, long, "messages", 10, "at_least", 5, False, (1, 2, 3, 5))
        for n in range(40)
    )
    post = replace(CONTENT.best, title=long, link="https://x.test/" + "a" * 200)
    digest = replace(
        full_week(),
        objectives=results,
        content=replace(CONTENT, best=post, worst=post),
        feedback=replace(full_week().feedback, themes=tuple((long, 3) for _ in range(9))),
    )
    for shown in render_digest(digest, platform="discord").sections:
        # every objective is shown: the adapters' fitting spreads fields over embeds
        assert (
            len(shown.fields) == 40 if shown.title == "Objectives" else len(shown.fields) <= FIELDS
        )
        for name, value in shown.fields:
            assert len(render(name, Dialect.DISCORD)) <= FIELD_NAME
            assert len(render(value, Dialect.DISCORD)) <= FIELD_VALUE


def test_the_chart_goes_with_the_message() -> None:
    chart = Image("digest-2026-W12.png", b"\x89PNG", alt="chart")
    assert render_digest(full_week(), chart).image is chart
    assert render_digest(bare(), chart).image is chart
