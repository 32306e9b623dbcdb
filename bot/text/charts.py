"""Small PNG charts (matplotlib, Agg backend) for posts: poll results, the digest."""

from __future__ import annotations

import io
import textwrap
import warnings
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

DPI = 100
BAR_COLOUR = "#5865F2"
HIGHLIGHT_COLOUR = "#F0B232"


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], **style) -> bytes:
    """A bar chart as PNG bytes; `style` is draw_bar_chart's (horizontal, highlight, ...)."""
    figure = draw_bar_chart(title, labels, values, **style)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # labels may hold emoji the bundled font lacks: drawn as a box, not worth a warning
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing", category=UserWarning)
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def draw_bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    horizontal: bool = False,
    highlight: Sequence[int] = (),
    value_label: str = "",
) -> Figure:
    """The chart's Figure: highlighted bars in a stronger colour with their label in bold.

    Uses a Figure of its own (no pyplot state), so charts may be drawn on worker threads.
    Horizontal bars show labels of up to three lines of 28 characters (a whole poll option).
    """
    if len(labels) != len(values):
        raise ValueError("a bar chart needs one value per label")
    shown = [_wrapped(label, 28, lines=3) for label in labels]
    per_bar = 0.2 + 0.15 * max((label.count("\n") + 1 for label in shown), default=1)
    height = max(2.6, per_bar * len(labels) + 1.4) if horizontal else 3.6
    figure = Figure(figsize=(6.4, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    marked = set(highlight)
    colours = [HIGHLIGHT_COLOUR if i in marked else BAR_COLOUR for i in range(len(values))]
    positions = list(range(len(values)))
    top = max(max(values, default=0), 1) * 1.15
    if horizontal:
        bars = axes.barh(positions, values, color=colours)
        axes.set_yticks(positions, shown)
        ticks = axes.get_yticklabels()
        axes.invert_yaxis()  # first option on top, as on the message
        axes.set_xlim(0, top)
        axes.set_xlabel(value_label)
    else:
        bars = axes.bar(positions, values, color=colours)
        axes.set_xticks(positions, [_short(label, 12) for label in labels])
        ticks = axes.get_xticklabels()
        axes.set_ylim(0, top)
        axes.set_ylabel(value_label)
    for index in marked:
        ticks[index].set_fontweight("bold")
    if all(float(v).is_integer() for v in values):
        (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3)
    figure.suptitle(_title(title), x=0.02, ha="left", fontsize=12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def _wrapped(text: str, width: int, lines: int = 2) -> str:
    """At most `lines` lines of `width` characters; the rest cut with an ellipsis."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], _short(" ".join(wrapped[lines - 1 :]), width)]
    return "\n".join(wrapped)


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(text: str) -> str:
    return _wrapped(text, 64)


def _number(value: float) -> str:
    return f"{value:g}"
