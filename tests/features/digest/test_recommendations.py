"""Recommendations from the week's figures: each quotes the figure behind it, appears only
with enough data and when the figure stands out, strongest first, three at most."""

from __future__ import annotations

from dataclasses import replace

from bot.features.digest.figures import (
    ActivityFigures,
    ContentFigures,
    ContentTypeFigures,
    InquiryFigures,
    MemberFigures,
    SlowChannel,
)
from bot.features.digest.recommendations import recommend
from tests.features.digest.hand_digests import (
    ACTIVITY,
    CONTENT,
    INQUIRIES,
    MEMBERS,
    bare,
    full_week,
    hours,
    one_member_week,
)

TIMING = (
    "Schedule next week's key posts on Wednesday around 18:00 (Europe/Berlin).",
    # 120 of 720 at 18:00 (17%), an average hour 720 / 24 = 30: 4.0×;
    # Wednesday 160 of 720 (22%), an average day 720 / 7 = 102.9: 1.6×
    "18:00–19:00 drew 17% of the week's 720 interactions, 4.0× an average hour; "
    "Wednesday drew 22%, 1.6× an average day",
)
SLOW = (
    "Have someone watch #help for questions: they wait longest there.",
    "median first response 40m in #help (6 questions), 3.3× the overall 12m",  # 40 / 12
)
CONTENT_TYPE = (
    "Post more video.",
    # 71 over 5 video posts = 14.2; 136 over 20 posts = 6.8; 14.2 / 6.8 = 2.09
    "video posts drew 14.2 reactions+replies each (5 posts), 2.1× the average of 6.8",
)


def pairs(digest) -> list[tuple[str, str]]:
    return [(r.text, r.because) for r in recommend(digest)]


def test_the_three_strongest_come_first_each_with_its_figure() -> None:
    # the lurkers (270 of 340, ratio 0.79) are the weakest of four and left out
    assert pairs(full_week()) == [TIMING, SLOW, CONTENT_TYPE]


def test_nothing_is_recommended_from_nothing() -> None:
    assert recommend(bare()) == ()
    assert recommend(one_member_week()) == ()


def test_the_best_time_needs_enough_interactions_and_a_peak() -> None:
    few = replace(ACTIVITY, by_hour=hours(18, 9, 2), by_day=(5, 5, 9, 5, 5, 5, 5))  # 39
    assert TIMING[0] not in [r.text for r in recommend(replace(full_week(), activity=few))]
    flat = replace(ACTIVITY, by_hour=(30,) * 24, by_day=(0,) * 6 + (720,))
    assert not any("key posts" in r.text for r in recommend(replace(full_week(), activity=flat)))


def test_the_best_time_names_the_day_only_when_it_stands_out() -> None:
    even_days = replace(ACTIVITY, by_day=(100, 100, 110, 100, 100, 110, 100))
    [timing, *_] = recommend(replace(full_week(), activity=even_days))
    assert timing.text == "Schedule next week's key posts around 18:00 (Europe/Berlin)."
    assert timing.because == (
        "18:00–19:00 drew 17% of the week's 720 interactions, 4.0× an average hour"
    )


def test_a_content_type_needs_three_posts_and_another_type_to_beat() -> None:
    two_videos = ContentFigures(
        12, 60, (ContentTypeFigures("video", 2, 40), ContentTypeFigures("article", 10, 20))
    )
    assert CONTENT_TYPE[0] not in texts(replace(full_week(), content=two_videos))
    alone = ContentFigures(5, 71, (ContentTypeFigures("video", 5, 71),))
    assert not any("Post more" in t for t in texts(replace(full_week(), content=alone)))
    assert not any("Post more" in t for t in texts(replace(full_week(), content=ContentFigures())))


def test_a_content_type_close_to_the_average_is_not_recommended() -> None:
    close = replace(
        CONTENT,
        types=(ContentTypeFigures("video", 5, 40), ContentTypeFigures("article", 15, 96)),
    )  # 8.0 against 6.8: 1.2×
    assert not any("Post more" in t for t in texts(replace(full_week(), content=close)))


def test_the_slowest_channel_needs_three_questions_there_and_a_second_channel() -> None:
    few = replace(
        INQUIRIES, channels=(SlowChannel("222", "help", 2, 2400.0), *INQUIRIES.channels[1:])
    )
    assert SLOW[0] not in texts(replace(full_week(), inquiries=few))
    one = replace(INQUIRIES, channels=INQUIRIES.channels[:1])
    assert SLOW[0] not in texts(replace(full_week(), inquiries=one))
    unanswered = InquiryFigures(asked=6, channels=INQUIRIES.channels)  # no overall median
    assert SLOW[0] not in texts(replace(full_week(), inquiries=unanswered))


def test_newcomers_who_did_not_come_back_are_worth_a_welcome_thread() -> None:
    quiet = replace(MEMBERS, retention_cohort=52, retained=14)  # 38 of 52 (73%) silent
    found = dict(pairs(bare(members=quiet)))
    welcome = (
        "Post a welcome thread for last week's newcomers: ask them to introduce themselves "
        "or say what brought them."
    )
    assert (
        found[welcome]
        == "38 of the 52 members who joined the week before were not active this week"
    )


def test_lurkers_are_named_when_no_newcomer_segment_stands_out() -> None:
    only = replace(
        full_week(),
        activity=ActivityFigures(),
        content=ContentFigures(),
        inquiries=InquiryFigures(),
    )
    assert pairs(only) == [
        (
            "Give quiet members an easy way in: a one-click poll or a "
            "“what are you working on?” thread.",
            "270 of 340 members were not active this week",
        )
    ]


def test_a_small_or_mostly_active_segment_is_not_recommended() -> None:
    small = MemberFigures(total=6, active=2, lurking=4, retention_cohort=4, retained=0)
    assert recommend(bare(members=small)) == ()
    busy = MemberFigures(total=100, active=80, lurking=20, retention_cohort=20, retained=15)
    assert recommend(bare(members=busy)) == ()


def texts(digest) -> list[str]:
    return [r.text for r in recommend(digest)]
