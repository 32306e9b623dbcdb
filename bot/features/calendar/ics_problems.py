"""What can be wrong with an ICS file, said in one line that names the event.

icalendar is lenient: a line it cannot read becomes an entry in the event's `errors`, a property
given twice becomes a list, and a guess about a time zone becomes a warning. None of that may
reach a user raw (file lines, library paths): each becomes a short error or note.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import replace

from bot.features.calendar.import_rows import MAX_NAME, ImportFileError, Row
from bot.text.excerpts import excerpt

MAX_REASON = 80  # characters of a library's reason shown to a user
MAX_VALUE = 40  # characters of a value from the file shown to a user
READ = (
    "DTSTART", "RRULE", "RDATE", "EXDATE", "EXRULE", "SUMMARY", "DESCRIPTION", "LOCATION",
    "CATEGORIES", "URL", "UID", "X-STEWARD-CHANNEL", "X-STEWARD-TYPE",
)  # fmt: skip
_UNREADABLE_LINE = re.compile(r"Content line could not be parsed into parts: '([A-Za-z0-9-]+)")
_GUESSED_ZONE = re.compile(
    r"Timezone '([^']+)' is a globally unique TZID; guessing it means '([^']+)'"
)
_WHOLE_FILE = {
    "Found no components where exactly one is required": "it does not hold one whole "
    "calendar from BEGIN:VCALENDAR to END:VCALENDAR",
    "Found multiple components where only one is allowed": "it holds more than one calendar; "
    "export or import them one at a time",
}


def parse_calendar(name: str, text: str):
    """The calendar in `text`; raise ImportFileError with a one-line reason when there is none."""
    from icalendar import Calendar

    try:
        return Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        known = next((said for start, said in _WHOLE_FILE.items() if reason.startswith(start)), "")
        shown = known or excerpt(reason, MAX_REASON)
        raise ImportFileError(f"{name} is not a valid ICS calendar ({shown}).") from None


def event_name(event) -> str:
    """The event as a reply names it: its SUMMARY, else its UID, cut to a sane length."""
    for key in ("SUMMARY", "UID"):
        value = event.get(key)
        value = value[0] if isinstance(value, list) and value else value
        text = excerpt(str(value or ""), MAX_NAME)
        if text:
            return text
    return "(untitled)"


def check_readable(event, name: str) -> None:
    """Raise ValueError when a line the import reads could not be parsed."""
    for prop, reason in getattr(event, "errors", ()):
        if prop is None:
            match = _UNREADABLE_LINE.match(str(reason))
            prop = match[1] if match else ""
        prop = str(prop).upper()
        if prop and prop not in READ:
            continue  # a line the import does not use (an attendee, an alarm)
        value = event.get(prop) if prop else None
        if isinstance(value, str) and value:
            raise ValueError(
                f"event {name!r}: {prop} {excerpt(str(value), MAX_VALUE)!r} cannot be read; "
                "correct that line."
            )
        line = f"its {prop} line" if prop else "one of its lines"
        raise ValueError(f"event {name!r}: {line} cannot be read; correct it.")


def single(event, key: str, name: str):
    """The event's one `key` property (or None); raise ValueError when it is given twice."""
    value = event.get(key)
    if isinstance(value, list):
        raise ValueError(f"event {name!r}: it has {len(value)} {key} lines; keep one.")
    return value


def with_warnings(rows: list[Row], caught: Iterable[warnings.WarningMessage]) -> list[Row]:
    """icalendar's warnings, never shown raw: a guessed time zone is already a note on its
    event (see `zone_note`); any other warning becomes a one-line note on the first event."""
    said = [str(w.message) for w in caught if not _GUESSED_ZONE.search(str(w.message))]
    if said and rows and not rows[0].note:
        rows = [replace(rows[0], note=f"icalendar: {excerpt(said[0], MAX_REASON)}"), *rows[1:]]
    return rows


def zone_note(name: str, tzid: str, key: str, repeats: bool) -> str:
    """A note when the event's TZID is not a zone name: which zone it was read as, or (for a
    zone only the file defines) that a repeating post keeps UTC hours."""
    if not tzid or tzid == key:
        return ""
    shown = excerpt(tzid, MAX_VALUE)
    if key != "UTC":
        return f"event {name!r}: time zone {shown!r} read as {key}."
    if repeats:
        return (
            f"event {name!r}: time zone {shown!r} is not a zone name; its first time is exact, "
            "its repeats keep the same UTC hour."
        )
    return ""
