"""The one neutral outbound message, and where it goes. Adapters render it natively."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class ButtonStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """A clickable control; `action_id` is namespaced (`poll:vote:12:3`), under 100 chars."""

    label: str
    action_id: str
    style: ButtonStyle = ButtonStyle.SECONDARY

    def __post_init__(self) -> None:
        if len(self.action_id) >= 100:
            raise ValueError(f"action id too long: {self.action_id[:40]}…")


@dataclass(frozen=True)
class Section:
    """A titled block of text with optional name/value fields."""

    text: str = ""
    title: str = ""
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Image:
    """A picture sent with the message (a PNG chart, say)."""

    filename: str
    data: bytes
    alt: str = ""


@dataclass(frozen=True)
class FileData:
    """A file sent with the message (a data export, a report)."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Message:
    """What the core says: text, sections, buttons, an image; `ephemeral` for private replies."""

    text: str
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    image: Image | None = None
    file: FileData | None = None
    ephemeral: bool = False
    tag: str = ""  # what the message is (a content type, "poll", "digest"); shown as a label

    def as_private(self) -> Message:
        return replace(self, ephemeral=True)

    def plain_text(self) -> str:
        """The whole message as plain text: the fallback every adapter can show."""
        parts = [self.text]
        for section in self.sections:
            if section.title:
                parts.append(f"**{section.title}**")
            if section.text:
                parts.append(section.text)
            parts.extend(f"{name}: {value}" for name, value in section.fields)
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class FormField:
    """One question of a form (a Discord modal field, a Slack view input, a console prompt)."""

    field_id: str
    label: str
    multiline: bool = False
    required: bool = True
    default: str = ""


@dataclass(frozen=True)
class Form:
    """A form to open for one member; its answers come back as a FormSubmitted event."""

    form_id: str
    title: str
    fields: tuple[FormField, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SentMessage:
    """Where a message landed: enough to edit it or to link reactions back to it."""

    platform: str
    channel_id: str
    message_id: str
