"""Small PNG charts (matplotlib, Agg backend) for posts: poll results, the digest.

Labels are members' words, so they may hold emoji or Chinese, Japanese and Korean: the Noto
fonts of the `manimgx-fonts` and `manimgx-fonts-cjk` packages back up matplotlib's DejaVu Sans,
glyph by glyph. A character no font has is drawn as a box, and matplotlib warns about it.
Importing this module loads matplotlib: callers import it on first use.
"""

from __future__ import annotations

import io
import logging
import textwrap
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.ticker import MaxNLocator

from bot.text.excerpts import cut_label

log = logging.getLogger(__name__)

DPI = 100
BAR_COLOUR = "#5865F2"
HIGHLIGHT_COLOUR = "#F0B232"
NOTE_COLOUR = "#6D6F78"
FALLBACK_FONTS = {  # package: font files in the order glyphs are looked for
    "manimgx_fonts_cjk": ("NotoSansCJK-VF.otf.ttc",),
    "manimgx_fonts": ("NotoEmoji[wght].ttf", "NotoSansSymbols[wght].ttf"),
}


def _not_a_weight_fallback(record: logging.LogRecord) -> bool:
    """Keep font warnings but the one-weight notice: the Noto fallbacks come in one weight."""
    return not record.getMessage().startswith("findfont: Failed to find font weight")


@cache
def register_fonts() -> tuple[str, ...]:
    """Add the fallback fonts behind DejaVu Sans (once); return the families in their order."""
    logging.getLogger("matplotlib.font_manager").addFilter(_not_a_weight_fallback)
    families = ["DejaVu Sans"]
    for package, files in FALLBACK_FONTS.items():
        try:
            folder = Path(str(resources.files(package)))
        except ModuleNotFoundError:
            log.warning("font package %s is not installed; some labels may show boxes", package)
            continue
        for name in files:
            font_manager.fontManager.addfont(str(folder / name))
            families.append(font_manager.FontProperties(fname=str(folder / name)).get_name())
    matplotlib.rcParams["font.family"] = families
    return tuple(families)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], **style) -> bytes:
    """A bar chart as PNG bytes; `style` is draw_bar_chart's (horizontal, highlight, ...)."""
    figure = draw_bar_chart(title, labels, values, **style)
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def new_figure(width: float, height: float) -> Figure:
    """An empty Figure of `width` × `height` inches (DPI pixels each), constrained layout,
    fallback fonts registered; no pyplot state, so it may be drawn on a worker thread."""
    register_fonts()
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def figure_png(figure: Figure) -> bytes:
    """The Figure as PNG bytes, exactly its size in pixels.

    Drawn once (its layout worked out in the same pass) and the pixels encoded: `savefig`
    would draw a laid-out figure twice, a third of a digest chart's time.
    """
    canvas = figure.canvas
    canvas.draw()
    buffer = io.BytesIO()
    imsave(buffer, canvas.buffer_rgba(), format="png")
    return buffer.getvalue()


def literal(text: str) -> str:
    """Members' words drawn as written: a `$` never starts mathtext (`$_$` would raise)."""
    return text.replace("$", r"\$")


def note_instead(axes: Axes, text: str) -> None:
    """Say `text` in the middle of `axes` in place of a plot (no ticks, a faint frame)."""
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_color("#E3E5E8")
    axes.text(0.5, 0.5, text, ha="center", va="center", color=NOTE_COLOUR, transform=axes.transAxes)


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
    register_fonts()
    shown = [literal(_wrapped(label, 28, lines=3)) for label in labels]  # a `$` is a `$`
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
        axes.set_xticks(positions, [literal(cut_label(label, 12)) for label in labels])
        ticks = axes.get_xticklabels()
        axes.set_ylim(0, top)
        axes.set_ylabel(value_label)
    for index in marked:
        ticks[index].set_fontweight("bold")
    if all(float(v).is_integer() for v in values):
        (axes.xaxis if horizontal else axes.yaxis).set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3)
    figure.suptitle(literal(_title(title)), x=0.02, ha="left", fontsize=12)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def _wrapped(text: str, width: int, lines: int = 2) -> str:
    """At most `lines` lines of `width` characters; the rest cut with an ellipsis."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], cut_label(" ".join(wrapped[lines - 1 :]), width)]
    return "\n".join(wrapped)


def _title(text: str) -> str:
    return _wrapped(text, 64)


def _number(value: float) -> str:
    return f"{value:g}"
