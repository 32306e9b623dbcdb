"""DiscordChatExporter (DCE) JSON exports opened for the history import.

DCE writes one file per channel or thread (`--format Json`): a `guild`, a `channel` (a
thread's `categoryId`/`category` are its parent channel's), `dateRange`, `exportedAt`, then
`messages` and `messageCount`. Opening reads each file's header only, to refuse what is not
such an export before anything is imported; reading a file streams its messages.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import ijson

from adapters.discord.export_members import PLATFORM, People, Wanted
from adapters.discord.export_messages import Place, read_messages, skip_bom
from bot.core.events import ChannelRef
from bot.core.export_files import BadExport, Export, ExportFile

__all__ = ["open_discord_export"]

_THREADS = {"GuildPublicThread", "GuildPrivateThread", "GuildNewsThread", "10", "11", "12"}
_AS_JSON = "export with DiscordChatExporter's --format Json"
_HEADER_EVENTS = 10_000  # DCE's header is a few dozen events; an unknown JSON may be huge
_SCALARS = {"string", "number", "boolean", "null"}
SHOWN_PATHS = 3  # paths given that the summary lists; more are counted


def open_discord_export(
    paths: Sequence[Path], *, manager_role: str = "", admin_channel: str = ""
) -> Export:
    """The DCE files at `paths` (a folder means its *.json files), one ExportFile each:
    the channels' files by name, then the threads' by name (a thread's replies come after
    its question in its channel). `manager_role` (a role's name or id) marks the members
    holding it as managers; `admin_channel` (a channel's name or id) is the managers'
    channel. Raises BadExport for a missing path or a file that is not a DCE JSON export."""
    files = _json_files(paths)
    admin = Wanted.parse(admin_channel)
    headers = [(path, _read_header(path)) for path in files]
    opened = sorted(
        ((path, header, _channel(header, admin)) for path, header in headers), key=_channels_first
    )
    thread_names = {c.channel_id: c.name for _, _, c in opened if c.thread_id is not None}
    people = People(Wanted.parse(manager_role))
    export_files = []
    for path, _, channel in opened:
        read = partial(read_messages, path, str(path), Place(channel, thread_names), people)
        export_files.append(ExportFile(str(path), path.stat().st_size, read))
    source = _source(paths, files)
    return Export(PLATFORM, source, export_files, channels=_named_channels(opened))


Opened = tuple[Path, dict[str, dict[str, Any]], ChannelRef]  # a file, its header, its channel


def _channels_first(opened: Opened) -> tuple[bool, str]:
    path, _, channel = opened
    return channel.thread_id is not None, str(path)


def _source(paths: Sequence[Path], files: list[Path]) -> str:
    """The export as the summary names it: the paths given when they are few, else "120
    files in DIR" (their common folder), or "120 files" (a shell's glob gives thousands)."""
    if len(paths) <= SHOWN_PATHS:
        return ", ".join(map(str, paths))
    try:
        common = Path(os.path.commonpath([file.parent for file in files]))
    except ValueError:  # absolute and relative paths, or other drives
        common = Path()
    if common in (Path(), Path(common.anchor)):
        return f"{len(files)} files"
    return f"{len(files)} files in {common}"


def _json_files(paths: Sequence[Path]) -> list[Path]:
    """The files named, a folder's *.json in name order, each once."""
    if not paths:
        raise BadExport("discord", f"no export files given; {_AS_JSON}")
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.iterdir() if p.suffix.lower() == ".json" and p.is_file()
            )
            if not inside:
                raise BadExport(str(path), f"a folder without .json files; {_AS_JSON}")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise BadExport(str(path), "no such file or folder")
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _read_header(path: Path) -> dict[str, dict[str, Any]]:
    """The scalar fields of `guild` and `channel`, read up to where `messages` begins."""
    where = str(path)
    header: dict[str, dict[str, Any]] = {"guild": {}, "channel": {}}
    sections: set[str] = set()
    try:
        with path.open("rb") as stream:
            skip_bom(stream)
            events = ijson.parse(stream, use_float=True)
            for count, (prefix, event, value) in enumerate(events):
                if prefix == "messages" and event == "start_array":
                    break
                if (count == 0 and event != "start_map") or count > _HEADER_EVENTS:
                    raise BadExport(where, f"not a DiscordChatExporter export; {_AS_JSON}")
                section, _, key = prefix.partition(".")
                if section in header and not key and event == "start_map":
                    sections.add(section)
                elif section in header and key and "." not in key and event in _SCALARS:
                    header[section][key] = value
            else:
                raise BadExport(
                    where, f"has no messages: not a DiscordChatExporter export; {_AS_JSON}"
                )
    except ijson.JSONError as error:
        if path.stat().st_size == 0:
            raise BadExport(where, f"is empty; {_AS_JSON}") from None
        if "premature EOF" in str(error):
            raise BadExport(
                where, "ends before its messages: it looks truncated; re-export it"
            ) from None
        raise BadExport(where, f"not JSON; {_AS_JSON}") from None
    except UnicodeDecodeError:
        raise BadExport(where, f"not JSON (not UTF-8 text); {_AS_JSON}") from None
    except OSError as error:
        raise BadExport(where, f"cannot be read ({error.strerror or error})") from None
    if sections != {"guild", "channel"} or not header["channel"].get("id"):
        raise BadExport(
            where, f"has no guild and channel: not a DiscordChatExporter export; {_AS_JSON}"
        )
    return header


def _channel(header: dict[str, dict[str, Any]], admin: Wanted) -> ChannelRef:
    """The file's channel as the live adapter names it: a thread hangs under its parent."""
    channel = header["channel"]
    channel_id = str(channel["id"])
    name = channel.get("name") or channel_id
    if str(channel.get("type")) in _THREADS and channel.get("categoryId"):
        parent = str(channel["categoryId"])
        return ChannelRef(
            PLATFORM,
            channel_id,
            name,
            is_admin=admin.matches(parent, channel.get("category")),
            parent_id=parent,
            thread_id=channel_id,
        )
    return ChannelRef(PLATFORM, channel_id, name, is_admin=admin.matches(channel_id, name))


def _named_channels(opened: list[Opened]) -> list[ChannelRef]:
    """The channels the files name, each once: a channel's file, else a thread's header
    (which names its parent channel); threads count in their channel, so are left out."""
    named: dict[str, ChannelRef] = {}
    for _, header, channel in opened:
        if channel.parent_id is None:
            named[channel.channel_id] = channel
        else:
            parent_name = header["channel"].get("category") or channel.parent_id
            parent = ChannelRef(PLATFORM, channel.parent_id, parent_name, channel.is_admin)
            named.setdefault(channel.parent_id, parent)
    return list(named.values())
