"""Importing calendar posts from a CSV or ICS file, all or nothing, with line-numbered errors.

The file formats are read in csv_reading.py and ics_reading.py; the outcome is put in words in
import_report.py. Every row is checked first; the posts are stored in one transaction only if
every row is good, unless bad rows are to be skipped. Importing is repeatable: a row identical
to a post already in the calendar (whatever its state, even sent or cancelled) or to an earlier
row of the file is not imported again, and the reply says which post it matched.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.features.calendar.csv_reading import csv_rows
from bot.features.calendar.ics_reading import ics_rows
from bot.features.calendar.import_rows import ImportFileError, ImportResult, Row
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

if TYPE_CHECKING:
    from bot.core.app import Steward

MAX_BYTES = 1_000_000


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
        rows = ics_rows(name, text)
    elif suffix in (".csv", ".txt", ""):
        rows = csv_rows(name, text)
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
