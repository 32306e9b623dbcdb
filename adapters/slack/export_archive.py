"""A Slack export's files, from its folder or from the .zip Slack gives, by their path in the
export (`users.json`, `general/2024-01-02.json`), with a zip checked at open: no entry may
leave the export (an absolute path, `..`), and none may unpack to more than an export holds
(a zip bomb). A zip made on Windows may name its entries with backslashes: read as slashes."""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.core.export_files import BadExport

# A zip bomb: declared sizes beyond these are refused before anything is unpacked. A real
# export's day files compress about 12:1 (15:1 at most in a 35 MB export); zeros, 1000:1.
MAX_UNZIPPED_BYTES = 64 * 2**30  # the whole export, as its central directory declares it
# A file is read whole into memory. A day file (one channel's day, 0.7 MB at most in a real
# 35 MB export) beyond MAX_ENTRY_BYTES is refused, from a zip as from a folder, at open;
# users.json may be far larger (some 3 KB a person), so a zip's entry may reach MAX_LIST_BYTES.
MAX_ENTRY_BYTES = 64 * 2**20
MAX_LIST_BYTES = 512 * 2**20
MAX_RATIO = 100  # uncompressed / compressed, for a file of more than RATIO_FLOOR bytes
RATIO_FLOOR = 2**20  # smaller files may compress better (an empty day) and are harmless
_DRIVE = re.compile(r"[A-Za-z]:")
_IGNORED = ("__MACOSX/", ".")  # macOS's resource forks and hidden files (.DS_Store)
UNREADABLE = "encrypted, or compressed in a way Python cannot read: unzip it and give the folder"


class Archive(Protocol):
    """The export's files at its root and one folder down."""

    sizes: dict[str, int]  # path in the export -> bytes

    def read(self, name: str) -> bytes:
        """The bytes of the file `name` (BadExport naming it when it cannot be read)."""
        ...


@dataclass
class FolderArchive:
    """An export unzipped into a folder."""

    root: Path
    sizes: dict[str, int]

    def read(self, name: str) -> bytes:
        try:
            return (self.root / name).read_bytes()
        except OSError as exc:
            raise BadExport(name, f"could not be read ({exc.strerror or exc})") from exc


@dataclass
class ZipArchive:
    """An export in a zip, kept open while it is read (its members are read in place)."""

    zip: zipfile.ZipFile
    entries: dict[str, zipfile.ZipInfo]
    sizes: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.sizes = {name: info.file_size for name, info in self.entries.items()}

    def read(self, name: str) -> bytes:
        try:
            return self.zip.read(self.entries[name])
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise BadExport(name, f"could not be unzipped ({exc}): the zip is damaged") from exc
        except (RuntimeError, NotImplementedError) as exc:  # a password, deflate64, …
            raise BadExport(name, UNREADABLE) from exc


def open_archive(path: Path) -> Archive:
    """The export at `path`: a folder, or a zip (its files at its root or under one folder)."""
    if path.is_dir():
        return FolderArchive(path, _folder_sizes(path))
    if not path.exists():
        raise BadExport(str(path), "no such file or folder")
    if not zipfile.is_zipfile(path):
        raise BadExport(
            str(path),
            "not a zip file (truncated?) nor a folder: give the .zip Slack's export gives, "
            "or the folder it unzips to",
        )
    try:
        opened = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BadExport(str(path), f"a damaged zip ({exc}): download the export again") from exc
    try:
        infos = opened.infolist()
        _check_entries(path, infos)
    except BadExport:
        opened.close()
        raise
    return ZipArchive(opened, _zip_entries(infos))


def _folder_sizes(root: Path) -> dict[str, int]:
    sizes = {}
    with os.scandir(root) as top:
        for entry in top:
            if entry.name.startswith("."):
                continue
            if entry.is_file():
                sizes[entry.name] = entry.stat().st_size
            elif entry.is_dir() and entry.name != "__MACOSX":
                with os.scandir(entry.path) as inner:
                    for file in inner:
                        if file.is_file() and not file.name.startswith("."):
                            sizes[f"{entry.name}/{file.name}"] = file.stat().st_size
    return sizes


def _check_entries(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse the zip, before anything is unpacked, for an entry outside the export or
    declared sizes no export has."""
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise BadExport(
                name,
                f"an entry of {path.name} with an absolute path or '..' (it would unpack "
                "outside the export): the zip is refused; export it again from Slack",
            )
        problem = _oversized(info)
        if problem:
            raise BadExport(name, f"an entry of {path.name} that {problem}: a zip bomb? refused")
        total += info.file_size
    if total > MAX_UNZIPPED_BYTES:
        raise BadExport(
            str(path),
            f"unpacks to {total:,} bytes, more than the {MAX_UNZIPPED_BYTES >> 30} GiB "
            "an export is read up to: a zip bomb? refused",
        )


def _oversized(info: zipfile.ZipInfo) -> str:
    """What is wrong with an entry's declared sizes, or ""."""
    size, packed = info.file_size, max(info.compress_size, 1)
    if size > MAX_LIST_BYTES:
        return f"unpacks to {size:,} bytes (a file is read up to {MAX_LIST_BYTES >> 20} MiB)"
    if size > RATIO_FLOOR and size / packed > MAX_RATIO:
        return (
            f"unpacks {size / packed:,.0f}:1 ({size:,} bytes from {packed:,}; an export "
            f"compresses about 12:1, and is read up to {MAX_RATIO}:1)"
        )
    return ""


def _zip_entries(infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
    """The zip's files by their path in the export: at its root, or under the folder that
    holds its users.json (a zipped export folder); `\\` read as `/` (a Windows zip's)."""
    files = {}
    for info in infos:
        name = info.filename.replace("\\", "/")
        if not name.endswith("/") and not name.startswith(_IGNORED):
            files[name] = info
    prefix = ""
    if "users.json" not in files:
        tops = [n.removesuffix("users.json") for n in files if n.endswith("/users.json")]
        prefix = min((top for top in tops if top.count("/") == 1), default="")
    entries = {}
    for path, info in files.items():
        if not path.startswith(prefix):
            continue
        name = path.removeprefix(prefix)
        parts = name.split("/")
        if len(parts) <= 2 and not parts[-1].startswith("."):
            entries[name] = info
    return entries
