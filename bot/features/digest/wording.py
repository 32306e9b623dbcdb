"""How the digest writes its figures: signed changes, counts with their change, plurals and
titles, so every section reads the same (durations: bot.text.durations.format_seconds)."""

from __future__ import annotations

from bot.core.markup import literal
from bot.text.excerpts import excerpt

DASH = "–"  # no value, or no week before to compare
TITLE_CHARS = 80


def signed(number: float, unit: str = "") -> str:
    """`+12`, `−3` (a minus sign), `±0`, rounded to a whole number, with `unit` after it."""
    rounded = round(number)
    if rounded == 0:
        return f"±0{unit}"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):,}{unit}"


def change(now: int, before: int | None) -> str:
    """`+12 (+8%)`, `−3 (−5%)`, `±0`; `+5` from nothing; "–" without a week before."""
    if before is None:
        return DASH
    difference = now - before
    if not difference or not before:
        return signed(difference)
    return f"{signed(difference)} ({signed(100 * difference / before, '%')})"


def count(now: int, before: int | None) -> str:
    """`52 · +12 (+30%)`: the figure and its change on the week before."""
    return f"{now:,} · {change(now, before)}"


def plural(number: int, word: str, many: str = "") -> str:
    """`1 reply`, `3 replies` (`many` when not `word` + s)."""
    return f"{number:,} {word if number == 1 else many or word + 's'}"


def title(text: str, limit: int = TITLE_CHARS) -> str:
    """A member's or manager's title on one line, cut at a word, no markup in it."""
    return excerpt(literal(text), limit)
