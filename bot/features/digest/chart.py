"""The digest's charts: the week's PNG (daily activity against last week, engagement per
content type) and, for reports, the weekly trend across a range. Pure functions over digests;
drawing is slow (tens of milliseconds to a second), so callers run them on a worker thread.
Importing this module loads matplotlib: callers import it on first use.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.features.digest.figures import DAYS, ContentFigures, WeekDigest
from bot.features.digest.week_dates import date_range, day_month, week_dates
from bot.text.charts import (
    BAR_COLOUR,
    HIGHLIGHT_COLOUR,
    NOTE_COLOUR,
    figure_png,
    literal,
    new_figure,
    note_instead,
)
from bot.text.excerpts import cut_label

WIDTH, HEIGHT = 9.6, 7.2  # inches of 100 px: 960 × 720, a chat preview's width
TREND_HEIGHT = 4.0
LAST_WEEK_COLOUR = "#80848E"
SIDE_NOTE = {"loc": "right", "fontsize": 9, "color": NOTE_COLOUR}
MOST_TYPES = 8  # content types drawn; the rest are counted in the panel's title
THINNEST_TYPES = 4  # room kept for this many bars, so one or two are not slabs
MOST_TREND_LABELS = 8  # week labels under a trend panel, so dates never touch
FEWEST_TREND_SLOTS = 4  # room kept for this many weeks, so one or two are not slabs
THOUSANDS = FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 10 else f"{value:g}")


def digest_chart(digest: WeekDigest) -> bytes:
    """The week's chart as PNG bytes, 960 × 720 px; empty weeks say so instead of plotting."""
    return figure_png(draw_digest_chart(digest))


def draw_digest_chart(digest: WeekDigest) -> Figure:
    """The week chart's Figure: daily active members and interactions against last week,
    engagement per post of each content type."""
    figure = new_figure(WIDTH, HEIGHT)
    top, bottom = figure.subfigures(2, 1, height_ratios=(1, 1.05))
    days = week_dates(digest)
    ticks = [f"{name[:3]}\n{day.day}" for name, day in zip(DAYS, days, strict=True)]
    now, before = digest.activity, digest.previous_activity
    members, interactions = top.subplots(1, 2)
    drawn = _daily(
        members,
        "Active members per day",
        (now.active_by_day, before.active_by_day),
        ticks,
        f"in the week: {digest.members.active:,} (last week {digest.previous_members.active:,})",
    )
    drawn |= _daily(
        interactions,
        "Interactions per day",
        (now.by_day, before.by_day),
        ticks,
        f"in the week: {now.interactions:,} (last week {before.interactions:,})",
    )
    _content(bottom.subplots(), digest.content)
    if drawn:
        figure.legend(
            handles=[
                Patch(color=BAR_COLOUR, label="this week"),
                Line2D([], [], color=LAST_WEEK_COLOUR, marker="o", ls="--", label="last week"),
            ],
            loc="outside upper right",
            ncols=2,
            frameon=False,
        )
    name = literal(cut_label(digest.community or "Community", 40))
    figure.suptitle(
        f"{name} · week {digest.week}\n{date_range(days)} · {digest.zone} time",
        x=0.01,
        ha="left",
        fontsize=13,
    )
    return figure


def _daily(
    axes: Axes,
    title: str,
    weeks: tuple[Sequence[int], Sequence[int]],
    ticks: Sequence[str],
    totals: str,
) -> bool:
    """This week's bars and last week's dashed line, one per local day; False if no data."""
    this, last = weeks
    axes.set_title(title, loc="left", fontsize=11)
    if not any(this) and not any(last):
        note_instead(axes, "no data yet")
        return False
    axes.set_xlabel(totals, fontsize=9, color=NOTE_COLOUR)
    positions = range(len(ticks))
    axes.bar(positions, this, color=BAR_COLOUR, width=0.65)
    axes.plot(positions, last, color=LAST_WEEK_COLOUR, marker="o", linestyle="--", markersize=4)
    axes.set_xticks(list(positions), ticks, fontsize=9)
    axes.set_ylim(0, max(*this, *last, 1) * 1.12)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _plain(axes)
    return True


def _content(axes: Axes, content: ContentFigures) -> None:
    """Average engagement per post of each content type, most engaging on top."""
    axes.set_title("Engagement per calendar post", loc="left", fontsize=11)
    kinds = [kind for kind in content.types if kind.posts][:MOST_TYPES]
    if not kinds:
        note_instead(axes, "no calendar posts this week")
        return
    hidden = len(content.types) - len(kinds)
    average = content.average or 0.0
    note = f"{content.posts:,} post{_s(content.posts)} · {average:.1f} per post"
    axes.set_title(note + (f" · {hidden} more type{_s(hidden)}" if hidden else ""), **SIDE_NOTE)
    labels = [
        f"{literal(cut_label(k.content_type, 28))} ({k.posts} post{_s(k.posts)})" for k in kinds
    ]
    values = [k.average or 0.0 for k in kinds]
    colours = [HIGHLIGHT_COLOUR if i == 0 else BAR_COLOUR for i in range(len(kinds))]
    bars = axes.barh(range(len(kinds)), values, color=colours, height=0.6)
    axes.set_yticks(range(len(kinds)), labels, fontsize=10)
    axes.set_ylim(max(len(kinds), THINNEST_TYPES) - 0.5, -0.5)  # top first; few bars stay thin
    axes.set_xlim(0, max(*values, 1) * 1.15)
    axes.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=3, fontsize=9)
    axes.set_xlabel("reactions + replies within 48 h, average per post", fontsize=9)
    _plain(axes, values="x")


def trend_chart(digests: Sequence[WeekDigest]) -> bytes:
    """Members and interactions per week across `digests` (oldest first), PNG 960 × 400 px."""
    return figure_png(draw_trend_chart(digests))


def draw_trend_chart(digests: Sequence[WeekDigest]) -> Figure:
    """The trend chart's Figure; with no weeks it says "no data yet"."""
    figure = new_figure(WIDTH, TREND_HEIGHT)
    members, interactions = figure.subplots(1, 2)
    members.set_title("Members per week", loc="left", fontsize=11)
    interactions.set_title("Interactions per week", loc="left", fontsize=11)
    if not digests:
        note_instead(members, "no data yet")
        note_instead(interactions, "no data yet")
        return figure
    positions = list(range(len(digests)))
    marker = "o" if len(digests) <= 2 * MOST_TREND_LABELS else None
    for key, colour, label in (
        ("active", BAR_COLOUR, "active"),
        ("communicators", HIGHLIGHT_COLOUR, "posted"),
        ("new", LAST_WEEK_COLOUR, "new"),
    ):
        values = [getattr(d.members, key) for d in digests]
        members.plot(positions, values, color=colour, marker=marker, markersize=4, label=label)
    figure.legend(loc="outside upper left", ncols=3, frameon=False, fontsize=9)
    members.set_ylim(bottom=0)
    members.margins(y=0.15)
    counts = [d.activity.interactions for d in digests]
    bars = interactions.bar(positions, counts, color=BAR_COLOUR, width=0.65)
    if len(digests) <= 2 * MOST_TREND_LABELS:
        interactions.bar_label(bars, labels=[f"{c:,}" for c in counts], padding=2, fontsize=8)
    interactions.set_ylim(0, max(*counts, 1) * 1.15)
    for axes in (members, interactions):
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        _week_ticks(axes, digests)
        _plain(axes)
    return figure


def _week_ticks(axes: Axes, digests: Sequence[WeekDigest]) -> None:
    """`W12` over the week's Monday, thinned to at most MOST_TREND_LABELS labels."""
    step = -(-len(digests) // MOST_TREND_LABELS)
    shown = range(0, len(digests), step)
    labels = [
        _week_tick(digests[i], i == 0 or _year(digests[i]) != _year(digests[i - step]))
        for i in shown
    ]
    axes.set_xticks(list(shown), labels, fontsize=8)
    pad = (max(len(digests), FEWEST_TREND_SLOTS) - len(digests)) / 2 + 0.5
    axes.set_xlim(-pad, len(digests) - 1 + pad)


def _week_tick(digest: WeekDigest, with_year: bool) -> str:
    """`W12` (`2026-W12` where a year starts) over the week's Monday."""
    week = digest.week if with_year else f"W{digest.week.rsplit('W', 1)[-1]}"
    return f"{week}\n{day_month(week_dates(digest)[0])}"


def _year(digest: WeekDigest) -> str:
    return digest.week.split("-", 1)[0]


def _plain(axes: Axes, values: str = "y") -> None:
    """Light grid along the `values` axis, numbers as `12,500`, no top or right frame."""
    (axes.yaxis if values == "y" else axes.xaxis).set_major_formatter(THOUSANDS)
    axes.grid(axis=values, color="#E3E5E8", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.tick_params(axis="y" if values == "x" else "x", length=0)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
