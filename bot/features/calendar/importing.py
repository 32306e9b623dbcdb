"""Importing calendar posts from a CSV or ICS file, all or nothing, with line-numbered errors.

The file formats are read in csv_reading.py and ics_reading.py; the outcome is put in words in
import_report.py. Every row is checked first; the posts are stored in one transaction only if
every row is good, unless bad rows are to be skipped. Importing is repeatable: a row identical
to a post already in the calendar (whatever its state, even sent or cancelled) or to an earlier
row of the file is not imported again, and the reply says which post it matched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.core.capabilities import Capabilities
from bot.core.events import MemberRef
from bot.core.option_refs import name_list
from bot.features.calendar.channels import Lookup, channel_names, limits, look_up
from bot.features.calendar.csv_reading import csv_rows
from bot.features.calendar.ics_reading import ics_rows
from bot.features.calendar.import_defaults import channel_candidates, settle
from bot.features.calendar.import_rows import Defaults, ImportFileError, ImportResult, Row
from bot.features.calendar.posts import (
    ChannelError,
    DraftError,
    PostDraft,
    check_upcoming,
    find_same_posts,
    make_draft,
    same_post_key,
    store_posts,
)

if TYPE_CHECKING:
    from bot.core.app import Steward

MAX_BYTES = 1_000_000
NO_DEFAULTS = Defaults()
_DEFAULTED = {"channel": "channel", "type": "content_type"}  # CSV column → Defaults field


async def import_file(
    app: Steward,
    *,
    platform: str,
    filename: str,
    data: bytes,
    author: MemberRef | None,
    skip_bad: bool,
    defaults: Defaults = NO_DEFAULTS,
    imported_by: str = "",
) -> ImportResult:
    """Check every row of the file; store the good ones if all are good (or `skip_bad`).

    Rows that name no usable channel or type take `defaults` (see import_defaults.py); every
    channel is resolved to its platform id. `author` is the member importing (None from the
    command line, which says who in `imported_by`, kept with each post's source).
    """
    rows = read_rows(filename, data, defaults)
    now = app.clock.now()
    checks = await _checks(app, platform, now, rows, defaults, imported_by)
    shown = _shown_defaults(checks.channels, defaults)
    result = ImportResult(PurePath(filename).name, skip_bad=skip_bad, defaults=shown)
    drafts: list[tuple[int, PostDraft]] = []
    list_channels = False
    for row in rows:
        try:
            drafts.append((row.line, checks.draft(row, result)))
        except DraftError as exc:
            result.errors.append((row.line, str(exc)))
            list_channels |= isinstance(exc, ChannelError)
    stored = await app.store.run(find_same_posts, [draft for _, draft in drafts])
    _sort_new(result, drafts, stored, now)
    if list_channels:
        result.channels = await channel_names(app, platform)
    if result.drafts and (skip_bad or not result.errors):
        heads_up = app.settings.calendar.heads_up_delta
        drafts = [draft for _, draft in result.drafts]

        def store(session) -> list[int]:
            member = app.directory.member_id(session, author, now) if author else None
            return store_posts(session, drafts, member, now, heads_up)

        result.imported = await app.store.run(store)
        await app.work_added()
    return result


@dataclass(frozen=True)
class _Checks:
    """What checking a row needs: where, when, which channels exist, the file's defaults,
    what a message holds on the platform."""

    platform: str
    now: datetime
    zone: ZoneInfo
    channels: Lookup
    seen: set[str]
    defaults: Defaults
    limits: Capabilities
    imported_by: str = ""

    def draft(self, row: Row, result: ImportResult) -> PostDraft:
        """One row as a checked draft; note in `result` which defaults it took."""
        if row.error:
            raise DraftError(row.error)
        fields, took = settle(row, self.channels.known, self.seen, self.defaults)
        draft = make_draft(
            fields,
            platform=self.platform,
            now=self.now,
            zone=self.zone,
            channels=self.channels,
            limits=self.limits,
            source=f"{result.filename} line {row.line}{self.imported_by}",
            upcoming_only=False,
        )
        if took:
            result.defaulted[row.line] = (row.name, tuple(took))
        if row.note:
            result.notes.append((row.line, row.note))
        return draft


async def _checks(
    app: Steward, platform: str, now: datetime, rows: list[Row], defaults: Defaults, by: str
) -> _Checks:
    """Look every channel name up at once; refuse a default channel that does not exist."""
    channels = await look_up(app, platform, channel_candidates(rows, defaults))
    name = defaults.channel.lstrip("#").strip()
    if name and channels.known(name) is False:
        names = name_list(await channel_names(app, platform), "#", none="none known")
        raise ImportFileError(f"channel:{name} is not a channel here (channels: {names}).")
    seen = set() if channels.connected else set(await channel_names(app, platform))
    zone = app.settings.community.zone
    by = f", imported by {by}" if by else ""
    return _Checks(platform, now, zone, channels, seen, defaults, limits(app, platform), by)


def _shown_defaults(channels: Lookup, defaults: Defaults) -> Defaults:
    """The defaults as the reply names them: the default channel by its current name."""
    found = channels.ref(defaults.channel.lstrip("#").strip()) if defaults.channel else None
    return replace(defaults, channel=found.name) if found is not None else defaults


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


def read_rows(filename: str, data: bytes, defaults: Defaults = NO_DEFAULTS) -> list[Row]:
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
        rows = csv_rows(name, text, optional=_given(defaults))
    else:
        raise ImportFileError(f"{name}: attach a .csv or .ics file.")
    if not rows:
        raise ImportFileError(f"{name} has no posts in it.")
    return rows


def _given(defaults: Defaults) -> set[str]:
    """The columns a CSV file may leave out because the defaults give them."""
    return {column for column, given in _DEFAULTED.items() if getattr(defaults, given)}


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise ImportFileError(f"{name} is not a text file; attach a CSV or ICS file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 CSV or ICS."
        ) from None
