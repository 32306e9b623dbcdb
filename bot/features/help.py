"""`/help`: the commands this member may run where they are."""

from __future__ import annotations

from bot.app import Steward
from bot.commands import Access
from bot.context import CommandContext
from bot.messages import Message, Section


def install(app: Steward) -> None:
    app.registry.command("help", "List the commands you can run here.")(show_help)


async def show_help(ctx: CommandContext) -> None:
    """Reply privately with every command this member may run in this channel."""
    registry = ctx.app.registry
    available = registry.available(ctx.member.is_manager, ctx.channel.is_admin)
    lines = [f"`{spec.usage()}` — {spec.help}" for spec in available]
    sections = [Section(title="Commands you can run here", text="\n".join(lines))]
    if ctx.member.is_manager and not ctx.channel.is_admin:
        managed = [s for s in registry if s.access is Access.MANAGER]
        if managed:
            admin = ctx.app.adapter(ctx.event.platform).admin_channel
            sections.append(
                Section(text=f"{len(managed)} manager commands work in #{admin}; run /help there.")
            )
    await ctx.reply(Message(text="Steward help", sections=tuple(sections)))
