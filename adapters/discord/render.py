"""Neutral messages and forms as Discord writes them: content, embeds, buttons, files, modals."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.core.capabilities import Capabilities, Dialect
from bot.core.markup import plain, render
from bot.core.messages import ButtonStyle, Form, Message, Section

DISCORD = Capabilities(
    message_length=2000,
    section_text_length=4096,  # an embed's description
    sections_per_message=10,  # embeds per message
    fields_per_section=25,
    sections_total_length=6000,  # all embeds of one message together
    buttons_per_message=25,  # 5 rows of 5
    button_label_length=80,
    form_title_length=45,
    fields_per_form=5,
    form_label_length=45,
    form_value_length=4000,
    option_choices=25,
    dialect=Dialect.DISCORD,
    ack_seconds=3.0,
)

EMBED_TITLE, FIELD_NAME, FIELD_VALUE, FOOTER = 256, 256, 1024, 2048  # Discord's embed limits
INLINE_VALUE = 16  # fields whose values are all this short go side by side
EMBEDS_TOTAL = 6000  # characters of all embeds of one message together
EMBED_COLOUR = discord.Colour(0x5865F2)
_STYLES = {
    ButtonStyle.PRIMARY: discord.ButtonStyle.primary,
    ButtonStyle.SECONDARY: discord.ButtonStyle.secondary,
    ButtonStyle.DANGER: discord.ButtonStyle.danger,
}


def markdown(text: str) -> str:
    """Neutral markup as Discord markdown."""
    return render(text, Dialect.DISCORD)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def embed(section: Section, footer: str = "") -> discord.Embed:
    """One section as an embed: title, description, fields (side by side when all short)."""
    shown = discord.Embed(
        title=_cut(markdown(section.title), EMBED_TITLE) or None,
        description=markdown(section.text) or None,
        colour=EMBED_COLOUR,
    )
    values = [_cut(markdown(value), FIELD_VALUE) or "\u200b" for _, value in section.fields]
    inline = all(len(value) <= INLINE_VALUE for value in values)  # short ones: in columns
    for (name, _), value in zip(section.fields, values, strict=True):
        shown.add_field(
            name=_cut(markdown(name), FIELD_NAME) or "\u200b", value=value, inline=inline
        )
    if footer:
        shown.set_footer(text=_cut(footer, FOOTER))
    return shown


def embeds(message: Message) -> list[discord.Embed]:
    """The sections as embeds. A section of plain text alone (no title, no fields, no links
    or mentions) after another becomes that embed's footer, as Discord bots show a status
    line; the 6,000 characters of embeds per message are kept as a last resort (the core's
    fitting has split the message already). The image, attached, shows in the last embed."""
    out: list[discord.Embed] = []
    for section in message.sections:
        if out and _footer_like(section) and _fits_footer(out[-1], section.text):
            footer = out[-1].footer.text
            out[-1].set_footer(text=f"{footer}\n{section.text}" if footer else section.text)
            continue
        out.append(embed(section))
    out = _within_total(out)
    if out and message.image is not None:  # shown inside the last embed, as one card
        out[-1].set_image(url=f"attachment://{message.image.filename}")
    return out


def _footer_like(section: Section) -> bool:
    return not section.title and not section.fields and plain(section.text) == section.text


def _fits_footer(shown: discord.Embed, text: str) -> bool:
    return (
        len(shown.footer.text or "") + len(text) + 1 <= FOOTER
        and len(shown) + len(text) < EMBEDS_TOTAL
    )


def _within_total(shown: list[discord.Embed]) -> list[discord.Embed]:
    out: list[discord.Embed] = []
    total = 0
    for one in shown:
        size = len(one)
        if total + size > EMBEDS_TOTAL:
            room = EMBEDS_TOTAL - total - len(one.title or "") - len(one.footer.text or "")
            if room < 20:
                break
            one.description = _cut(one.description or "", room)
            one.clear_fields()
            size = len(one)
        out.append(one)
        total += size
    return out


def view(message: Message) -> discord.ui.View | None:
    """The buttons, five to a row; their custom ids are the core's action ids, so a click is
    routed by the core whenever it comes (after a restart too)."""
    if not message.buttons:
        return None
    shown = discord.ui.View(timeout=None)
    for button in message.buttons:
        shown.add_item(
            discord.ui.Button(
                label=_cut(plain(button.label), DISCORD.button_label_length),  # no markdown
                custom_id=button.action_id,
                style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
            )
        )
    return shown


def files(message: Message) -> list[discord.File]:
    """The image and the file as attachments (sent as multipart form data)."""
    out = []
    if message.image is not None:
        image = message.image
        out.append(discord.File(io.BytesIO(image.data), image.filename, description=image.alt))
    if message.file is not None:
        out.append(discord.File(io.BytesIO(message.file.data), message.file.filename))
    return out


def content(message: Message) -> str | None:
    """The text as Discord markdown (None when there is none)."""
    text = markdown(message.text)
    return text or None


def send_kwargs(message: Message) -> dict[str, Any]:
    """What `Messageable.send` (and an interaction's responses) take for `message`; what is
    empty is left out (Discord refuses an empty `content` with nothing else)."""
    kwargs = {
        "content": content(message),
        "embeds": embeds(message),
        "view": view(message),
        "files": files(message),
    }
    return {key: value for key, value in kwargs.items() if value not in (None, [])}


def edit_kwargs(message: Message) -> dict[str, Any]:
    """What `Message.edit` takes to replace the whole content (buttons and files included)."""
    kwargs: dict[str, Any] = {
        "content": content(message),
        "embeds": embeds(message),
        "view": view(message),
    }
    attached = files(message)
    if attached:
        kwargs["attachments"] = attached
    return kwargs


def forget_view(kwargs: dict[str, Any]) -> None:
    """discord.py keeps a sent view to dispatch its clicks; the core routes them instead."""
    view = kwargs.get("view")
    if isinstance(view, discord.ui.View):
        view.stop()


def modal(form: Form) -> discord.ui.Modal:
    """A form as a modal: its custom id is the form id, each field a text input."""
    shown = discord.ui.Modal(
        title=_cut(plain(form.title), DISCORD.form_title_length),  # modals show no markdown
        custom_id=form.form_id,
        timeout=None,
    )
    for field in form.fields:
        shown.add_item(
            discord.ui.TextInput(
                label=_cut(plain(field.label), DISCORD.form_label_length),
                custom_id=field.field_id,
                style=discord.TextStyle.paragraph if field.multiline else discord.TextStyle.short,
                required=field.required,
                default=field.default or None,
                max_length=min(field.max_length or DISCORD.form_value_length, 4000),
            )
        )
    return shown
