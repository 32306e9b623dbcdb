"""Plain-text rendering of neutral messages for the console."""

from __future__ import annotations

from bot.core.messages import Message

INDENT = "    "


def render_body(message: Message) -> list[str]:
    """The lines that follow a message's header: sections, fields, buttons, image."""
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
        lines.append(f"[image {message.image.filename}, {size:,} bytes{alt}]")
    if message.file is not None:
        lines.append(f"[file {message.file.filename}, {len(message.file.data):,} bytes]")
        if message.file.content_type.startswith(("application/json", "text/")):
            lines.extend(message.file.data.decode("utf-8", "replace").splitlines())
    return [INDENT + line for line in lines]


def first_line(message: Message) -> str:
    return message.text.splitlines()[0] if message.text else ""
