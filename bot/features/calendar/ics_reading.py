"""Reading calendar posts from ICS: one post per VEVENT.

DTSTART (with its TZID), SUMMARY (title), DESCRIPTION (text; the HTML Google Calendar writes
becomes text with **bold** and links), URL (link), RRULE (repeat), X-STEWARD-CHANNEL (channel),
X-STEWARD-TYPE (type); LOCATION and CATEGORIES are kept for import_defaults.py to judge.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from bot.features.calendar.import_rows import ImportFileError, Row
from bot.text.when import local_to_utc


def ics_rows(name: str, text: str) -> list[Row]:
    """The events of an ICS file; raise ImportFileError when it is not a calendar."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportFileError(f"{name} is not a valid ICS calendar ({exc}).") from None
    starts = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "BEGIN:VEVENT"]
    events = calendar.walk("VEVENT")
    return [_event_row(line, event) for line, event in zip(starts, events, strict=False)]


def _event_row(line: int, event) -> Row:
    fields: dict[str, object] = {
        "channel": _ics_text(event.get("X-STEWARD-CHANNEL")),
        "location": _ics_text(event.get("LOCATION")),
        "type": _ics_text(event.get("X-STEWARD-TYPE")),
        "categories": _categories(event),
        "uid": _ics_text(event.get("UID")),
        "title": _ics_text(event.get("SUMMARY")),
        "text": _from_html(_ics_text(event.get("DESCRIPTION"))),
        "link": _ics_text(event.get("URL")),
    }
    try:
        fields.update(_ics_start(event))
        fields["repeat"] = _ics_repeat(event)
    except ValueError as exc:
        return Row(line, fields, str(exc))
    return Row(line, fields)


def _ics_start(event) -> dict[str, object]:
    start = event.get("DTSTART")
    if start is None:
        raise ValueError("the event has no DTSTART.")
    when = start.dt
    if not isinstance(when, datetime):
        assert isinstance(when, date)
        raise ValueError(f"all-day event on {when}; give it a start time to publish it.")
    if when.tzinfo is None:
        return {"when": when}  # floating time: read in the community zone
    key = getattr(when.tzinfo, "key", None)
    if key:
        from zoneinfo import ZoneInfo

        return {"when": local_to_utc(when.replace(tzinfo=None), ZoneInfo(key)), "timezone": key}
    return {"when": when.astimezone(UTC), "timezone": "UTC"}


def _ics_repeat(event) -> str:
    for unsupported in ("RDATE", "EXDATE", "EXRULE"):
        if event.get(unsupported) is not None:
            raise ValueError(f"{unsupported} is not supported; list those posts separately.")
    rule = event.get("RRULE")
    if rule is None:
        return ""
    if isinstance(rule, list):
        raise ValueError("only one RRULE per event is supported.")
    return "RRULE:" + rule.to_ical().decode()


def _ics_text(value: object) -> str:
    return "" if value is None else str(value).strip()


_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_BREAKS = {"br", "p", "div", "ul", "ol", "li", "tr"}


class _HtmlText(HTMLParser):
    """Google Calendar writes rich descriptions as HTML; chats read Markdown-ish text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        elif tag == "a":
            self.href, self.link_text = dict(attrs).get("href"), []
        self.parts.append(_MARKS.get(tag, ""))

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(_MARKS.get(tag, ""))
        if tag == "a" and self.href is not None:
            label = "".join(self.link_text).strip()
            self.parts.append(f" ({self.href})" if label and label != self.href else "")
            self.href = None
        if tag in _BREAKS - {"br", "li"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self.href is not None:
            self.link_text.append(data)

    def text(self) -> str:
        lines = "".join(self.parts).splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())


def _from_html(text: str) -> str:
    """An HTML description as plain text with **bold**, *italic*, links and bullets kept."""
    if not _HTML_TAG.search(text):
        return text
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    return parser.text()


def _categories(event) -> tuple[str, ...]:
    """Every category of the event, from each CATEGORIES line, in order."""
    found = event.get("CATEGORIES")
    lines = found if isinstance(found, list) else [found] if found is not None else []
    names: list[str] = []
    for value in lines:
        cats = getattr(value, "cats", None) or _ics_text(value).split(",")
        names.extend(str(cat).strip() for cat in cats)
    return tuple(name for name in names if name)
