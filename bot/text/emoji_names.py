"""Emoji by name: Slack's reaction names (`white_check_mark`, `+1`, `thumbsup::skin-tone-2`)
as the emoji itself ("✅", "👍", "👍🏻"), the form Discord and the console give, so the core
compares one form. A name no emoji has (a workspace's custom `partyparrot`) stays a name."""

from __future__ import annotations

import re
from functools import lru_cache

import emoji

# Slack's names (iamcal/emoji-data's short names) that the emoji package spells otherwise
_SLACK_NAMES = {
    "smiling_face_with_3_hearts": "smiling_face_with_hearts",
    "grinning_face_with_star_eyes": "star-struck",
    "grinning_face_with_one_large_and_one_small_eye": "zany_face",
    "shocked_face_with_exploding_head": "exploding_head",
    "serious_face_with_symbols_covering_mouth": "face_with_symbols_on_mouth",
    "smiling_face_with_smiling_eyes_and_hand_covering_mouth": "face_with_hand_over_mouth",
    "face_with_finger_covering_closed_lips": "shushing_face",
    "face_with_open_mouth_vomiting": "face_vomiting",
    "face_with_cowboy_hat": "cowboy_hat_face",
    "the_horns": "sign_of_the_horns",
    "hand_with_index_and_middle_fingers_crossed": "crossed_fingers",
    "spock-hand": "vulcan_salute",
    "i_love_you_hand_sign": "love-you_gesture",
    "face_palm": "person_facepalming",
    "person_doing_cartwheel": "person_cartwheeling",
    "person_with_headscarf": "woman_with_headscarf",
    "bald_person": "person_bald",
    "mother_christmas": "Mrs._Claus",
    "male-doctor": "man_health_worker",
    "female-doctor": "woman_health_worker",
    "first_place_medal": "1st_place_medal",
    "second_place_medal": "2nd_place_medal",
    "third_place_medal": "3rd_place_medal",
    "medal": "military_medal",
    "mostly_sunny": "sun_behind_small_cloud",
    "barely_sunny": "sun_behind_large_cloud",
    "partly_sunny_rain": "sun_behind_rain_cloud",
    "rain_cloud": "cloud_with_rain",
    "snow_cloud": "cloud_with_snow",
    "lightning": "cloud_with_lightning",
    "knife_fork_plate": "fork_and_knife_with_plate",
    "staff_of_aesculapius": "medical_symbol",
    "eject": "eject_button",
    "keycap_star": "keycap_*",
    "flag-england": "England",
    "flag-scotland": "Scotland",
    "flag-wales": "Wales",
    "man-with-bunny-ears-partying": "men_with_bunny_ears",
    "woman-with-bunny-ears-partying": "women_with_bunny_ears",
}
_SKIN_TONES = {str(n): chr(0x1F3FB + n - 2) for n in range(2, 7)}  # skin-tone-2 … skin-tone-6
_VARIATION = "\ufe0f"
_FLAG = re.compile(r"flag-([a-z]{2})")
_PEOPLE = {"man", "woman", "boy", "girl"}


@lru_cache(maxsize=1024)  # a workspace reacts with a few names, over and over
def emoji_of(name_or_emoji: str) -> str:
    """The emoji `name_or_emoji` names ("✅" for "white_check_mark", ":white_check_mark:" or
    "✅" itself; "👍🏻" for "thumbsup::skin-tone-2"); a name no emoji has comes back bare,
    without its colons; blank stays blank."""
    text = name_or_emoji.strip()
    if not text:
        return ""
    if emoji.purely_emoji(text):
        return emoji.emojize(emoji.demojize(text))  # fully qualified, as Discord sends it
    name = text.strip(":")
    base, *tones = name.split("::")
    found = _named(base.lower())
    if found is None:
        return name
    for tone in tones:
        toned = _toned(found, tone.lower())
        if toned is None:
            return name
        found = toned
    return found


def _named(name: str) -> str | None:
    """The emoji of one name (no skin tone), or None."""
    for candidate in _candidates(name):
        found = emoji.emojize(f":{candidate}:", language="alias")
        if emoji.purely_emoji(found):
            return found
    flag = _FLAG.fullmatch(name)
    if flag is not None:  # flag-jp: the two regional indicator letters
        letters = "".join(chr(0x1F1E6 + ord(c) - ord("a")) for c in flag.group(1))
        return letters if emoji.is_emoji(letters) else None
    return None


def _candidates(name: str) -> list[str]:
    """The emoji package's names `name` may be: Slack's spelling mapped, `man-bowing` as
    `man_bowing`, `male-`/`female-` as `man_`/`woman_`, `large_green_circle` as
    `green_circle`, families (`man-woman-boy`) and couples (`woman-heart-man`)."""
    found = [_SLACK_NAMES.get(name, name), name.replace("-", "_")]
    words = name.replace("_", "-").split("-")
    if words[0] in ("male", "female") and len(words) > 1:
        found.append("_".join(["man" if words[0] == "male" else "woman", *words[1:]]))
    if name.startswith("large_"):
        found.append(name.removeprefix("large_"))
    if len(words) > 1 and set(words) <= _PEOPLE:
        found.append("family_" + "_".join(words))
    if len(words) == 3 and words[1] in ("heart", "kiss") and {words[0], words[2]} <= _PEOPLE:
        pair = f"{words[0]}_{words[2]}"
        found.append(f"couple_with_heart_{pair}" if words[1] == "heart" else f"kiss_{pair}")
    return found


def _toned(found: str, tone: str) -> str | None:
    """`found` in a skin tone (`skin-tone-2` … `skin-tone-6`): the modifier follows its first
    character, in place of a variation selector; None when the emoji takes no tone."""
    number = tone.removeprefix("skin-tone-")
    if number not in _SKIN_TONES:
        return None
    rest = found[1:].removeprefix(_VARIATION)
    toned = found[0] + _SKIN_TONES[number] + rest
    return toned if emoji.is_emoji(toned) else None
