"""`/feedback`: members say what they think; `/feedback-summary`: managers read the sentiment.

The summary has a name of its own: were it `/feedback summary`, `/feedback` would be both a
command and a group (Discord allows one or the other), and `/feedback summary of the AMA was
great` would run the managers' command instead of storing a member's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.app import Steward
from bot.core.commands import Access, Option, OptionType
from bot.core.context import CommandContext
from bot.core.directory import Directory
from bot.core.events import MemberRef
from bot.core.messages import Message, Section
from bot.features.feedback import store as feedback_store
from bot.features.feedback.store import Feedback, add_feedback, feedback_between
from bot.text import sentiment
from bot.text.excerpts import excerpt

MAX_TEXT = 2000
SHOWN_CHARS = 120
STEADY_WITHIN = 0.05  # a change in average polarity smaller than this is "steady"


def install(app: Steward) -> None:
    app.registry.command(
        "feedback",
        "Tell the community managers what you think (they can read it).",
        Option("text", required=True, max_length=MAX_TEXT, help="your feedback"),
    )(give_feedback)
    app.registry.command(
        "feedback-summary",
        "Feedback of the last days: count, sentiment and its trend, extremes, themes.",
        Option("days", OptionType.INTEGER, min_value=1, max_value=365, help="window, default 7"),
        access=Access.MANAGER,
    )(feedback_summary)
    app.privacy.add("feedback", feedback_store.export_member, feedback_store.forget_member)


async def give_feedback(ctx: CommandContext) -> None:
    """Store the text with its sentiment and thank the member privately."""
    text = ctx.options["text"]
    mood = sentiment.score(text)
    await ctx.app.store.run(_store, ctx.app.directory, ctx.member, text, mood, ctx.now)
    await ctx.reply(
        "Thank you for your feedback! It is stored for the community managers, who can read it."
    )


def _store(
    session, directory: Directory, member: MemberRef, text: str, mood: sentiment.Sentiment, at
) -> int:
    return add_feedback(session, directory.member_id(session, member, at), text, mood, at)


@dataclass(frozen=True)
class FeedbackSummary:
    """Feedback in a window of days ending now, and the average of the window before it."""

    days: int
    entries: list[Feedback]
    previous_average: float | None
    previous_count: int

    @property
    def average(self) -> float | None:
        return _average(self.entries)


async def feedback_summary(ctx: CommandContext) -> None:
    days = ctx.options.get("days", 7)
    summary = await ctx.app.store.run(summarise, days, ctx.now)
    await ctx.reply(render_summary(summary))


def summarise(session, days: int, now: datetime) -> FeedbackSummary:
    """Entries of the last `days` days and the average of the `days` days before them."""
    window = timedelta(days=days)
    entries = feedback_between(session, now - window, now)
    previous = feedback_between(session, now - 2 * window, now - window)
    return FeedbackSummary(days, entries, _average(previous), len(previous))


def render_summary(summary: FeedbackSummary) -> Message:
    """Count, average sentiment, trend, most positive and negative entries, themes."""
    days = f"{summary.days} day{'s' if summary.days != 1 else ''}"
    if not summary.entries:
        return Message(text=f"No feedback in the last {days}.", tag="feedback")
    average = summary.average
    assert average is not None
    fields = [
        ("Entries", str(len(summary.entries))),
        ("Average sentiment", f"{average:+.2f} ({sentiment.label(average)})"),
        ("Trend", _trend(average, summary.previous_average, summary.previous_count, days)),
    ]
    fields.extend(_extremes(summary.entries))
    found = sentiment.themes(e.text for e in summary.entries)
    fields.append(("Themes", ", ".join(f"{t} ({n})" for t, n in found) or "none recurring yet"))
    return Message(
        text=f"Feedback summary, last {days}",
        sections=(Section(fields=tuple(fields)),),
        tag="feedback",
    )


def _extremes(entries: list[Feedback]) -> list[tuple[str, str]]:
    """The one entry as it is; of several, the most positive if above 0, most negative if below."""
    if len(entries) == 1:
        return [("Entry", _quote(entries[0]))]
    best = max(entries, key=lambda e: (e.polarity, e.created_at))
    worst = min(entries, key=lambda e: (e.polarity, e.created_at))
    shown = [("Most positive", best)] if best.polarity > 0 else []
    shown += [("Most negative", worst)] if worst.polarity < 0 else []
    return [(name, _quote(entry)) for name, entry in shown]


def _trend(average: float, previous: float | None, previous_count: int, days: str) -> str:
    if previous is None:
        return f"no feedback in the {days} before to compare"
    change = average - previous
    arrow = "→" if abs(change) < STEADY_WITHIN else ("↑" if change > 0 else "↓")
    return (
        f"{arrow} {change:+.2f} (from {previous:+.2f} over {previous_count} "
        f"entr{'y' if previous_count == 1 else 'ies'} in the {days} before)"
    )


def _quote(entry: Feedback) -> str:
    return f"“{excerpt(entry.text, SHOWN_CHARS)}” ({entry.polarity:+.2f})"


def _average(entries: list[Feedback]) -> float | None:
    return sum(e.polarity for e in entries) / len(entries) if entries else None
