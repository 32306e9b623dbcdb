"""The folder where the console keeps the images and files it is sent, so a user can open them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_LONGEST_NAME = 100


class SavedFiles:
    """Saves each distinct image or file once under `folder`; None keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._saved: dict[tuple[str, str], Path] = {}

    def note(self, filename: str, data: bytes) -> str:
        """Save `data` (once) and say where: `, saved as PATH`; empty when nothing is kept."""
        if self.folder is None:
            return ""
        key = (filename, hashlib.sha256(data).hexdigest())
        if key not in self._saved:
            try:
                self._saved[key] = _write_new(self.folder, safe_name(filename), data)
            except OSError as exc:
                return f", not saved ({exc.strerror or exc})"
        return f", saved as {self._saved[key]}"


def safe_name(filename: str) -> str:
    """A plain file name for `filename`: no folders, no `..`, only letters, digits, `._-`."""
    name = _UNSAFE.sub("-", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(".-")
    stem, dot, suffix = name.rpartition(".") if "." in name else (name, "", "")
    suffix = (dot + suffix)[:16]
    return (stem.strip(".-")[: _LONGEST_NAME - len(suffix)] or "file") + suffix


def _write_new(folder: Path, name: str, data: bytes) -> Path:
    """Write `data` to a file of its own in `folder` (`name`, or `name-2`, … if taken)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in range(1, 10_000):
        path = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        try:
            with path.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            continue
        return path.resolve()
    raise FileExistsError(f"too many files named {name} in {folder}")
