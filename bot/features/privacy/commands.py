"""`/privacy export`, `/privacy forget` and `/privacy hide-me`: a member's data as JSON,
erased, or left out of the names the digest and reports show."""

from __future__ import annotations

import json

from bot.core.app import Steward
from bot.core.commands import Option, OptionType
from bot.core.context import CommandContext
from bot.core.messages import FileData, Message
from bot.features.privacy import store

HIDDEN = (
    "the weekly digest and reports will never name you (not among top contributors, "
    "nor anywhere else); your activity still counts in totals."
)


def install(app: Steward) -> None:
    app.registry.command(
        "privacy export", "Everything Steward keeps about you, as JSON (private)."
    )(export_me)
    app.registry.command(
        "privacy forget",
        "Erase everything Steward keeps about you (asks to confirm).",
        Option("confirm", OptionType.BOOLEAN, help="true to erase"),
    )(forget_me)
    app.registry.command(
        "privacy hide-me",
        "Never be named in the weekly digest and reports (your activity still counts).",
        Option("undo", OptionType.BOOLEAN, help="true to be named again"),
    )(hide_me)
    app.privacy.add("privacy", store.export_member, store.forget_member)


async def export_me(ctx: CommandContext) -> None:
    app = ctx.app
    member_id = await app.store.run(app.directory.member_id, ctx.member)
    data = await app.store.run(app.privacy.export, member_id)
    payload = json.dumps(data, indent=2, ensure_ascii=False).encode()
    name = f"steward-export-{ctx.member.platform}-{ctx.member.user_id}.json"
    hidden = " The digest and reports do not name you." if _hidden(data) else ""
    await ctx.reply(
        Message(
            text=f"Here is everything Steward keeps about you ({len(data['interactions'])} "
            f"interactions). Only you can see this.{hidden}",
            file=FileData(name, payload, "application/json"),
        )
    )


def _hidden(data: dict) -> bool:
    return bool(data.get("privacy", {}).get("hidden_from_digest"))


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


async def hide_me(ctx: CommandContext) -> None:
    """Leave the member's name out of the digest and reports, or (`undo:true`) let it in."""
    app = ctx.app
    member_id = await app.store.run(app.directory.member_id, ctx.member)
    if ctx.options.get("undo"):
        changed = await app.store.run(store.unhide, member_id)
        await ctx.reply(
            ("Done: " if changed else "You were not hidden: ")
            + "the weekly digest and reports may name you again (among top contributors, say). "
            "To be left out: `/privacy hide-me`"
        )
        return
    changed = await app.store.run(store.hide, member_id, ctx.now)
    await ctx.reply(
        ("Done: " if changed else "You are already hidden: ")
        + HIDDEN
        + "\nTo be named again: `/privacy hide-me undo:true`"
    )
