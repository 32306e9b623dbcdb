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


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    horizontal: bool = False,
    highlight: Sequence[int] = (),
) -> bytes:
    """A bar chart as PNG bytes; `highlight` marks bars (by index) in a stronger colour.

    Uses a Figure of its own (no pyplot state), so charts may be drawn on worker threads.
    """
    if len(labels) != len(values):
        raise ValueError("a bar chart needs one value per label")
    height = max(2.6, 0.45 * len(labels) + 1.4) if horizontal else 3.6
    figure = Figure(figsize=(6.4, height), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = ["#F0B232" if i in set(highlight) else BAR_COLOUR for i in range(len(values))]
    positions = range(len(values))
    if horizontal:
        bars = axes.barh(positions, values, color=colours)
        axes.set_yticks(list(positions), [_short(label, 28) for label in labels])
        axes.invert_yaxis()  # first option on top, as on the message
        axes.set_xlim(0, max(max(values, default=0), 1) * 1.15)
    else:
        bars = axes.bar(positions, values, color=colours)
        axes.set_xticks(list(positions), [_short(label, 12) for label in labels])
        axes.set_ylim(0, max(max(values, default=0), 1) * 1.15)
    if all(float(v).is_integer() for v in values):
        (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3)
    figure.suptitle(_title(title), x=0.02, ha="left", fontsize=12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # labels may hold emoji the bundled font lacks: drawn as a box, not worth a warning
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing", category=UserWarning)
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(text: str, width: int = 64) -> str:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:g}"
