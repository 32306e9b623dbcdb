"""The core's command registry as Discord application commands, and syncing them only when
they changed (Discord rate-limits registering commands)."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal, Union

import discord
from discord import app_commands

from bot.core.commands import CommandRegistry, CommandSpec, Option, OptionType

log = logging.getLogger(__name__)

Run = Callable[[discord.Interaction, CommandSpec, dict[str, Any]], Awaitable[None]]

_TYPES: dict[OptionType, Any] = {
    OptionType.STRING: str,
    OptionType.INTEGER: int,
    OptionType.NUMBER: float,
    OptionType.BOOLEAN: bool,
    OptionType.CHANNEL: Union[discord.TextChannel, discord.Thread],  # noqa: UP007
    OptionType.USER: Union[discord.Member, discord.User],  # noqa: UP007
    OptionType.ROLE: discord.Role,
    OptionType.ATTACHMENT: discord.Attachment,
}


def _annotation(option: Option) -> Any:
    """The type discord.py reads an option's Discord type, choices and range from."""
    if option.choices:
        return Literal[option.choices]
    base = _TYPES[option.type]
    if option.type in (OptionType.INTEGER, OptionType.NUMBER) and (
        option.min_value is not None or option.max_value is not None
    ):
        return app_commands.Range[base, option.min_value, option.max_value]
    if option.type is OptionType.STRING and option.max_length is not None:
        return app_commands.Range[str, None, option.max_length]
    return base


def _callback(spec: CommandSpec, run: Run) -> Callable[..., Awaitable[None]]:
    """A callback whose signature declares `spec`'s options, calling `run` with what came.

    The parameters are named `o0`, `o1`, … and renamed to the options' names for Discord,
    so any option name Discord allows works (`from`, `start-date`, `interaction`).
    """
    names = {f"o{index}": option.name for index, option in enumerate(spec.options)}

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await run(interaction, spec, {names[key]: value for key, value in values.items()})

    parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    for key, option in zip(names, spec.options, strict=True):
        parameters.append(
            inspect.Parameter(
                key,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(option),
                default=inspect.Parameter.empty if option.required else None,
            )
        )
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__qualname__ = callback.__name__ = "steward_" + "_".join(spec.words).replace("-", "_")
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        key: option.help or option.name for key, option in zip(names, spec.options, strict=True)
    }
    callback.__discord_app_commands_param_rename__ = names  # type: ignore[attr-defined]
    return callback


def build_tree(tree: app_commands.CommandTree, registry: CommandRegistry, run: Run) -> None:
    """Add every command of `registry` to `tree`: `poll create` as group `poll`, subcommand
    `create`; typed options with their choices, ranges and descriptions; guild only."""
    groups: dict[str, app_commands.Group] = {}
    for spec in sorted(registry, key=lambda s: s.name):
        words = spec.words
        command = app_commands.Command(
            name=words[-1], description=spec.help, callback=_callback(spec, run)
        )
        if len(words) == 1:
            command.guild_only = True
            tree.add_command(command)
            continue
        group = groups.get(words[0])
        if group is None:
            group = groups[words[0]] = app_commands.Group(
                name=words[0], description=registry.group_help(words[0]), guild_only=True
            )
            tree.add_command(group)
        group.add_command(command)


def payload(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> list[dict]:
    """What syncing `tree` sends to Discord."""
    return [command.to_dict(tree) for command in tree.get_commands(guild=guild)]


def fingerprint(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> str:
    """A digest of the commands as registered: equal when nothing Discord sees changed."""
    text = json.dumps(payload(tree, guild), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
