"""The registry as an application command tree: any option name Discord allows works."""

from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.command_tree import build_tree, fingerprint, payload
from bot.core.commands import CommandRegistry, CommandSpec, Option, OptionType


async def _nothing(ctx) -> None:
    return None


def _registry() -> CommandRegistry:
    registry = CommandRegistry()
    options = (
        Option("from", OptionType.STRING, "the first day", required=True),
        Option("start-date", OptionType.INTEGER, "a number", min_value=1, max_value=9),
        Option("interaction", OptionType.BOOLEAN, "a flag"),
    )
    registry.add(CommandSpec("report make", "make a report", _nothing, options=options))
    return registry


async def test_option_names_that_are_not_python_names_reach_the_handler_as_declared():
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
    seen: list[dict] = []

    async def run(interaction, spec, options) -> None:
        seen.append(options)

    build_tree(tree, _registry(), run)
    [group] = payload(tree, None)
    [command] = group["options"]
    assert [o["name"] for o in command["options"]] == ["from", "start-date", "interaction"]
    assert command["options"][1]["max_value"] == 9
    [make] = tree.get_command("report").commands  # type: ignore[union-attr]
    await make.callback(None, o0="monday", o1=3, o2=True)  # as discord.py calls it
    assert seen == [{"from": "monday", "start-date": 3, "interaction": True}]


def test_the_fingerprint_changes_with_what_discord_would_see():
    def tree_for(registry: CommandRegistry) -> app_commands.CommandTree:
        tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))
        build_tree(tree, registry, _nothing)  # type: ignore[arg-type]
        return tree

    before = fingerprint(tree_for(_registry()), None)
    assert fingerprint(tree_for(_registry()), None) == before
    changed = _registry()
    changed.add(CommandSpec("report list", "list reports", _nothing))
    assert fingerprint(tree_for(changed), None) != before
