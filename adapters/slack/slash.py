"""Slack's slash commands for the core's registry: one per first word (`/poll`), each with an
optional `[slack] command_prefix`, and the umbrella `/steward <command> …`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from bot.core.commands import CommandSpec, OptionType
from bot.core.messages import Message

UMBRELLA = "steward"  # `/steward poll create …`: works beside another app's `/poll`
NAME_LIMIT = 32  # characters of a Slack slash command, the slash included


def first_words(specs: Iterable[CommandSpec]) -> list[str]:
    """The registry's first words (`calendar`, `poll`, `stats`…), sorted, each once."""
    return sorted({spec.words[0] for spec in specs})


def slash_commands(specs: Iterable[CommandSpec], prefix: str = "") -> dict[str, str]:
    """Every slash command Steward registers → the first word it stands for (the umbrella
    stands for ""): `{"/poll": "poll", …, "/steward": ""}`."""
    names = {f"/{prefix}{word}": word for word in first_words(specs)}
    names[f"/{UMBRELLA}"] = ""
    return names


def help_line(specs: Iterable[CommandSpec], word: str) -> str:
    """What a slash command does, for the manifest: the one command's help, or the list of a
    group's subcommands (`poll: create, close, results`)."""
    group = [spec for spec in specs if spec.words[0] == word]
    if not word:
        return 'Any Steward command: /steward poll create question:… options:"a | b"'
    if len(group) == 1 and len(group[0].words) == 1:
        return group[0].help
    return f"{word}: " + ", ".join(spec.words[1] for spec in group if len(spec.words) > 1)


def usage_hint(specs: Iterable[CommandSpec], word: str) -> str:
    """The text a member types after the slash command (Slack shows it as a hint)."""
    group = [spec for spec in specs if spec.words[0] == word]
    if not word:
        return 'poll create question:… options:"a | b"'
    if len(group) == 1 and len(group[0].words) == 1:
        return " ".join(option.usage() for option in group[0].options)
    return " | ".join(spec.words[1] for spec in group if len(spec.words) > 1)


def to_command(slash: str, text: str, prefix: str = "") -> tuple[str, str]:
    """A slash command as Slack delivers it (`/poll`, `create question:"…"`) → the core's
    command name and text (`poll`, `create question:"…"`); the umbrella's first word is the
    command (`/steward poll create …` → `poll`, `create …`)."""
    name = slash.lstrip("/")
    if name == UMBRELLA:
        head, _, rest = text.strip().partition(" ")
        return head.lower() or "help", rest.strip()
    if prefix and name.startswith(prefix):
        name = name[len(prefix) :]
    return name.lower(), text.strip()


def file_command(specs: Iterable[CommandSpec], text: str) -> tuple[str, str] | None:
    """A file shared with a command as its message (`import skip_bad:true`, or the full
    `calendar import …`) → the core's command name and text; None when the message names
    no command that takes a file. Slack's slash commands carry no files, so this is how a
    manager gives one."""
    words = text.strip().lstrip("/").split()
    if not words:
        return None
    for spec in specs:
        if not any(option.type is OptionType.ATTACHMENT for option in spec.options):
            continue
        size = len(spec.words)
        if [w.lower() for w in words[:size]] == list(spec.words):
            return spec.words[0], " ".join([*spec.words[1:], *words[size:]])
        if words[0].lower() == spec.words[-1]:
            return spec.words[0], " ".join([*spec.words[1:], *words[1:]])
    return None


def renamer(words: Iterable[str], prefix: str) -> Callable[[Message], Message]:
    """What writes a message's commands (`/poll create`) as this workspace types them
    (`/sw-poll create`): built once for the registry's first `words`; without a prefix,
    messages pass unchanged."""
    if not prefix:
        return lambda message: message
    names = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w/.:-])/({names})(?![\w-])")

    def named(text: str) -> str:
        return pattern.sub(lambda found: f"/{prefix}{found.group(1)}", text)

    def rename(message: Message) -> Message:
        sections = tuple(
            replace(
                section,
                title=named(section.title),
                text=named(section.text),
                fields=tuple((named(name), named(value)) for name, value in section.fields),
            )
            for section in message.sections
        )
        return replace(message, text=named(message.text), sections=sections)

    return rename
