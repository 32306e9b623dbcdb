"""Discord's rules for application commands, checked on the registry as declared.

A registry that passes them registers on Discord as is (a command `poll create` becomes the
top-level command `poll` with the subcommand `create`), and so on every platform that is
less strict. Each violation is a sentence naming the command and the rule it breaks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.commands import CommandSpec, Option

RANGED = ("integer", "number")  # the option types that take min_value and max_value

NAME = re.compile(r"[-_a-z0-9]{1,32}")  # every word of a command name, every option name
DESCRIPTION_MAX = 100  # characters of a command's or an option's description (at least 1)
TOP_LEVEL_MAX = 100  # global chat-input commands an application may register
SUBCOMMANDS_MAX = 25  # subcommands under one top-level command
OPTIONS_MAX = 25  # options of one command
CHOICES_MAX = 25  # choices of one option
CHOICE_MAX = 100  # characters of one choice's name and value
STRING_MAX = 6000  # the largest max_length of a string option
COMBINED_MAX = 4000  # characters of a top-level command's names, descriptions and choices


def violations(registry: Iterable[CommandSpec]) -> list[str]:
    """Every way `registry` breaks Discord's rules, one sentence each; empty when it passes."""
    specs = sorted(registry, key=lambda s: s.name)
    found = [*_shape(specs)]
    for spec in specs:
        found.extend(_command(spec))
    return found


def _shape(specs: list[CommandSpec]) -> Iterator[str]:
    """Commands that are also groups, and the counts of top-level commands and subcommands."""
    names = {s.name for s in specs}
    groups: dict[str, list[str]] = {}
    for spec in specs:
        if len(spec.words) > 1:
            groups.setdefault(spec.words[0], []).append(spec.name)
    for group, members in groups.items():
        if group in names:
            yield (
                f"/{group} is both a command and the group of {_listed(members)}: "
                "a name is one or the other."
            )
        if len(members) > SUBCOMMANDS_MAX:
            yield f"/{group} has {len(members)} subcommands; the limit is {SUBCOMMANDS_MAX}."
    top = {s.words[0] for s in specs}
    if len(top) > TOP_LEVEL_MAX:
        yield f"There are {len(top)} top-level commands; the limit is {TOP_LEVEL_MAX}."
    for group in sorted(top):
        size = sum(_characters(s) for s in specs if s.words[0] == group)
        if size > COMBINED_MAX:
            yield (
                f"/{group} has {size} characters of names, descriptions and choices; "
                f"the limit is {COMBINED_MAX}."
            )


def _command(spec: CommandSpec) -> Iterator[str]:
    """One command's own rules: its words, description, options and their order."""
    for word in spec.words:
        if not NAME.fullmatch(word):
            yield f"/{spec.name}: the name part {word!r} does not match {NAME.pattern}."
    if not 1 <= len(spec.help) <= DESCRIPTION_MAX:
        yield (
            f"/{spec.name}: its description is {len(spec.help)} characters; "
            f"it must be 1 to {DESCRIPTION_MAX}."
        )
    if len(spec.options) > OPTIONS_MAX:
        yield f"/{spec.name} has {len(spec.options)} options; the limit is {OPTIONS_MAX}."
    seen_optional = None
    for option in spec.options:
        yield from _option(spec, option)
        if option.required and seen_optional is not None:
            yield (
                f"/{spec.name}: the required option `{option.name}` comes after the optional "
                f"`{seen_optional}`; required options come first."
            )
        if not option.required and seen_optional is None:
            seen_optional = option.name


def _option(spec: CommandSpec, option: Option) -> Iterator[str]:
    where = f"/{spec.name} option `{option.name}`"
    if not NAME.fullmatch(option.name):
        yield f"{where}: the name does not match {NAME.pattern}."
    if not 1 <= len(option.help) <= DESCRIPTION_MAX:
        yield (
            f"{where}: its description is {len(option.help)} characters; "
            f"it must be 1 to {DESCRIPTION_MAX}."
        )
    ranged = option.min_value is not None or option.max_value is not None
    if ranged and option.type not in RANGED:
        yield f"{where}: a {option.type.value} option has no min or max value."
    if option.max_length is not None and (
        option.type != "string" or not 1 <= option.max_length <= STRING_MAX
    ):
        yield f"{where}: a max length is for string options, from 1 to {STRING_MAX}."
    if len(option.choices) > CHOICES_MAX:
        yield f"{where} has {len(option.choices)} choices; the limit is {CHOICES_MAX}."
    for choice in option.choices:
        if not 1 <= len(choice) <= CHOICE_MAX:
            yield (
                f"{where}: the choice {choice[:20]!r} is {len(choice)} characters; "
                f"it must be 1 to {CHOICE_MAX}."
            )


def _characters(spec: CommandSpec) -> int:
    """What Discord counts against the combined limit for this command (its group's name once
    per subcommand is an overestimate of a few characters, on the safe side)."""
    options = sum(
        len(o.name) + len(o.help) + 2 * sum(len(c) for c in o.choices) for o in spec.options
    )
    return len(spec.name) + len(spec.help) + options


def _listed(names: list[str]) -> str:
    return ", ".join(f"/{n}" for n in names)
