"""Lists written on one line with bars: `Mon | Wed | Fri` (poll options, survey questions)."""

from __future__ import annotations

import re

_ITEM = re.compile(r'\s*(?:"[^"]*"|“[^”]*”|„[^“”]*[“”])\s*(?=\||$)|[^|]*')
_QUOTES = {'"': '"', "“": "”", "„": "“"}


def split_list(text: str) -> tuple[str, ...]:
    """`"Mon | Wed | Fri"` → `("Mon", "Wed", "Fri")`; empty items are kept for the caller to refuse.

    An item wholly in quotes keeps its `|`: `"Rock | Pop" | Jazz` → `("Rock | Pop", "Jazz")`;
    other quotes are ordinary characters (`5" screen`).
    """
    parts, pos = [], 0
    while True:
        match = _ITEM.match(text, pos)
        parts.append(match.group())
        pos = match.end() + 1  # past the `|`
        if pos > len(text):
            return tuple(clean_item(part) for part in parts)


def clean_item(text: str) -> str:
    """An item as shown: spaces collapsed, one pair of enclosing quotes removed."""
    item = " ".join(text.split())
    if len(item) >= 2 and item[-1] in (_QUOTES.get(item[0]), "”"):
        item = " ".join(item[1:-1].split())
    return item
