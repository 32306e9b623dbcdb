"""Plain-text rendering of neutral messages for the console."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.messages import Message

INDENT = "    "


def _kept_nowhere(filename: str, data: bytes) -> str:
    return ""


def render_body(message: Message, saved: Callable[[str, bytes], str] = _kept_nowhere) -> list[str]:
    """The lines that follow a message's header: sections, fields, buttons, image.

    `saved(filename, data)` keeps an image or file and says where (`, saved as PATH`).
    """
    lines = message.text.splitlines()[1:] if message.text else []
    for section in message.sections:
        if section.title:
            lines.append(f"== {section.title} ==")
        lines.extend(section.text.splitlines())
        lines.extend(f"{name}: {value}" for name, value in section.fields)
    if message.buttons:
        lines.append(" ".join(f"[{i}: {b.label}]" for i, b in enumerate(message.buttons, 1)))
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
    return message.text.splitlines()[0] if message.text else ""
