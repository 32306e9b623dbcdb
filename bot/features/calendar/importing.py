"""Importing calendar posts from a CSV or ICS file, all or nothing, with line-numbered errors.

CSV: a header row naming the columns `when, channel, type, title, text, link, repeat` (any
order; `when`, `channel` and `type` are required; comma, semicolon or tab separated). ICS:
one post per VEVENT — DTSTART (with its TZID), SUMMARY (title), DESCRIPTION (text; the HTML
Google Calendar writes becomes text with **bold** and links), URL (link),
RRULE (repeat), X-STEWARD-CHANNEL or LOCATION (channel), X-STEWARD-TYPE or CATEGORIES (type).
Every row is checked first; the posts are stored in one transaction only if every row is good,
unless bad rows are to be skipped. Importing is repeatable: a row identical to a post already in
the calendar (whatever its state, even sent or cancelled) or to an earlier row of the file is
not imported again, and the reply says which post it matched.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.core.messages import Message, Section
from bot.features.calendar.posts import (
    DraftError,
    PostDraft,
    channel_names,
    check_upcoming,
    find_same_posts,
    lookup_channels,
    make_draft,
    same_post_key,
    store_posts,
)
from bot.features.calendar.store import CANCELLED, PAUSED
from bot.text.when import local_to_utc

if TYPE_CHECKING:
    from bot.core.app import Steward

MAX_BYTES = 1_000_000
COLUMNS = ("when", "channel", "type", "title", "text", "link", "repeat")
REQUIRED = ("when", "channel", "type")
MAX_LISTED = 20


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (empty, binary, too big, not CSV or ICS)."""


@dataclass(frozen=True)
class Row:
    """One post as read from the file, with the line it starts on."""

    line: int
    fields: dict[str, object]
    error: str = ""  # a problem found while reading it


@dataclass
class ImportResult:
    """What an import found and did."""

    filename: str
    drafts: list[tuple[int, PostDraft]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: list[int] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)  # listed when a row names an unknown one
    stored: list[tuple[int, int, str]] = field(default_factory=list)  # (line, post id, status)
    repeated: list[tuple[int, int]] = field(default_factory=list)  # (line, earlier line)
    skip_bad: bool = False

    @property
    def rows(self) -> int:
        return len(self.drafts) + len(self.errors) + len(self.stored) + len(self.repeated)

    @property
    def nothing_new(self) -> bool:
        """No new post, but some rows are already in the calendar: a quiet success when the
        rest are bad rows to skip (or there are none)."""
        return not self.drafts and bool(self.stored) and (self.skip_bad or not self.errors)


async def import_file(
    app: Steward, *, platform: str, filename: str, data: bytes, author: str, skip_bad: bool
) -> ImportResult:
    """Check every row of the file; store the good ones if all are good (or `skip_bad`)."""
    rows = read_rows(filename, data)
    now = app.clock.now()
    names = {str(row.fields.get("channel") or "").lstrip("#").strip() for row in rows}
    known = await lookup_channels(app, platform, names - {""})
    result = ImportResult(PurePath(filename).name, skip_bad=skip_bad)
    drafts: list[tuple[int, PostDraft]] = []
    for row in rows:
        if row.error:
            result.errors.append((row.line, row.error))
            continue
        try:
            draft = make_draft(
                row.fields,
                platform=platform,
                now=now,
                zone=app.settings.community.zone,
                channel_known=known.get,
                source=f"{result.filename} line {row.line}",
                upcoming_only=False,
            )
        except DraftError as exc:
            result.errors.append((row.line, str(exc)))
        else:
            drafts.append((row.line, draft))
    stored = await app.store.run(find_same_posts, [draft for _, draft in drafts])
    _sort_new(result, drafts, stored, now)
    if any(known.get(name) is False for name in names):
        result.channels = await channel_names(app, platform)
    if result.drafts and (skip_bad or not result.errors):
        heads_up = app.settings.calendar.heads_up_delta
        drafts = [draft for _, draft in result.drafts]
        result.imported = await app.store.run(store_posts, drafts, author, now, heads_up)
        await app.work_added()
    return result


def _sort_new(
    result: ImportResult,
    drafts: list[tuple[int, PostDraft]],
    stored: dict[tuple, tuple[int, str]],
    now: datetime,
) -> None:
    """Keep the new posts; note rows already in the calendar or repeating an earlier row."""
    first_line: dict[tuple, int] = {}
    for line, draft in drafts:
        key = same_post_key(draft)
        if key in stored:
            result.stored.append((line, *stored[key]))
        elif key in first_line:
            result.repeated.append((line, first_line[key]))
        else:
            first_line[key] = line
            try:
                check_upcoming(draft, now)
            except DraftError as exc:
                result.errors.append((line, str(exc)))
            else:
                result.drafts.append((line, draft))
    result.errors.sort()


def render_import(result: ImportResult) -> Message:
    """The outcome in words: what was imported, and each bad line with its reason."""
    problems = [f"line {line}: {reason}" for line, reason in result.errors]
    if len(problems) > MAX_LISTED:
        problems = [*problems[:MAX_LISTED], f"… and {len(problems) - MAX_LISTED} more"]
    if result.channels:
        problems.append(f"(channels: {', '.join('#' + name for name in result.channels)})")
    sections = (Section(title="Problems", text="\n".join(problems)),) if problems else ()
    name, bad, good = result.filename, len(result.errors), len(result.drafts)
    if not good and result.stored:
        count = len(result.stored) + len(result.repeated)
        if bad:
            text = (
                f"Nothing new in {name}: {count} of its posts "
                f"{'is' if count == 1 else 'are'} already in the calendar "
                f"({_stored_ids(result)}); {bad} row{_s(bad)} "
                f"{'has' if bad == 1 else 'have'} problems. Nothing was imported."
            )
        else:
            text = (
                f"Nothing new in {name}: its {count} post{_s(count)} "
                f"{'is' if count == 1 else 'are'} already in the calendar "
                f"({_stored_ids(result)}); none was imported again."
            )
        return Message(text=text + _repeats(result), sections=sections)
    if result.imported:
        skipped = f"; skipped {bad} bad row{_s(bad)}" if bad else ""
        text = (
            f"Imported {len(result.imported)} calendar post{_s(good)} from {name} "
            f"({_ids(result.imported)}){skipped}.{_already(result)}{_repeats(result)}"
        )
        return Message(text=f"{text} /calendar list shows them.", sections=sections)
    if good:
        text = (
            f"Nothing imported from {name}: {bad} of {result.rows} rows have problems. "
            f"Fix them and import again, or import with skip_bad:true (--skip-bad) to import "
            f"the {good} {'new ' if result.stored else ''}good row{_s(good)}.{_already(result)}"
        )
    else:
        text = f"Nothing imported from {name}: none of its {result.rows} rows is a valid post."
    return Message(text=text, sections=sections)


def _ids(ids: list[int], states: list[str] | None = None) -> str:
    labels = [
        f"#{post_id}" + (f" {state}" if state in (CANCELLED, PAUSED) else "")
        for post_id, state in zip(ids, states or [""] * len(ids), strict=True)
    ]
    more = "…" if len(labels) > MAX_LISTED else ""
    return ", ".join(labels[:MAX_LISTED]) + more


def _stored_ids(result: ImportResult) -> str:
    return _ids([post_id for _, post_id, _ in result.stored], [s for *_, s in result.stored])


def _already(result: ImportResult) -> str:
    count = len(result.stored)
    if not count:
        return ""
    rows = "1 row is" if count == 1 else f"{count} rows are"
    return (
        f" {rows} already in the calendar ({_stored_ids(result)}) and "
        f"{'was' if count == 1 else 'were'} not imported again."
    )


def _repeats(result: ImportResult) -> str:
    said = [f" Line {line} repeats line {earlier}." for line, earlier in result.repeated]
    more = len(said) - MAX_LISTED
    return "".join(said[:MAX_LISTED]) + (f" ({more} more repeated lines.)" if more > 0 else "")


def read_rows(filename: str, data: bytes) -> list[Row]:
    """The posts in a CSV or ICS file; raise ImportFileError when the file itself is unusable."""
    name = PurePath(filename).name or "the file"
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            f"{name} is {len(data) / 1_000_000:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB."
        )
    if not data.strip():
        raise ImportFileError(f"{name} is empty.")
    text = _decode(name, data)
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".ics", ".ical") or text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        rows = _ics_rows(name, text)
    elif suffix in (".csv", ".txt", ""):
        rows = _csv_rows(name, text)
    else:
        raise ImportFileError(f"{name}: attach a .csv or .ics file.")
    if not rows:
        raise ImportFileError(f"{name} has no posts in it.")
    return rows


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise ImportFileError(f"{name} is not a text file; attach a CSV or ICS file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV or ICS."
        ) from None


# ---- CSV ----------------------------------------------------------------------------------
def _csv_rows(name: str, text: str) -> list[Row]:
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=lambda d: len(set(_cells(header_line, d)) & set(COLUMNS)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ImportFileError(f"{name} line {line}: not valid CSV ({exc}).") from None
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = _header(name, cells)
            continue
        rows.append(_csv_row(line, header, cells))
    return rows


def _csv_row(line: int, header: list[str], cells: list[str]) -> Row:
    """One CSV row; columns without a name (Excel's trailing `;;`) must stay empty."""
    if len(cells) != len(header):
        return Row(line, {}, f"{len(cells)} fields; the header has {len(header)}.")
    for number, (column, cell) in enumerate(zip(header, cells, strict=True), 1):
        if not column and cell.strip():
            return Row(
                line,
                {},
                f"{cell.strip()!r} is in column {number}, which has no name in the first line.",
            )
    return Row(line, {column: cell for column, cell in zip(header, cells, strict=True) if column})


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip().lower() for cell in line.split(delimiter)]


def _header(name: str, cells: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    unknown = [cell for cell in header if cell and cell not in COLUMNS]
    missing = [column for column in REQUIRED if column not in header]
    if unknown or missing:
        problem = f"unknown column {unknown[0]!r}" if unknown else f"no {missing[0]!r} column"
        raise ImportFileError(
            f"{name}: the first line must name the columns ({', '.join(COLUMNS)}); "
            f"{problem}. when, channel and type are required."
        )
    return header


# ---- ICS ----------------------------------------------------------------------------------
def _ics_rows(name: str, text: str) -> list[Row]:
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
        "channel": _ics_text(event.get("X-STEWARD-CHANNEL") or event.get("LOCATION")),
        "type": _ics_text(event.get("X-STEWARD-TYPE")) or _first_category(event),
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


def _first_category(event) -> str:
    categories = event.get("CATEGORIES")
    if categories is None:
        return ""
    first = categories[0] if isinstance(categories, list) else categories
    cats = getattr(first, "cats", None)
    return str(cats[0]).strip().lower() if cats else _ics_text(first).split(",")[0].lower()


def _s(count: int) -> str:
    return "" if count == 1 else "s"
