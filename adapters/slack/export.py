"""A Slack workspace export (its folder or its .zip) as an `Export` for `steward import
slack`: users.json, channels.json and groups.json read at open, then one `ExportFile` per day
file (`general/2024-01-02.json`), by day then channel, each read alone when imported.

Messages are translated by the live adapter's `Translator`, so an imported message has the
event id the live adapter gives it (its channel and `ts`): importing again, or over what the
bot recorded live, adds only what is missing. Direct messages (dms.json, mpims.json) are
private and are not imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import orjson
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import Directory, Person, Place
from adapters.slack.export_archive import MAX_ENTRY_BYTES, Archive, open_archive
from adapters.slack.export_messages import Day, ExportTranslator
from adapters.slack.inbound import PLATFORM, Translator
from bot.core.export_files import BadExport, Export, ExportFile, Item
from bot.text.json_kinds import json_kind

DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
CHANNEL_LISTS = ("channels.json", "groups.json")  # public channels, private ones
PRIVATE_LISTS = ("dms.json", "mpims.json")  # direct messages: never imported
HOW_TO_EXPORT = (
    "export it in Slack (Workspace settings → Import/Export Data → Export) and give the "
    ".zip, or the folder it unzips to"
)
SHOWN_STRAYS = 5  # stray files named in the note; the rest are counted


def open_slack_export(
    path: Path, *, managers: Iterable[str] = (), admin_channel: str = ""
) -> Export:
    """The Slack export at `path` (a folder or a .zip), checked and ready to read file by
    file; BadExport when it is not a readable export. `managers` are the Slack user ids of
    the managers, `admin_channel` the managers' channel (by name or id)."""
    archive = open_archive(path)
    found = archive.sizes
    if "users.json" not in found or not any(name in found for name in CHANNEL_LISTS):
        raise BadExport(
            str(path),
            f"not a Slack export (no users.json with channels.json or groups.json): "
            f"{HOW_TO_EXPORT}",
        )
    directory = Directory(AsyncWebClient())
    _remember(directory.remember_person, "users.json", _listed(archive, "users.json"))
    channels = []
    for name in (name for name in CHANNEL_LISTS if name in found):
        channels.extend(_remember(directory.remember_place, name, _listed(archive, name)))
    notes: list[str] = []
    admin = _admin_channel(directory, admin_channel)
    translator = ExportTranslator(directory, managers=set(managers), admin_channel_id=admin)
    private = _private_folders(archive, notes)
    ids = {str(c.get("name") or c["id"]): c["id"] for c in channels}
    days, strays = _day_files(found, private)
    _check_days(path, found, days)
    for folder in sorted({folder for _, folder, _ in days} - ids.keys()):
        directory.remember_place({"id": folder, "name": folder})
        ids[folder] = folder
        listed = " or ".join(name for name in CHANNEL_LISTS if name in found)
        notes.append(
            f"channel folder {folder} is not in {listed}: imported under its folder name, "
            "so its messages will not match the live ones"
        )
    if strays:
        notes.append(_strays_note(strays))
    files = [
        ExportFile(name, found[name], partial(_read, archive, translator, ids[folder], name))
        for _, folder, name in sorted(days)
    ]
    places = [translator.channel(ids[folder]) for folder in sorted({f for _, f, _ in days})]
    return Export(PLATFORM, str(path), files, notes, places)


def _read(archive: Archive, translator: Translator, channel_id: str, name: str) -> Iterator[Item]:
    """The items of the day file `name`, read when first asked for (BadExport naming it when
    it is not a day of messages)."""
    messages = _day(archive, name)
    yield from Day(translator, channel_id, name).items(messages)


def _day(archive: Archive, name: str) -> list[dict[str, Any]]:
    found = _json(archive, name)
    if not isinstance(found, list):
        raise BadExport(
            name,
            f"not a day of Slack messages (a JSON {json_kind(found, article=False)}, not a list)",
        )
    for number, message in enumerate(found):
        if type(message) is not dict:
            raise BadExport(
                name, f"not a day of Slack messages (item {number + 1} is {json_kind(message)})"
            )
    return found


def _json(archive: Archive, name: str) -> Any:
    """The file's JSON (orjson: a day file parses in half the time of the json module's)."""
    data = archive.read(name)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "UTF-8" in exc.msg:
            raise BadExport(name, f"not UTF-8 text (at byte {exc.pos})") from exc
        where = f"{exc.msg}: line {exc.lineno} column {exc.colno}"
        raise BadExport(name, f"not valid JSON ({where}) — truncated?") from exc


def _listed(archive: Archive, name: str) -> list[dict[str, Any]]:
    """users.json, channels.json, … : a list of objects, each with its id."""
    found = _json(archive, name)
    if not isinstance(found, list):
        raise BadExport(
            name, f"not Slack's list (a JSON {json_kind(found, article=False)}): {HOW_TO_EXPORT}"
        )
    for number, item in enumerate(found):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise BadExport(name, f"item {number + 1} has no id: {HOW_TO_EXPORT}")
    return found


def _remember(
    remember: Callable[[dict[str, Any]], Person | Place], name: str, items: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The listed people (or channels) remembered; BadExport for one not shaped as Slack's
    (a profile that is not an object, a name that is a number)."""
    for number, item in enumerate(items, 1):
        try:
            known = remember(item)
        except (AttributeError, TypeError) as exc:
            raise BadExport(name, f"item {number} is not shaped as Slack's ({exc})") from None
        if type(known.name) is not str:
            raise BadExport(name, f"item {number} has a name that is not a string")
    return items


def _check_days(path: Path, found: dict[str, int], days: list[tuple[str, str, str]]) -> None:
    """Refuse an export without day files, or with one too big to be one."""
    if not days:
        raise BadExport(
            str(path), f"no day files (channel folders of YYYY-MM-DD.json): {HOW_TO_EXPORT}"
        )
    for _, _, name in days:
        if found[name] > MAX_ENTRY_BYTES:
            size = found[name] / 1e6
            raise BadExport(name, f"is {size:,.0f} MB: larger than any Slack day file; is it one?")


def _admin_channel(directory: Directory, name_or_id: str) -> str:
    """The managers' channel's id (a name not in the export, as private channels often are
    not, is kept as an id: nothing in the export is in it)."""
    if not name_or_id:
        return ""
    place = directory.find_place(name_or_id)
    if place is not None:
        return place.channel_id
    return name_or_id.strip().removeprefix("#")


def _private_folders(archive: Archive, notes: list[str]) -> set[str]:
    """The folders of direct messages (a DM's id, a group DM's name): not imported."""
    folders: set[str] = set()
    counted = []
    for name in PRIVATE_LISTS:
        if name in archive.sizes:
            listed = _listed(archive, name)
            folders.update(str(c.get("name") or c["id"]) for c in listed)
            folders.update(c["id"] for c in listed)
            counted.append(f"{len(listed)} in {name}")
    if folders:
        notes.append(f"direct messages are private and were not imported: {', '.join(counted)}")
    return folders


def _day_files(
    found: Iterable[str], private: set[str]
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The day files (day, channel folder, path) and the other files in channel folders."""
    days, strays = [], []
    for name in found:
        folder, slash, file = name.partition("/")
        if not slash or folder in private:
            continue
        if DAY_FILE.fullmatch(file):
            days.append((file, folder, name))
        else:
            strays.append(name)
    return days, sorted(strays)


def _strays_note(strays: list[str]) -> str:
    shown = ", ".join(strays[:SHOWN_STRAYS]) + (", …" if len(strays) > SHOWN_STRAYS else "")
    files = "1 file in a channel folder is not a day file and was not read"
    if len(strays) > 1:
        files = f"{len(strays)} files in channel folders are not day files and were not read"
    return f"{files}: {shown}"
