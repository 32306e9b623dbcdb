"""`/help`: the commands this member may run where they are, or one command in detail."""

from __future__ import annotations

from bot.core.app import Steward
from bot.core.commands import ECHO_LIMIT, Access, CommandSpec, Option, may_run
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.feature import Feature
from bot.core.markup import channel_mention
from bot.core.messages import Message, Section
from bot.text.excerpts import excerpt

_QUOTES = "\"'“”‘’"


def install(app: Steward) -> None:
    app.registry.command(
        "help",
        "List the commands you can run here, or explain one: /help poll",
        Option("command", help="a command name, like poll or calendar add"),
    )(show_help)


async def show_help(ctx: CommandContext) -> None:
    """Reply privately with the commands this member may run here, or the details of some."""
    wanted = _command_name(ctx.options.get("command", ""))
    if wanted:
        await ctx.reply(_details(ctx, wanted))
        return
    registry = ctx.app.registry
    available = registry.available(ctx.member.is_manager, ctx.channel.is_admin)
    lines = [f"`{spec.usage()}` — {spec.help}" for spec in available]
    sections = [Section(title="Commands you can run here", text="\n".join(lines))]
    if ctx.member.is_manager and not ctx.channel.is_admin:
        managed = [s for s in registry if s.access is Access.MANAGER]
        if managed:
            admin = await _managers_channel(ctx)
            sections.append(
                Section(text=f"{len(managed)} manager commands work in {admin}; run /help there.")
            )
    await ctx.reply(Message(text="Steward help", sections=tuple(sections)))


async def _managers_channel(ctx: CommandContext) -> str:
    """The managers' channel as the platform links one (its setting may be an id)."""
    adapter = ctx.app.adapter(ctx.event.platform)
    found = await adapter.find_channel(adapter.admin_channel)
    if found is None:
        return f"#{adapter.admin_channel}"
    return channel_mention(found.channel_id, found.name)


def _command_name(text: str) -> str:
    """`poll create` from `poll create`, `"poll create"`, `/poll  create` or `“/Poll create”`."""
    return " ".join(text.strip().strip(_QUOTES).strip().lstrip("/").lower().split())


def _details(ctx: CommandContext, wanted: str) -> Message:
    """The command `wanted` names and its relatives: `/help feedback` shows /feedback and
    /feedback-summary, `/help poll` every /poll subcommand; `/help feedback summary` finds
    /feedback-summary, as a name once written with a space may now be hyphenated."""
    name = next((n for n in (wanted, wanted.replace(" ", "-")) if _family(ctx, n)), None)
    if name is None:
        shown = excerpt(wanted, ECHO_LIMIT)
        raise UsageError(f"There is no command `/{shown}`. Type `/help` to see them all.")
    specs = _family(ctx, name)
    return Message(text=f"Help for /{name}", sections=tuple(_section(ctx, s) for s in specs))


def _family(ctx: CommandContext, wanted: str) -> list[CommandSpec]:
    """`wanted` and the commands named `wanted …` or `wanted-…`."""
    prefixes = (wanted + " ", wanted + "-")
    return [s for s in ctx.app.registry if s.name == wanted or s.name.startswith(prefixes)]


def _section(ctx: CommandContext, spec: CommandSpec) -> Section:
    fields = tuple((o.name, _describe(o)) for o in spec.options)
    refusal = may_run(spec, ctx.member.is_manager, ctx.channel.is_admin)
    note = f"\n({refusal})" if refusal else ""
    return Section(title=spec.usage(), text=spec.help + note, fields=fields)


def _describe(option: Option) -> str:
    kind = "required" if option.required else "optional"
    choices = f"; one of {', '.join(option.choices)}" if option.choices else ""
    return f"{option.help or option.type.value} ({kind}{choices})"


FEATURE = Feature("help", install)
