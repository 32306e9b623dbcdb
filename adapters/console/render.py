"""Plain-text rendering of neutral messages for the console (markup as `Dialect.PLAIN`)."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.markup import plain
from bot.core.messages import Message

INDENT = "    "


def _kept_nowhere(filename: str, data: bytes) -> str:
    return ""


def render_body(message: Message, saved: Callable[[str, bytes], str] = _kept_nowhere) -> list[str]:
    """The lines that follow a message's header: sections, fields, buttons, image.

    `saved(filename, data)` keeps an image or file and says where (`, saved as PATH`).
    """
    lines = plain(message.text).splitlines()[1:] if message.text else []
    for section in message.sections:
        if section.title:
            lines.append(f"== {plain(section.title)} ==")
        lines.extend(plain(section.text).splitlines())
        lines.extend(f"{plain(name)}: {plain(value)}" for name, value in section.fields)
    if message.buttons:
        labels = (f"[{i}: {plain(b.label)}]" for i, b in enumerate(message.buttons, 1))
        lines.append(" ".join(labels))
    if message.image is not None:
        size = len(message.image.data)
        alt = f" — {message.image.alt}" if message.image.alt else ""
        where = saved(message.image.filename, message.image.data)
        lines.append(f"[image {message.image.filename}, {size:,} bytes{where}{alt}]")
    if message.file is not None:
        file = message.file
        where = saved(file.filename, file.data)
        lines.append(f"[file {file.filename}, {len(file.data):,} bytes{where}]")
        if file.content_type.startswith(("application/json", "text/")):
            lines.extend(file.data.decode("utf-8", "replace").splitlines())
    return [INDENT + line for line in lines]


def first_line(message: Message) -> str:
    lines = plain(message.text).splitlines()
    return lines[0] if lines else ""
