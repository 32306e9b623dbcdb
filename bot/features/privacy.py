"""`/privacy export` and `/privacy forget`: a member's data as JSON, or erased."""

from __future__ import annotations

import json

from bot.core.app import Steward
from bot.core.commands import Option, OptionType
from bot.core.context import CommandContext
from bot.core.feature import Feature
from bot.core.messages import FileData, Message


def install(app: Steward) -> None:
    app.registry.command(
        "privacy export", "Everything Steward keeps about you, as JSON (private)."
    )(export_me)
    app.registry.command(
        "privacy forget",
        "Erase everything Steward keeps about you (asks to confirm).",
        Option("confirm", OptionType.BOOLEAN, help="true to erase"),
    )(forget_me)


async def export_me(ctx: CommandContext) -> None:
    app = ctx.app
    member_id = await app.store.run(app.directory.member_id, ctx.member)
    data = await app.store.run(app.privacy.export, member_id)
    payload = json.dumps(data, indent=2, ensure_ascii=False).encode()
    name = f"steward-export-{ctx.member.platform}-{ctx.member.user_id}.json"
    await ctx.reply(
        Message(
            text=f"Here is everything Steward keeps about you ({len(data['interactions'])} "
            "interactions). Only you can see this.",
            file=FileData(name, payload, "application/json"),
        )
    )


async def forget_me(ctx: CommandContext) -> None:
    if not ctx.options.get("confirm"):
        await ctx.reply(
            "This erases your interaction history, your votes in polls that were not anonymous, "
            "your survey answers, feedback and contest entries. It cannot be undone.\n"
            "To go ahead: `/privacy forget confirm:true`"
        )
        return
    app = ctx.app
    member_id = await app.store.run(app.directory.member_id, ctx.member)
    await app.store.run(app.privacy.forget, member_id)
    app.directory.forget_member(ctx.member.platform, ctx.member.user_id)
    for refresh in app.privacy.after_forget:
        await refresh()
    await ctx.reply(
        "Done: Steward no longer holds anything about you. "
        "Anonymous poll votes were never linked to you and stay counted."
    )


FEATURE = Feature("privacy", install)
