"""The one neutral outbound message, and where it goes. Adapters render it natively."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.markup import bold


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
    """What the core says: text, sections, buttons, an image, a file (where: a Destination)."""

    text: str
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    image: Image | None = None
    file: FileData | None = None
    tag: str = ""  # what the message is (a content type, "poll", "digest"); shown as a label

    def plain_text(self) -> str:
        """The whole message as one text (neutral markup): the fallback every adapter can show.

        Section titles are bold; render it (`bot.core.markup.plain`) to print it.
        """
        parts = [self.text]
        for section in self.sections:
            if section.title:
                parts.append(bold(section.title))
            if section.text:
                parts.append(section.text)
            parts.extend(f"{name}: {value}" for name, value in section.fields)
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class FormField:
    """One question of a form (a Discord modal field, a Slack view input, a console prompt).

    `max_length` caps the answer; `min_value`/`max_value` make it a whole number in that range.
    """

    field_id: str
    label: str
    multiline: bool = False
    required: bool = True
    default: str = ""
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None

    def check(self, value: str) -> str | None:
        """Why `value` does not fit (`needs a whole number from 1 to 5 (got '11')`), or None.

        Adapters that ask field by field ask again; features re-check the submitted form.
        """
        answer = value.strip()
        if not answer:
            return "needs an answer" if self.required else None
        if self.max_length is not None and len(answer) > self.max_length:
            return f"needs at most {self.max_length} characters (got {len(answer)})"
        if self.min_value is None and self.max_value is None:
            return None
        low = self.min_value if self.min_value is not None else float("-inf")
        high = self.max_value if self.max_value is not None else float("inf")
        whole = _WHOLE_NUMBER.fullmatch(answer) and len(answer) <= 20  # int() of 5000 digits fails
        if not whole or not low <= int(answer) <= high:
            return f"needs {self._range_words()} (got {answer!r})"
        return None

    def _range_words(self) -> str:
        if self.min_value is not None and self.max_value is not None:
            return f"a whole number from {self.min_value} to {self.max_value}"
        if self.min_value is not None:
            return f"a whole number of at least {self.min_value}"
        return f"a whole number of at most {self.max_value}"


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


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
