"""Short one-line excerpts of members' texts, for summaries and results, and labels cut short."""

from __future__ import annotations


def excerpt(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters (with …)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit - 1]
    if " " in head:
        head = head.rsplit(" ", 1)[0]
    return head + "…"


def cut_label(label: str, limit: int) -> str:
    """`label` (plain text) in at most `limit` characters, ending with "…" when cut."""
    if len(label) <= limit:
        return label
    return label[: max(limit - 1, 0)].rstrip() + "…"
