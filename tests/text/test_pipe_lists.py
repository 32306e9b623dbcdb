"""Bar lists as members write them, shared by polls, surveys and calendar polls."""

from bot.text.pipe_lists import split_list
from tests.conftest import Community


def test_items_are_trimmed_and_quoted_bars_kept() -> None:
    assert split_list(" Mon |Wed|  Fri ") == ("Mon", "Wed", "Fri")
    assert split_list('"Rock | Pop" | Jazz') == ("Rock | Pop", "Jazz")
    assert split_list('5" screen | 7" screen') == ('5" screen', '7" screen')
    assert split_list("a || b |") == ("a", "", "b", "")


async def test_a_survey_question_may_hold_a_quoted_bar(community: Community) -> None:
    out = await community.run(
        ":as mia manager\n:in managers\n"
        "/survey create title:Food questions:'\"Pizza | pasta?\" | Rate lunch (1-5)'"
    )
    assert "Pizza | pasta?" in out
    assert "Rate lunch (1-5)" in out
