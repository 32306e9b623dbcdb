"""Slack's emoji names as the emoji Discord and the console give; custom names stay names."""

import pytest

from bot.text.emoji_names import _SLACK_NAMES, emoji_of


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("✅", "✅"),
        ("white_check_mark", "✅"),
        (":white_check_mark:", "✅"),
        (" :White_Check_Mark: ", "✅"),
        ("heavy_check_mark", "\u2714\ufe0f"),  # ✔️ fully qualified, as Discord sends it
        ("+1", "👍"),
        ("thumbsup", "👍"),
        ("-1", "👎"),
        ("tada", "🎉"),
        ("eyes", "👀"),
        ("raised_hands", "🙌"),
        ("pray", "🙏"),
        ("joy", "😂"),
        ("heart", "\u2764\ufe0f"),  # ❤️
        ("100", "💯"),
        ("no_entry_sign", "🚫"),
        ("x", "❌"),
        ("slightly_smiling_face", "🙂"),
    ],
)
def test_a_standard_name_or_the_emoji_itself_gives_the_emoji(written: str, expected: str):
    assert emoji_of(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("thumbsup::skin-tone-2", "👍\U0001f3fb"),
        (":+1::skin-tone-6:", "👍\U0001f3ff"),
        ("point_up::skin-tone-3", "\u261d\U0001f3fc"),  # the tone replaces ☝️'s selector
        ("man-raising-hand::skin-tone-4", "🙋\U0001f3fd\u200d\u2642\ufe0f"),
    ],
)
def test_a_skin_tone_follows_the_emoji_it_tones(written: str, expected: str):
    assert emoji_of(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("smiling_face_with_3_hearts", "🥰"),
        ("the_horns", "🤘"),
        ("spock-hand", "🖖"),
        ("face_palm", "🤦"),
        ("first_place_medal", "🥇"),
        ("large_green_circle", "🟢"),
        ("man-bowing", "🙇\u200d\u2642\ufe0f"),
        ("female-technologist", "👩\u200d💻"),
        ("man-woman-boy", "👨\u200d👩\u200d👦"),
        ("woman-heart-man", "👩\u200d\u2764\ufe0f\u200d👨"),
        ("flag-jp", "🇯🇵"),
    ],
)
def test_slacks_own_spellings_are_known(written: str, expected: str):
    assert emoji_of(written) == expected


def test_every_name_slack_spells_otherwise_has_its_emoji():
    unknown = [name for name in _SLACK_NAMES if emoji_of(name) == name]
    assert unknown == []


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("partyparrot", "partyparrot"),  # a workspace's custom emoji
        (":partyparrot:", "partyparrot"),
        ("simple_smile", "simple_smile"),  # Slack's own picture, no Unicode emoji
        ("thumbsup::skin-tone-9", "thumbsup::skin-tone-9"),
        ("x::skin-tone-2", "x::skin-tone-2"),  # ❌ takes no skin tone
        ("", ""),
        ("   ", ""),
    ],
)
def test_a_name_no_emoji_has_comes_back_bare(written: str, expected: str):
    assert emoji_of(written) == expected


def test_an_emoji_written_without_its_variation_selector_is_the_one_discord_sends():
    assert emoji_of("\u2714") == emoji_of("heavy_check_mark") == "\u2714\ufe0f"
