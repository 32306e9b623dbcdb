"""Where and as what each imported post goes: its own channel and type, or the file's defaults.

A CSV row names its channel and type in its cells; an empty cell takes the default. An ICS event
names them in X-STEWARD-CHANNEL and X-STEWARD-TYPE; otherwise LOCATION is used only when it
names a known channel (a real export holds a room or a video link there) and CATEGORIES only
when one of them names a content type; anything else takes the default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.features.calendar.channels import bare_name
from bot.features.calendar.import_rows import Defaults, Row
from bot.features.calendar.posts import CONTENT_TYPES, ChannelError, DraftError
from bot.text.excerpts import excerpt

CHANNEL_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
MAX_SHOWN = 40  # characters of a LOCATION or CATEGORIES shown in an error
CHANNEL_HINT = "give the channel for the whole file with channel:… (--channel on the command line)"
TYPE_HINT = (
    f"give the type for the whole file with type:… (--type on the command line; one of "
    f"{', '.join(CONTENT_TYPES)})"
)

Known = Callable[[str], "bool | None"]  # True known, False unknown, None cannot tell


def channel_candidates(rows: Iterable[Row], defaults: Defaults) -> set[str]:
    """Every channel name the rows or the defaults might use, to look up at once."""
    names = {bare_name(defaults.channel)}
    for row in rows:
        names |= {bare_name(row.fields.get("channel")), location(row)}
    return names - {""}


def settle(row: Row, known: Known, seen: set[str], defaults: Defaults) -> tuple[dict, list[str]]:
    """The row's fields with its channel and type settled, and which defaults it took.

    Raises DraftError when neither the row nor the defaults give one.
    """
    fields, took = dict(row.fields), []
    if not bare_name(fields.get("channel")):
        fields["channel"] = _channel_from_location(row, known, seen, defaults, took)
    if not str(fields.get("type") or "").strip():
        fields["type"] = _type_from_categories(row, defaults, took)
    return fields, took


def location(row: Row) -> str:
    """An ICS event's LOCATION as a channel name would be written ('' for a CSV row)."""
    return bare_name(row.fields.get("location"))


def _channel_from_location(
    row: Row, known: Known, seen: set[str], defaults: Defaults, took: list[str]
) -> str:
    place = location(row)
    if place and _names_a_channel(place, known, seen, defaults):
        return place
    if defaults.channel:
        took.append("channel")
        return bare_name(defaults.channel)
    if place:
        shown = excerpt(place, MAX_SHOWN)
        raise ChannelError(f"LOCATION {shown!r} is not a channel here; {CHANNEL_HINT}.")
    if "location" in row.fields:
        raise ChannelError(f"the event has no LOCATION naming a channel; {CHANNEL_HINT}.")
    raise ChannelError(f"`channel` is missing; {CHANNEL_HINT}.")


def _names_a_channel(place: str, known: Known, seen: set[str], defaults: Defaults) -> bool:
    """Known here; or, when no adapter can tell, seen before or (with no default) shaped like
    a channel name — channels are checked again when each post goes out."""
    verdict = known(place)
    if verdict is not None:
        return verdict
    return place in seen or (not defaults.channel and bool(CHANNEL_NAME.fullmatch(place)))


def _type_from_categories(row: Row, defaults: Defaults, took: list[str]) -> str:
    categories = [str(name).strip().lower() for name in row.fields.get("categories") or ()]
    for name in categories:
        if name in CONTENT_TYPES:
            return name
    if defaults.content_type:
        took.append("type")
        return defaults.content_type
    if categories:
        shown = excerpt(", ".join(categories), MAX_SHOWN)
        raise DraftError(f"CATEGORIES {shown!r} names no content type; {TYPE_HINT}.")
    if "categories" in row.fields:
        raise DraftError(f"the event has no CATEGORIES naming a content type; {TYPE_HINT}.")
    raise DraftError(f"`type` is missing; {TYPE_HINT}.")
