"""`/objective set|list|remove`: managers' targets on named metrics, judged by the digest."""

from __future__ import annotations

from datetime import datetime

from bot.core.app import Steward
from bot.core.commands import ECHO_LIMIT, Access, Option, OptionType
from bot.core.context import CommandContext
from bot.core.directory import Directory
from bot.core.errors import UsageError
from bot.core.events import MemberRef
from bot.core.markup import bold, literal
from bot.core.messages import Message, Section
from bot.features.objectives import store
from bot.features.objectives.metrics import (
    DIRECTIONS,
    METRICS,
    BadTarget,
    Metric,
    find_metric,
    metrics_list,
)
from bot.features.objectives.store import MAX_NAME, Objective, Saved
from bot.text.excerpts import excerpt
from bot.text.when import format_local

SET_EXAMPLE = "/objective set metric:weekly_active_members target:50"


def install(app: Steward) -> None:
    command = app.registry.command
    command(
        "objective set",
        "Set a target on a metric; each weekly digest says whether it was met.",
        Option("metric", required=True, help="what to measure, like weekly_active_members"),
        Option("target", required=True, help="the figure to reach: 50, 40%, 30 min, 0.2"),
        Option(
            "direction",
            choices=DIRECTIONS,
            help="default at_most for response minutes, else at_least",
        ),
        Option("name", max_length=MAX_NAME, help="how the digest names it (default: the metric)"),
        access=Access.MANAGER,
    )(set_objective)
    command("objective list", "The objectives and their targets.", access=Access.MANAGER)(
        list_objectives
    )
    command(
        "objective remove",
        "Stop judging an objective (past digests keep it).",
        Option("id", OptionType.INTEGER, required=True, min_value=1, help="the objective's #"),
        access=Access.MANAGER,
    )(remove_objective)
    app.privacy.add("objectives", store.export_member, store.forget_member)


async def set_objective(ctx: CommandContext) -> None:
    """Check the metric and the target, store the objective, say what changed."""
    metric = _metric(ctx)
    try:
        target = metric.parse_target(ctx.options["target"])
    except BadTarget as bad:
        raise _refusal(f"`target`: {bad}.", ctx) from None
    direction = ctx.options.get("direction") or metric.direction
    name = " ".join(literal(ctx.options.get("name", "")).split()) or None
    goal = (metric, direction, target, name)
    saved = await ctx.app.store.run(_save, ctx.app.directory, ctx.member, goal, ctx.now)
    await ctx.reply(_saved_text(saved, metric))


def _save(session, directory: Directory, member: MemberRef, goal: tuple, at: datetime) -> Saved:
    member_id = directory.member_id(session, member, at)
    return store.set_objective(session, *goal, member_id, at)


def _metric(ctx: CommandContext) -> Metric:
    raw = str(ctx.options["metric"])
    metric = find_metric(raw)
    if metric is None:
        raise _refusal(f"There is no metric {excerpt(raw.strip(), ECHO_LIMIT)!r}.", ctx)
    return metric


def _refusal(reason: str, ctx: CommandContext) -> UsageError:
    """A private refusal that lists every metric with the targets it takes."""
    return UsageError(
        f"{reason}\nThe metrics, and the targets they take:\n{metrics_list()}", ctx.usage()
    )


def _saved_text(saved: Saved, metric: Metric) -> str:
    row = saved.objective
    goal = describe_goal(row)
    if saved.replaced is None:
        return (
            f"🎯 Objective #{row.id} “{row.name}” is set: {goal}. "
            "Every weekly digest says whether it was met."
        )
    renamed = f" (renamed from “{saved.old_name}”)" if saved.old_name != row.name else ""
    was = metric.format(saved.replaced)
    return (
        f"🎯 Objective #{row.id} “{row.name}”{renamed} already aimed at {metric.key} "
        f"{_words(row.direction)}; its target is replaced: {was} → {metric.format(row.target)}."
    )


def describe_goal(row: Objective) -> str:
    """`weekly_active_members at least 50`."""
    metric = METRICS.get(row.metric)  # a metric a later version dropped still reads
    shown = metric.format(row.target) if metric else f"{row.target:g}"
    return f"{row.metric} {_words(row.direction)} {shown}"


def _words(direction: str) -> str:
    return direction.replace("_", " ")


async def list_objectives(ctx: CommandContext) -> None:
    rows, names = await ctx.app.store.run(_active_with_setters)
    if not rows:
        await ctx.reply(
            Message(
                text=f"No objectives yet: set one with `{SET_EXAMPLE}`; "
                "every weekly digest then says whether it was met.",
                sections=(Section(title="Metrics", text=metrics_list()),),
            )
        )
        return
    lines = [_line(ctx, row, names) for row in rows]
    await ctx.reply(
        Message(
            text=f"{len(rows)} objective{'s' if len(rows) != 1 else ''}, "
            "judged in every weekly digest:",
            sections=(Section(text="\n".join(lines)),),
        )
    )


def _active_with_setters(session) -> tuple[list[Objective], dict[int, str]]:
    rows = store.active_objectives(session)
    return rows, store.setters(session, rows)


def _line(ctx: CommandContext, row: Objective, names: dict[int, str]) -> str:
    setter = names.get(row.set_by) if row.set_by is not None else None
    by = setter or "a member since forgotten"
    return (
        f"{bold('#' + str(row.id))} · {row.name} · {describe_goal(row)} · "
        f"set by {by}, {format_local(row.set_at, ctx.zone)}"
    )


async def remove_objective(ctx: CommandContext) -> None:
    objective_id = ctx.options["id"]
    row = await ctx.app.store.run(store.remove_objective, objective_id, ctx.now)
    if row is None:
        raise UsageError(
            f"There is no objective #{objective_id}; `/objective list` shows them.", ctx.usage()
        )
    await ctx.reply(
        f"Objective #{row.id} “{row.name}” ({describe_goal(row)}) is removed: digests from now "
        "on leave it out; past digests keep it."
    )
