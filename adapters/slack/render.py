"""Neutral messages and forms as Slack writes them: Block Kit blocks, fallback text, modals.

Every block is valid on its own (no empty text object, each text within its limit) and a
message is at most 50 blocks. Slack also refuses a message whose blocks hold more than about
12,000 characters of text together (`msg_blocks_too_long`, undocumented; Slack's maintainers
give "12,000 text characters with a buffer for block containers"), so `SLACK` keeps a fitted
message near 10,000 and `blocks` leaves the last blocks out (ending with "…") beyond 11,000.
"""

from __future__ import annotations

from typing import Any

from bot.core.capabilities import Capabilities, Dialect
from bot.core.fitting import cut_text, split_text
from bot.core.markup import bold, plain, render
from bot.core.messages import Button, ButtonStyle, Form, FormField, Message, Section
from bot.text.excerpts import cut_label

SLACK = Capabilities(
    message_length=4000,  # Slack's advice for a message's text; 3000 a section block
    section_text_length=3000,  # a section block's text
    sections_per_message=10,  # ≤ 2 blocks each: with the text, tag and buttons ≤ 25 blocks
    fields_per_section=10,  # fields of one section block
    sections_total_length=4000,  # text + sections + 25 labels stay under ~12,000 characters
    buttons_per_message=25,  # elements of one actions block
    button_label_length=75,
    form_title_length=24,
    fields_per_form=20,  # of a modal's 100 blocks; 20 answers of 3000 fit one submission
    form_label_length=2000,  # an input block's label
    form_value_length=3000,  # plain_text_input's max_length
    option_choices=100,  # options of a static select
    dialect=Dialect.SLACK,
    ack_seconds=3.0,
)

SECTION_TEXT, FIELD_TEXT, HEADER_TEXT, CONTEXT_TEXT = 3000, 2000, 150, 3000
FIELDS_PER_BLOCK, BUTTONS_PER_BLOCK, MAX_BLOCKS = 10, 25, 50
BLOCKS_TEXT = 11_000  # characters of text over all blocks kept as a last resort
FALLBACK_TEXT = 3000  # the `text` of chat.postMessage: notifications and screen readers
STATUS_LINE = 300  # a plain line this short after a section is shown small, as context
MODAL_BLOCKS, INPUT_LABEL, INPUT_VALUE, PRIVATE_METADATA = 100, 2000, 3000, 3000
MORE = "…"  # ends a message whose last blocks were left out
TAG_EMOJI = {
    "announcement": "📣",
    "article": "📰",
    "contest": "🏆",
    "discussion": "💬",
    "event": "📅",
    "feedback": "📮",
    "poll": "📊",
    "survey": "📝",
    "video": "🎬",
}
_STYLES = {ButtonStyle.PRIMARY: "primary", ButtonStyle.DANGER: "danger"}  # no "secondary"


def mrkdwn(text: str) -> str:
    """Neutral markup as Slack mrkdwn (`&`, `<`, `>` of ordinary text escaped)."""
    return render(text, Dialect.SLACK)


# ---- messages -----------------------------------------------------------------------------
def blocks(message: Message) -> list[dict[str, Any]]:
    """The message as Block Kit: its tag as a context line, the text as section blocks of
    mrkdwn, each section as a header and section blocks (a status line after a section as a
    context block), the buttons as one actions block. More than 25 buttons is a ValueError."""
    if len(message.buttons) > BUTTONS_PER_BLOCK:
        raise ValueError(f"{len(message.buttons)} buttons; Slack shows {BUTTONS_PER_BLOCK}")
    top = _tag_blocks(message.tag)
    actions = _actions_blocks(message.buttons)
    return [*top, *_within_limits(_body(message), top + actions), *actions]


def _body(message: Message) -> list[dict[str, Any]]:
    out = _text_blocks(message.text)
    after_section = False
    for section in message.sections:
        if after_section and _status_like(section):
            _add_status(out, mrkdwn(section.text.strip()))
        else:
            out.extend(_section_blocks(section))
        after_section = True
    return out


def _text_blocks(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": _mrkdwn(part)} for part in _mrkdwn_parts(text)]


def _mrkdwn_parts(text: str) -> list[str]:
    """`text` as mrkdwn in parts of at most 3000, split at paragraphs, lines, words."""
    if not text.strip():
        return []
    parts = (mrkdwn(part) for part in split_text(text, SECTION_TEXT, Dialect.SLACK))
    return [part for part in parts if part.strip()]


def _section_blocks(section: Section) -> list[dict[str, Any]]:
    """A header (the title, plain), then section blocks: the text, then ≤ 10 fields each."""
    out: list[dict[str, Any]] = []
    title = cut_label(plain(section.title).strip(), HEADER_TEXT)
    if title:
        out.append({"type": "header", "text": _plain_text(title)})
    bodies = [{"type": "section", "text": _mrkdwn(part)} for part in _mrkdwn_parts(section.text)]
    fields = [_mrkdwn(f) for f in (_field(n, v) for n, v in section.fields) if f.strip()]
    groups = [fields[n : n + FIELDS_PER_BLOCK] for n in range(0, len(fields), FIELDS_PER_BLOCK)]
    if bodies and groups:
        bodies[-1]["fields"] = groups.pop(0)
    bodies += [{"type": "section", "fields": group} for group in groups]
    return out + bodies


def _field(name: str, value: str) -> str:
    """`*name*` over its value, as mrkdwn within a field's 2000 characters."""
    shown = "\n".join(part for part in (bold(name.strip()), value.strip()) if part)
    return mrkdwn(cut_text(shown, FIELD_TEXT, Dialect.SLACK))


def _status_like(section: Section) -> bool:
    """A short plain line alone (no title, fields, links or mentions): a status line."""
    text = section.text.strip()
    return (
        not section.title.strip()
        and not section.fields
        and bool(text)
        and "\n" not in text
        and plain(text) == text
        and len(mrkdwn(text)) <= STATUS_LINE
    )


def _add_status(out: list[dict[str, Any]], line: str) -> None:
    """The line as a context block; one straight after another joins it, line under line."""
    last = out[-1] if out else None
    if last is not None and last["type"] == "context":
        element = last["elements"][-1]
        if len(element["text"]) + 1 + len(line) <= CONTEXT_TEXT:
            element["text"] += f"\n{line}"
            return
    out.append(_context(line))


def _tag_blocks(tag: str) -> list[dict[str, Any]]:
    """What the message is, as a small line above it (`📊 poll`)."""
    name = cut_label(plain(tag).strip(), 100)
    if not name:
        return []
    return [_context(f"{TAG_EMOJI.get(name.lower(), '🏷️')} {mrkdwn(name)}")]


def _actions_blocks(buttons: tuple[Button, ...]) -> list[dict[str, Any]]:
    """The buttons as one actions block. The value is always the core's action id; the
    action id is too, with `#2`, `#3`… added to a repeat (Slack wants them unique)."""
    if not buttons:
        return []
    seen: set[str] = set()
    elements = []
    for button in buttons:
        action_id, n = button.action_id, 1
        while action_id in seen:
            n += 1
            action_id = f"{button.action_id}#{n}"
        seen.add(action_id)
        elements.append(_button(button, action_id))
    return [{"type": "actions", "elements": elements}]


def _button(button: Button, action_id: str) -> dict[str, Any]:
    label = plain(button.label).strip() or MORE
    shown = {
        "type": "button",
        "text": _plain_text(cut_label(label, SLACK.button_label_length)),
        "action_id": action_id,
        "value": button.action_id,
    }
    if button.style in _STYLES:
        shown["style"] = _STYLES[button.style]
    return shown


def _within_limits(
    body: list[dict[str, Any]], others: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The body within 50 blocks and the text budget beside `others` (tag and buttons): as a
    last resort (fitting has split the message already), the last blocks give way to "…"."""
    room = MAX_BLOCKS - len(others)
    budget = BLOCKS_TEXT - _text_size(others)
    if len(body) <= room and _text_size(body) <= budget:
        return body
    kept: list[dict[str, Any]] = []
    used = len(MORE)
    for block in body:
        size = _text_size(block)
        if len(kept) + 2 > room or used + size > budget:
            break
        kept.append(block)
        used += size
    return [*kept, _context(MORE)]


def _text_size(node: object) -> int:
    """Characters of every text in `node` (a block, a list of blocks)."""
    if isinstance(node, dict):
        return sum(
            len(value) if key == "text" and isinstance(value, str) else _text_size(value)
            for key, value in node.items()
        )
    if isinstance(node, list):
        return sum(_text_size(item) for item in node)
    return 0


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def _plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(text)]}


def fallback_text(message: Message) -> str:
    """The `text` beside the blocks (notifications, screen readers): the whole message as
    mrkdwn within 3000 characters; never empty."""
    image_alt = message.image.alt if message.image else ""
    file_name = message.file.filename if message.file else ""
    for candidate in (message.plain_text(), image_alt, file_name, message.tag):
        shown = mrkdwn(cut_text(candidate.strip(), FALLBACK_TEXT, Dialect.SLACK)).strip()
        if shown:
            return shown
    return "Steward"


def post_kwargs(message: Message) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage (and a response_url); no `blocks` when there
    are none."""
    shown = blocks(message)
    kwargs: dict[str, Any] = {"text": fallback_text(message)}
    if shown:
        kwargs["blocks"] = shown
    return kwargs


def update_kwargs(message: Message) -> dict[str, Any]:
    """`text` and `blocks` for chat.update: `blocks` always, `[]` clearing the old ones."""
    return {"text": fallback_text(message), "blocks": blocks(message)}


# ---- forms --------------------------------------------------------------------------------
def modal(form: Form, *, private_metadata: str = "") -> dict[str, Any]:
    """A form as a `views.open` modal: callback id the form id, an input block per field
    (block id and action id the field id); labels and the title plain, cut with "…"."""
    if len(form.fields) > MODAL_BLOCKS:
        raise ValueError(f"form {form.form_id!r}: {len(form.fields)} fields; Slack shows 100")
    if len(private_metadata) > PRIVATE_METADATA:
        raise ValueError(f"private_metadata of {len(private_metadata)} characters; max 3000")
    title = cut_label(plain(form.title).strip(), SLACK.form_title_length) or "Steward"
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": form.form_id,
        "title": _plain_text(title),
        "submit": _plain_text("Submit"),
        "close": _plain_text("Cancel"),
        "blocks": [_input_block(field) for field in form.fields],
    }
    if private_metadata:
        view["private_metadata"] = private_metadata
    return view


def _input_block(field: FormField) -> dict[str, Any]:
    label = cut_label(plain(field.label).strip(), INPUT_LABEL) or field.field_id
    return {
        "type": "input",
        "block_id": field.field_id,
        "label": _plain_text(label),
        "optional": not field.required,
        "element": _input_element(field),
    }


def _input_element(field: FormField) -> dict[str, Any]:
    """A number_input for a whole number in a range, else a plain_text_input."""
    if field.min_value is not None or field.max_value is not None:
        return _number_element(field)
    longest = max(1, min(field.max_length or INPUT_VALUE, INPUT_VALUE))
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field.field_id,
        "multiline": field.multiline,
        "max_length": longest,
    }
    if field.default:
        element["initial_value"] = field.default[:longest]
    return element


def _number_element(field: FormField) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "number_input",
        "action_id": field.field_id,
        "is_decimal_allowed": False,
    }
    if field.min_value is not None:
        element["min_value"] = str(field.min_value)
    if field.max_value is not None:
        element["max_value"] = str(field.max_value)
    default = field.default.strip()
    if default and field.check(default) is None:  # Slack refuses a value out of range
        element["initial_value"] = str(int(default))
    return element


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """The answers of a `view_submission` payload's view, by field id ("" when empty)."""
    values = (view.get("state") or {}).get("values") or {}
    answers: dict[str, str] = {}
    for block_id, actions in values.items():
        state = actions.get(block_id) or next(iter(actions.values()), {})
        answers[block_id] = state.get("value") or ""
    return answers
