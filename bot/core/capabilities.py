"""What each adapter declares about its platform: limits, markup dialect, interaction deadline.

The core fits content within these (long text is split, never rejected) and features read a
limit from here (`app.capabilities(platform)`), never from a constant that names a platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Dialect(StrEnum):
    """How neutral markup (bot.core.markup) is written on a platform."""

    PLAIN = "plain"  # the console: bold as plain words, code in backticks, `label (url)` links
    DISCORD = "discord"  # Discord markdown: **bold**, [label](url), <@id>, <#id>
    SLACK = "slack"  # Slack mrkdwn: *bold*, <url|label>, <@id>, <#id>


@dataclass(frozen=True)
class Capabilities:
    """One platform's limits and abilities. Defaults are the strictest of Discord and Slack."""

    message_length: int = 2000  # characters of text in one message
    section_text_length: int = 3000  # characters in one section's text (a Slack block)
    sections_per_message: int = 10  # Discord: 10 embeds per message
    fields_per_section: int = 25  # Discord: 25 embed fields
    sections_total_length: int | None = None  # Discord: 6,000 characters over all embeds
    buttons_per_message: int = 25  # Discord: 5 rows of 5; Slack: 25 elements per actions block
    button_label_length: int = 80  # Discord: 80; Slack: 75 (the adapter declares its own)
    form_title_length: int = 24  # Slack: 24 characters; Discord: 45
    fields_per_form: int = 5  # Discord: 5 text inputs per modal
    form_label_length: int = 45  # Discord: 45 characters per text input label
    form_value_length: int = 4000  # Discord: 4000 per text input
    option_choices: int = 25  # choices per command option (Discord)
    dialect: Dialect = Dialect.PLAIN
    ack_seconds: float = 3.0  # an interaction must be acknowledged within this (both: 3 s)
    threads: bool = True  # messages can go in a thread under a channel message
    direct_messages: bool = True  # the bot can message one member privately
    ephemeral: bool = True  # a reply only one member sees, in the channel


CONSOLE = Capabilities(
    message_length=4000,
    form_title_length=80,
    fields_per_form=10,
    form_label_length=200,
    dialect=Dialect.PLAIN,
    ack_seconds=3.0,
)
