"""Reading calendar posts from ICS: one post per VEVENT.

DTSTART (with its TZID), SUMMARY (title), DESCRIPTION (text; the HTML Google Calendar writes
becomes text with neutral bold, italics and links: bot.core.markup), URL (link), RRULE
(repeat), X-STEWARD-CHANNEL (channel), X-STEWARD-TYPE (type); LOCATION and CATEGORIES are
kept for import_defaults.py to judge.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime
from html.parser import HTMLParser

from bot.core.markup import BOLD, END, ITALIC, link, literal
from bot.features.calendar.ics_problems import (
    check_readable,
    event_name,
    parse_calendar,
    single,
    with_warnings,
    zone_note,
)
from bot.features.calendar.import_rows import Row
from bot.text.when import local_to_utc


def ics_rows(name: str, text: str) -> list[Row]:
    """The events of an ICS file; raise ImportFileError when it is not a calendar.

    icalendar's warnings are caught here and said as notes on the events (ics_problems.py).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        calendar = parse_calendar(name, text)
        starts = [n for n, line in enumerate(text.splitlines(), 1) if _begins_event(line)]
        events = calendar.walk("VEVENT")
        rows = [_event_row(line, event) for line, event in zip(starts, events, strict=False)]
    return with_warnings(rows, caught)


def _begins_event(line: str) -> bool:
    return line.strip().upper() == "BEGIN:VEVENT"


def _event_row(line: int, event) -> Row:
    name = event_name(event)
    fields: dict[str, object] = {"title": name}
    try:
        check_readable(event, name)
        fields = _event_fields(event, name)
        fields.update(_ics_start(event, name))
        fields["repeat"] = _ics_repeat(event)
    except ValueError as exc:
        return Row(line, fields, str(exc))
    tzid, key = str(fields.pop("tzid", "")), str(fields.get("timezone", ""))
    note = zone_note(name, tzid, key, bool(fields["repeat"])) if key else ""
    return Row(line, fields, note=note)


def _event_fields(event, name: str) -> dict[str, object]:
    def text(key: str) -> str:
        return _ics_text(single(event, key, name))

    return {
        "channel": text("X-STEWARD-CHANNEL"),
        "location": text("LOCATION"),
        "type": text("X-STEWARD-TYPE"),
        "categories": _categories(event),
        "uid": text("UID"),
        "title": text("SUMMARY"),
        "text": _from_html(text("DESCRIPTION")),
        "link": text("URL"),
    }


def _ics_start(event, name: str) -> dict[str, object]:
    start = single(event, "DTSTART", name)
    if start is None:
        raise ValueError("the event has no DTSTART.")
    try:
        when = start.dt
    except (AttributeError, ValueError):
        raise ValueError(f"event {name!r}: its DTSTART is not a date and time.") from None
    if not isinstance(when, datetime):
        assert isinstance(when, date)
        raise ValueError(f"all-day event on {when}; give it a start time to publish it.")
    tzid = {"tzid": str(start.params.get("TZID") or "")}
    if when.tzinfo is None:
        return {"when": when, **tzid}  # floating time: read in the community zone
    key = getattr(when.tzinfo, "key", None)
    if key:
        from zoneinfo import ZoneInfo

        local = local_to_utc(when.replace(tzinfo=None), ZoneInfo(key))
        return {"when": local, "timezone": key, **tzid}
    # a zone the file defines itself (VTIMEZONE): the instant is exact; repeats keep the
    # wall-clock hour of the zone it names when that is a Windows name (Outlook), else UTC
    zone = _windows_zones().get(tzid["tzid"], "UTC")
    return {"when": when.astimezone(UTC), "timezone": zone, **tzid}


def _windows_zones() -> dict[str, str]:
    """Windows zone names (Outlook's TZID) → IANA names, as icalendar maps them."""
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # icalendar before 6
        try:
            from icalendar.windows_to_olson import WINDOWS_TO_OLSON
        except ImportError:
            return {}
    return WINDOWS_TO_OLSON


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
_MARKS = {"b": BOLD, "strong": BOLD, "i": ITALIC, "em": ITALIC}
_BREAKS = {"br", "p", "div", "ul", "ol", "li", "tr"}


class _HtmlText(HTMLParser):
    """Google Calendar writes rich descriptions as HTML; chats read text with neutral markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.opened: list[str] = []  # bold/italic tags open now, innermost last
        self.href: str | None = None
        self.link_start = 0  # where the open link's label begins in `parts`

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")
        elif tag == "a":
            self.href, self.link_start = dict(attrs).get("href"), len(self.parts)
        elif tag in _MARKS and self.href is None:
            self.opened.append(tag)
            self.parts.append(_MARKS[tag])

    def handle_endtag(self, tag: str) -> None:
        if tag in _MARKS and tag in self.opened:
            while self.opened and self.opened.pop() != tag:
                self.parts.append(END)  # an inner tag left open closes here too
            self.parts.append(END)
        if tag == "a" and self.href is not None:
            label = "".join(self.parts[self.link_start :]).strip()
            del self.parts[self.link_start :]
            self.parts.append(link(self.href, label))
            self.href = None
        if tag in _BREAKS - {"br", "li"}:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(literal(data))

    def text(self) -> str:
        self.parts.extend(END for _ in self.opened)
        lines = "".join(self.parts).splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())


def _from_html(text: str) -> str:
    """An HTML description as text with neutral bold, italics and links, bullets kept."""
    if not _HTML_TAG.search(text):
        return literal(text)
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
