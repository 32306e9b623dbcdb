"""`/stats me` for members, `/stats members` for managers: the segments, told privately."""

from __future__ import annotations

from bot.core.app import Steward
from bot.core.commands import ECHO_LIMIT, Access, Option
from bot.core.context import CommandContext
from bot.core.errors import UsageError
from bot.core.messages import Message, Section
from bot.features.member_stats.engagement import stats_me
from bot.features.member_stats.segments import (
    ACTIVE_DAYS,
    LURKING_DAYS,
    NEW_DAYS,
    RETURNING_GAP_DAYS,
    Segments,
    segments_by_platform,
    total,
)
from bot.text.excerpts import excerpt

PLATFORM_NAMES = {"discord": "Discord", "slack": "Slack", "console": "the console"}
DEFINITIONS = (
    f"New: joined in the last {NEW_DAYS} days.",
    f"Active: an interaction in the last {ACTIVE_DAYS} days.",
    f"Returning: active now, after no interaction in the {RETURNING_GAP_DAYS} days before those "
    f"{ACTIVE_DAYS} (and a member before then).",
    f"Lurking: no interaction in the last {LURKING_DAYS} days.",
    "An interaction is a message, reply, reaction, share, thread, edit, command, button click "
    "or form; joining and leaving are not.",
    "A member can be in more than one segment (a newcomer who posted is new and active). "
    "Bots and members who left are not counted.",
)


def install(app: Steward) -> None:
    command = app.registry.command
    command("stats me", "Your own engagement in the last 7 and 30 days (private).")(stats_me)
    command(
        "stats members",
        "Member segments: new, active, returning, lurking, and where join dates come from.",
        Option("platform", help="only this platform's members (discord, slack, …)"),
        access=Access.MANAGER,
    )(stats_members)


async def stats_members(ctx: CommandContext) -> None:
    """Reply privately with the segments of every platform's members, or of one platform's."""
    wanted = ctx.options.get("platform", "").strip().lower()
    found = await ctx.app.store.run(segments_by_platform, ctx.now)
    if wanted and wanted not in found:
        known = ", ".join(sorted(found)) or "none yet"
        shown = excerpt(wanted, ECHO_LIMIT)
        raise UsageError(
            f"No members are counted on `{shown}`. Platforms with members: {known}.",
            ctx.spec.usage() if ctx.spec else "",
        )
    picked = {wanted: found[wanted]} if wanted else found
    await ctx.reply(render_segments(picked, platform_name(wanted) if wanted else None))


def platform_name(platform: str) -> str:
    """A platform as managers call it (Discord), or its id as stored when Steward has none."""
    return PLATFORM_NAMES.get(platform, platform)


def render_segments(by_platform: dict[str, Segments], only: str | None = None) -> Message:
    """The four counts and the total, what each segment means, where join dates came from."""
    counts = total(by_platform.values())
    fields = (
        ("New", str(counts.new)),
        ("Active", str(counts.active)),
        ("Returning", str(counts.returning)),
        ("Lurking", str(counts.lurking)),
        ("Members counted", str(counts.members)),
    )
    joins = tuple((platform_name(p), _join_sources(p, s)) for p, s in sorted(by_platform.items()))
    return Message(
        text=f"Member segments on {only}" if only else "Member segments, all platforms",
        sections=(
            Section(fields=fields),
            Section(title="What they mean", text="\n".join(DEFINITIONS)),
            Section(title="Join dates", fields=joins, text="" if joins else "No members yet."),
        ),
    )


def _join_sources(platform: str, segments: Segments) -> str:
    parts = [
        f"{segments.joined_from_platform} from {platform_name(platform)}",
        f"{segments.joined_from_first_seen} from when Steward first saw them",
    ]
    if segments.joined_unknown:
        parts.append(f"{segments.joined_unknown} with no date known (never new or returning)")
    return ", ".join(parts)
