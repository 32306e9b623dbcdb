"""Fitting messages and forms within one platform's limits (bot.core.capabilities).

Long text is split, never rejected: at paragraphs, then lines, then words, then anywhere but
inside a code span, link or mention; a bold or italic span cut in two is closed at the end of
one part and opened again in the next, so every part is whole markup. Lengths are counted as
the platform shows the text (its markup dialect, escapes included). Sections, fields and
button labels are fitted too; more buttons or form fields than the platform holds is a
programming error (`ValueError`): features check those limits (`app.capabilities(platform)`)
before they build the message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from bot.core.capabilities import Capabilities, Dialect
from bot.core.markup import ATOMIC, END, OPENERS, render, tidy
from bot.core.messages import Button, Form, FormField, Message, Section, SentMessage
from bot.text.excerpts import cut_label

if TYPE_CHECKING:
    from bot.core.adapter import Adapter
    from bot.core.envelope import Destination
    from bot.core.interaction import Interaction

T = TypeVar("T")
ELLIPSIS = "…"
_MARKS_ROOM = 6  # the marks of two nested spans around a part, as Discord writes them
_TICKED = re.compile(r"`[^`\n]+`")  # a code span written with plain backticks
_NEAR = 30  # an edit's text is cut at a word ending this close to the limit
_SEPARATORS = ("\n\n", "\n", " ")  # paragraphs, lines, words; then any free position


# ---- messages -----------------------------------------------------------------------------
def fit(message: Message, caps: Capabilities) -> list[Message]:
    """`message` as one or more messages within `caps`, in order.

    The text is split over as many messages as it needs; the sections follow the last text
    part, moving to further messages when there are too many or they are too long. The
    buttons, image and file go with the LAST message (a reply to its buttons finds it).
    """
    texts = split_text(message.text, caps.message_length, caps.dialect) if message.text else [""]
    if len(texts) == 1 and not message.sections and not message.buttons:
        return [message]  # a short answer: what the rest would make of it, made at once
    buttons = _fit_buttons(message.buttons, caps)
    sections = [part for s in message.sections for part in _split_section(s, caps)]
    groups = _group_sections(sections, caps) or [[]]
    bodies = [(t, []) for t in texts[:-1]] + [(texts[-1], groups[0])]
    bodies += [("", group) for group in groups[1:]]
    parts = [
        replace(message, text=text, sections=tuple(group), buttons=(), image=None, file=None)
        for text, group in bodies
    ]
    parts[-1] = replace(parts[-1], buttons=buttons, image=message.image, file=message.file)
    return parts


def fit_one(message: Message, caps: Capabilities) -> Message:
    """`message` as ONE message within `caps`, for an edit (which cannot split).

    As a last resort, text is cut (at a word where one is near) and ends with "…"; sections
    and fields beyond the platform's counts are left out.
    """
    dialect = caps.dialect
    sections = tuple(
        replace(
            s,
            text=cut_text(s.text, caps.section_text_length, dialect),
            fields=s.fields[: caps.fields_per_section],
        )
        for s in message.sections[: caps.sections_per_message]
    )
    groups = _group_sections(list(sections), caps)
    sections = tuple(groups[0]) if groups else ()
    return replace(
        message,
        text=cut_text(message.text, caps.message_length, dialect),
        sections=sections,
        buttons=_fit_buttons(message.buttons, caps),
    )


def _group_sections(sections: list[Section], caps: Capabilities) -> list[list[Section]]:
    """Sections in messages' worth: at most `sections_per_message` each, and within
    `sections_total_length` together (a section longer than that alone goes alone)."""
    total = caps.sections_total_length
    groups: list[list[Section]] = []
    size = 0
    for section in sections:
        length = _section_length(section, caps.dialect)
        full = bool(groups) and (
            len(groups[-1]) == caps.sections_per_message
            or (total is not None and size + length > total)
        )
        if not groups or full:
            groups.append([])
            size = 0
        groups[-1].append(section)
        size += length
    return groups


def _section_length(section: Section, dialect: Dialect) -> int:
    texts = [section.title, section.text, *(t for field in section.fields for t in field)]
    return sum(_shown_length(text, dialect) for text in texts if text)


def _split_section(section: Section, caps: Capabilities) -> list[Section]:
    """One section as several: its text in parts, its fields in groups, the title first."""
    limit = caps.section_text_length
    texts = split_text(section.text, limit, caps.dialect) if section.text else [""]
    fields = _chunks(list(section.fields), caps.fields_per_section) or [[]]
    parts = [Section(text=t) for t in texts[:-1]]
    parts.append(Section(text=texts[-1], fields=tuple(fields[0])))
    parts += [Section(fields=tuple(group)) for group in fields[1:]]
    parts[0] = replace(parts[0], title=section.title)
    return parts


def _fit_buttons(buttons: tuple[Button, ...], caps: Capabilities) -> tuple[Button, ...]:
    if len(buttons) > caps.buttons_per_message:
        raise ValueError(
            f"{len(buttons)} buttons on one message; the platform allows "
            f"{caps.buttons_per_message} (check Capabilities.buttons_per_message first)"
        )
    return tuple(replace(b, label=cut_label(b.label, caps.button_label_length)) for b in buttons)


# ---- forms --------------------------------------------------------------------------------
def fit_form(form: Form, caps: Capabilities) -> Form:
    """`form` within `caps`: title and labels cut with "…", answers capped at the platform's.

    More fields than `caps.fields_per_form` is a programming error (ValueError).
    """
    if len(form.fields) > caps.fields_per_form:
        raise ValueError(
            f"form {form.form_id!r} has {len(form.fields)} fields; the platform allows "
            f"{caps.fields_per_form} (check Capabilities.fields_per_form first)"
        )
    fields = tuple(_fit_field(f, caps) for f in form.fields)
    return replace(form, title=cut_label(form.title, caps.form_title_length), fields=fields)


def _fit_field(field: FormField, caps: Capabilities) -> FormField:
    longest = caps.form_value_length
    max_length = min(field.max_length, longest) if field.max_length is not None else None
    return replace(
        field,
        label=cut_label(field.label, caps.form_label_length),
        default=field.default[:longest],
        max_length=max_length,
    )


# ---- sending ------------------------------------------------------------------------------
async def send_fitted(adapter: Adapter, where: Destination, message: Message) -> SentMessage:
    """Send `message` through `adapter` as the messages it needs; the last one's place."""
    sent = None
    for part in fit(message, adapter.capabilities):
        sent = await adapter.send(where, part)
    assert sent is not None
    return sent


async def respond_fitted(
    interaction: Interaction, message: Message, caps: Capabilities, refusal: bool = False
) -> None:
    """Answer an interaction with `message`, as several responses when it is too long."""
    for part in fit(message, caps):
        await interaction.respond(part, refusal=refusal)


# ---- text ---------------------------------------------------------------------------------
def cut_text(text: str, limit: int, dialect: Dialect) -> str:
    """`text` shown in at most `limit` characters: whole if it fits, else cut with "…"."""
    if _shown_length(text, dialect) <= limit:
        return text
    room = max(limit - len(ELLIPSIS), 1)
    return _Splitter(tidy(text, dialect, max(room - _MARKS_ROOM, 1)), room, dialect).prefix()


def split_text(text: str, limit: int, dialect: Dialect) -> list[str]:
    """`text` (neutral markup) in parts each shown in at most `limit` characters in `dialect`.

    A code span (`code()` or plain backticks), link or mention is never cut, unless it is too
    long for a message with room for the marks around it: then a plain-backtick span is cut
    like words and a markup span is written out as plain words first. A part may exceed
    `limit` only when `limit` is smaller than the few characters its markup's marks take.
    """
    if _shown_length(text, dialect) <= limit:
        return [text]
    return _Splitter(tidy(text, dialect, max(limit - _MARKS_ROOM, 1)), limit, dialect).parts()


def _shown_length(text: str, dialect: Dialect) -> int:
    return len(render(text, dialect))


class _Splitter:
    """Splits one text; positions are cuts between characters (0 … len(text))."""

    def __init__(self, text: str, limit: int, dialect: Dialect) -> None:
        self.text, self.limit, self.dialect = text, limit, dialect
        self.free: list[bool] = []  # a cut here is outside every code span, link and mention
        self.open: list[tuple[str, ...]] = []  # bold/italic spans open at each cut
        stack: list[str] = []
        for char in [*text, ""]:
            self.free.append(not any(kind in ATOMIC for kind in stack))
            self.open.append(tuple(stack))
            if char in OPENERS:
                stack.append(char)
            elif char == END and stack:
                stack.pop()
        for span in _TICKED.finditer(text):  # plain backticks are code too: not cut either
            if span.end() - span.start() <= limit - _MARKS_ROOM:
                self.free[span.start() + 1 : span.end()] = [False] * (len(span.group()) - 1)

    def parts(self) -> list[str]:
        ranges = self._pack(0, len(self.text), 0)
        trimmed = (self._trim(start, end) for start, end in ranges)
        return [self._balanced(s, e) for s, e in trimmed if e > s] or [""]

    def prefix(self) -> str:
        """The longest start that fits, cut at a word when one ends near it, with "…"."""
        cuts = [c for c in range(1, len(self.text) + 1) if self.free[c]] or [len(self.text)]
        best = cuts[self._last_fitting(0, cuts)]
        words = [c for c in cuts if best - _NEAR < c <= best and self._at_word_end(c)]
        start, end = self._trim(0, words[-1] if words else best)
        return self._balanced(start, end) + ELLIPSIS

    def _at_word_end(self, cut: int) -> bool:
        return self.text[cut : cut + 1].isspace() or self.text[cut - 1 : cut].isspace()

    def _last_fitting(self, start: int, cuts: list[int]) -> int:
        """The index of the last of `cuts` (ascending) up to which the text fits; else 0."""
        low, high = 0, len(cuts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if self._fits(start, cuts[middle]) else (low, middle - 1)
        return low

    def _balanced(self, start: int, end: int) -> str:
        """The text from `start` to `end`, its spans opened before and closed after."""
        return "".join(self.open[start]) + self.text[start:end] + END * len(self.open[end])

    def _fits(self, start: int, end: int) -> bool:
        return _shown_length(self._balanced(start, end), self.dialect) <= self.limit

    def _pack(self, start: int, end: int, level: int) -> list[tuple[int, int]]:
        """Greedy: as many units (split at `_SEPARATORS[level]`) per part as fit."""
        if self._fits(start, end):
            return [(start, end)]
        if level == len(_SEPARATORS):
            return self._cut_anywhere(start, end)
        parts: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        for unit_start, unit_end in self._units(start, end, _SEPARATORS[level]):
            if current is not None and self._fits(current[0], unit_end):
                current = (current[0], unit_end)
                continue
            if current is not None:
                parts.append(current)
            pieces = self._pack(unit_start, unit_end, level + 1)
            parts.extend(pieces[:-1])
            current = pieces[-1]
        if current is not None:
            parts.append(current)
        return parts

    def _units(self, start: int, end: int, separator: str) -> list[tuple[int, int]]:
        units, begin = [], start
        found = self.text.find(separator, start, end)
        while found != -1:
            if self.free[found]:
                units.append((begin, found))
                begin = found + len(separator)
            found = self.text.find(separator, found + len(separator), end)
        units.append((begin, end))
        return [(s, e) for s, e in units if e > s]

    def _cut_anywhere(self, start: int, end: int) -> list[tuple[int, int]]:
        """Cuts at free positions, each part as long as fits (at least one character)."""
        parts = []
        while start < end:
            cuts = [c for c in range(start + 1, end + 1) if self.free[c]] or [end]
            cut = cuts[self._last_fitting(start, cuts)]  # at least one character
            parts.append((start, cut))
            start = cut
        return parts

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


def _chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[n : n + size]) for n in range(0, len(items), max(size, 1))]
