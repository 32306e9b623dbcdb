"""The command registry: each command is declared once, with typed options, help, and who/where."""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from bot.core import command_rules
from bot.core.command_text import parse_command_text
from bot.core.errors import UsageError
from bot.core.events import ChannelRef, CommandInvoked, MemberRef, RoleRef
from bot.text.excerpts import excerpt

# The largest whole number an option takes: what every database's INTEGER column holds
# (PostgreSQL's is 32-bit), so an id or a count never overflows the store.
INTEGER_LIMIT = 2**31 - 1
ECHO_LIMIT = 40  # a member's words quoted back in a refusal are cut to this many characters
N = TypeVar("N", int, float)

_COMMAND_NAME = re.compile(r"[a-z][a-z0-9_-]*(?: [a-z][a-z0-9_-]*)?")  # a command, a subcommand
_LEADING_WORDS = {
    n: re.compile(r"\s*" + r"\s+".join([r"[^\s:]+"] * n) + r"(?=\s|$)") for n in (1, 2)
}


class OptionType(StrEnum):
    STRING = "string"
    INTEGER = "integer"
    NUMBER = "number"  # a float; min_value/max_value apply
    BOOLEAN = "boolean"
    CHANNEL = "channel"  # the value is a ChannelRef (bot.core.option_refs looks up text)
    USER = "user"  # a MemberRef
    ROLE = "role"  # a RoleRef
    ATTACHMENT = "attachment"


# What a channel, user or role option's value is once resolved; text naming one is looked up
# by bot.core.option_refs before the handler runs.
REF_TYPES: dict[OptionType, type] = {
    OptionType.CHANNEL: ChannelRef,
    OptionType.USER: MemberRef,
    OptionType.ROLE: RoleRef,
}


class Access(StrEnum):
    MEMBER = "member"  # any member, any channel
    MANAGER = "manager"  # manager role, only in the managers' private channel


@dataclass(frozen=True)
class Option:
    """A typed command option; `choices` limits a string option to known words, `min_value`
    and `max_value` an integer or number option to a range."""

    name: str
    type: OptionType = OptionType.STRING
    help: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    min_value: int | float | None = None
    max_value: int | float | None = None
    max_length: int | None = None

    def usage(self) -> str:
        sample = "|".join(self.choices) if self.choices else f"<{self.type.value}>"
        if self.type is OptionType.ATTACHMENT:
            return f"({self.help or 'attach a file'})" if self.required else "[attachment]"
        text = f"{self.name}:{sample}"
        return text if self.required else f"[{text}]"

    def convert(self, raw: object, usage: str) -> object:
        """Convert a raw value (text or platform-typed) to this type, or raise UsageError.

        A channel, user or role option keeps a platform's ref as it is and text as text, for
        bot.core.option_refs to look up (that needs the adapter).
        """
        if self.type is OptionType.BOOLEAN:
            return _to_bool(self.name, raw, usage)
        if self.type is OptionType.INTEGER:
            return self._to_int(raw, usage)
        if self.type is OptionType.NUMBER:
            return self._to_number(raw, usage)
        if self.type in REF_TYPES:
            return self._ref_or_text(raw, usage)
        text = str(raw).strip()
        if self.required and not text:
            raise UsageError(f"`{self.name}` cannot be empty.", usage)
        if self.max_length is not None and len(text) > self.max_length:
            raise UsageError(
                f"`{self.name}` is {len(text)} characters; the limit is {self.max_length}.", usage
            )
        if self.choices and text.lower() not in self.choices:
            raise UsageError(
                f"`{self.name}` must be one of {', '.join(self.choices)} (got {text!r}).", usage
            )
        return text.lower() if self.choices else text

    def _to_int(self, raw: object, usage: str) -> int:
        shown = excerpt(str(raw), ECHO_LIMIT)
        try:
            value = int(str(raw).strip())
        except ValueError:
            message = f"`{self.name}` must be a whole number (got {shown!r})."
            raise UsageError(message, usage) from None
        if abs(value) > INTEGER_LIMIT:
            low = -INTEGER_LIMIT if self.min_value is None else self.min_value
            high = INTEGER_LIMIT if self.max_value is None else self.max_value
            message = (
                f"`{self.name}` must be a whole number from {low:,} to {high:,} (got {shown})."
            )
            raise UsageError(message, usage)
        return self._in_range(value, usage)

    def _to_number(self, raw: object, usage: str) -> float:
        try:
            value = float(str(raw).strip()) if not isinstance(raw, bool) else math.nan
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            shown = excerpt(str(raw), ECHO_LIMIT)
            raise UsageError(f"`{self.name}` must be a number (got {shown!r}).", usage)
        return self._in_range(value, usage)

    def _in_range(self, value: N, usage: str) -> N:
        if self.min_value is not None and value < self.min_value:
            raise UsageError(f"`{self.name}` must be at least {self.min_value}.", usage)
        if self.max_value is not None and value > self.max_value:
            raise UsageError(f"`{self.name}` must be at most {self.max_value}.", usage)
        return value

    def _ref_or_text(self, raw: object, usage: str) -> object:
        expected = REF_TYPES[self.type]
        if isinstance(raw, expected):
            return raw
        if isinstance(raw, ChannelRef | MemberRef | RoleRef):
            raise UsageError(f"`{self.name}` must be a {self.type.value}.", usage)
        text = str(raw).strip()
        if self.required and not text:
            raise UsageError(f"`{self.name}` cannot be empty.", usage)
        return text


def _to_bool(name: str, raw: object, usage: str) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in {"true", "yes", "y", "1", "on"}:
        return True
    if text in {"false", "no", "n", "0", "off"}:
        return False
    raise UsageError(f"`{name}` must be true or false (got {raw!r}).", usage)


Handler = Callable[[Any], Awaitable[None]]  # called with a bot.core.context.CommandContext


@dataclass(frozen=True)
class CommandSpec:
    """One command: its words (`poll create`), options, help line, access rule and handler."""

    name: str
    help: str
    handler: Handler
    options: tuple[Option, ...] = ()
    access: Access = Access.MEMBER

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    def usage(self) -> str:
        return " ".join([f"/{self.name}", *(o.usage() for o in self.options)])

    def option(self, name: str) -> Option | None:
        return next((o for o in self.options if o.name == name), None)

    def bind(self, raw: dict[str, object]) -> dict[str, Any]:
        """Check and convert raw option values; raise UsageError naming what is wrong."""
        usage = self.usage()
        unknown = [key for key in raw if self.option(key) is None]
        if unknown:
            known = ", ".join(o.name for o in self.options) or "none"
            shown = excerpt(unknown[0], ECHO_LIMIT)
            raise UsageError(f"`/{self.name}` has no option `{shown}` (options: {known}).", usage)
        values: dict[str, Any] = {}
        for option in self.options:
            if option.type is OptionType.ATTACHMENT:
                continue
            if option.name in raw:
                values[option.name] = option.convert(raw[option.name], usage)
            elif option.required:
                raise UsageError(f"`/{self.name}` needs `{option.name}`.", usage)
        return values


@dataclass
class CommandRegistry:
    """Every command Steward knows; adapters read it to register commands their own way."""

    _commands: dict[str, CommandSpec] = field(default_factory=dict)

    def add(self, spec: CommandSpec) -> None:
        """Register `spec`; a malformed name, or one already declared, is a ValueError."""
        if not _COMMAND_NAME.fullmatch(spec.name):
            raise ValueError(
                f"command name {spec.name!r} must be lowercase words separated by one space"
            )
        if spec.name in self._commands:
            raise ValueError(f"command /{spec.name} is declared twice")
        self._commands[spec.name] = spec

    def command(
        self, name: str, help: str, *options: Option, access: Access = Access.MEMBER
    ) -> Callable[[Handler], Handler]:
        """Decorator form of `add`."""

        def register(handler: Handler) -> Handler:
            self.add(CommandSpec(name, help, handler, tuple(options), access))
            return handler

        return register

    def __iter__(self):
        return iter(sorted(self._commands.values(), key=lambda s: s.name))

    def get(self, name: str) -> CommandSpec | None:
        return self._commands.get(" ".join(name.split()))

    def name_command(self, event: CommandInvoked) -> CommandInvoked:
        """The event with its full command name (`poll create`) split off its text, if known.

        Text platforms deliver only the first word as the name; the log records the full one.
        """
        full = f"{event.name} {event.text}".strip()
        for size in (2, 1):
            head = _LEADING_WORDS[size].match(full)
            if head and head.group(0).strip().lower() in self._names():
                name = " ".join(head.group(0).split()).lower()
                return replace(event, name=name, text=full[head.end() :].strip())
        return event

    def _names(self) -> set[str]:
        return set(self._commands)

    def group_help(self, group: str) -> str:
        """The description of a group (Discord shows one for `/poll` above its subcommands):
        its subcommands' names, within the 100 characters Discord allows."""
        subcommands = [s.words[1] for s in self if s.words[0] == group and len(s.words) == 2]
        text = f"{group} commands: {', '.join(subcommands)}"
        return excerpt(text, command_rules.DESCRIPTION_MAX)

    def violations(self) -> list[str]:
        """Every way these commands break Discord's rules (empty: they register as is)."""
        return command_rules.violations(self)

    def available(self, is_manager: bool, in_admin_channel: bool) -> list[CommandSpec]:
        """The commands a member may run where they are."""
        return [s for s in self if may_run(s, is_manager, in_admin_channel) is None]

    def resolve_text(self, text: str) -> tuple[CommandSpec, dict[str, object]]:
        """Find the command a text line names and its raw options; raise UsageError if none."""
        words, options = parse_command_text(text)
        if not words:
            raise UsageError("Commands start with a name, like `/help`.")
        for size in range(len(words), 0, -1):
            spec = self.get(" ".join(words[:size]).lower())
            if spec is not None:
                return spec, _fold_positional(spec, words[size:], options)
        return self.refuse_unknown(words)

    def refuse_unknown(self, words: Iterable[str]) -> NoReturn:
        """Raise the refusal for a command name nobody declared (sibling names suggested)."""
        words = [word.lower() for word in words]
        siblings = [s.name for s in self if s.words[0] == words[0]]
        if siblings:
            listed = ", ".join(f"/{n}" for n in siblings)
            shown = excerpt(" ".join(words), ECHO_LIMIT)
            raise UsageError(f"`/{shown}` is not a command. Did you mean: {listed}?")
        raise UsageError(
            f"`/{excerpt(words[0], ECHO_LIMIT)}` is not a command. "
            "Type `/help` to see what you can run here."
        )


def _fold_positional(
    spec: CommandSpec, extra_words: list[str], options: dict[str, object]
) -> dict[str, object]:
    """Free words after the command fill its first missing required option (`/feedback great`)."""
    free = " ".join(extra_words).strip()
    if not free:
        return options
    required = [o for o in spec.options if o.required and o.type is not OptionType.ATTACHMENT]
    target = next((o for o in required if o.name not in options), None)
    if target is None and len(spec.options) == 1 and spec.options[0].name not in options:
        target = spec.options[0]  # a command's only option takes free words: `/help poll`
    if target is None:
        shown = excerpt(free, ECHO_LIMIT)
        raise UsageError(
            f"I did not understand {shown!r}; write options as name:value.", spec.usage()
        )
    return {**options, target.name: free}


def may_run(spec: CommandSpec, is_manager: bool, in_admin_channel: bool) -> str | None:
    """None when allowed; otherwise why not, in words a member understands."""
    if spec.access is Access.MANAGER:
        if not is_manager:
            return f"`/{spec.name}` is for community managers."
        if not in_admin_channel:
            return f"`/{spec.name}` works only in the managers' channel."
    return None
