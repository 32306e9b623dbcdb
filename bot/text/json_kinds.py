"""What a JSON value is, in words, for a line saying why a file is not what it should be."""

from __future__ import annotations

_KINDS = {dict: "object", list: "list", str: "string", type(None): "null", bool: "boolean"}
_ARTICLES = {"object": "an object", "null": "null"}


def json_kind(value: object, article: bool = True) -> str:
    """`value`'s JSON kind: "an object", "a list", "a string", "null", "a boolean",
    "a number" (without `article`: "object", "list", …)."""
    kind = _KINDS.get(type(value), "number")
    if not article:
        return kind
    return _ARTICLES.get(kind, f"a {kind}")
