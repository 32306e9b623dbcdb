"""Parse the text form of a command: `/poll create question:"Best day?" options:"Mon | Fri"`."""

from __future__ import annotations

import re

from bot.core.errors import UsageError
from bot.text.excerpts import excerpt

_QUOTES = {'"': '"', "“": "”", "”": "”", "'": "'", "‘": "’"}
_ESCAPABLE = frozenset('"\\')  # only \" and \\ are escapes; any other backslash is kept
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):")


def parse_command_text(text: str) -> tuple[list[str], dict[str, object]]:
    """Split a command line into its leading words (case kept) and its `name:value` options.

    Values may be quoted with straight or curly quotes; inside them `\\"` is a quote, `\\\\` a
    backslash, and any other backslash stays as written (`C:\\Users`). An unquoted value runs
    to the next `name:` so `/ask question:how do I install?` needs no quotes.
    """
    body = text.strip()
    if body.startswith("/"):
        body = body[1:]
    words: list[str] = []
    options: dict[str, object] = {}
    pos = 0
    current: str | None = None
    while pos < len(body):
        if body[pos].isspace():
            pos += 1
            continue
        key = _KEY.match(body, pos)
        if key and not _looks_like_url(body, pos):
            name = key.group(1).lower()
            if name in options:
                raise _duplicate(name)
            quoted = key.end() < len(body) and body[key.end()] in _QUOTES
            value, pos = _read_value(body, key.end())
            options[name] = value
            current = None if quoted else name
            continue
        token, pos = _read_word(body, pos)
        if current is None:
            if options:
                shown = excerpt(token, 40)
                raise UsageError(f"I did not understand {shown!r}; write options as name:value.")
            words.append(token)
        else:
            options[current] = f"{options[current]} {token}".strip()
    return words, options


def _looks_like_url(body: str, pos: int) -> bool:
    return bool(re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", body[pos:]))


def _read_value(body: str, pos: int) -> tuple[str, int]:
    if pos < len(body) and body[pos] in _QUOTES:
        return _read_quoted(body, pos)
    if pos >= len(body) or body[pos].isspace():
        return "", pos
    return _read_word(body, pos)


def _read_quoted(body: str, pos: int) -> tuple[str, int]:
    closing = _QUOTES[body[pos]]
    out = []
    pos += 1
    while pos < len(body):
        char = body[pos]
        if char == "\\" and pos + 1 < len(body) and body[pos + 1] in _ESCAPABLE | {closing}:
            out.append(body[pos + 1])
            pos += 2
            continue
        if char == closing or (closing in "”’" and char in '"”'):
            return "".join(out), pos + 1
        out.append(char)
        pos += 1
    raise UsageError("A quoted value is missing its closing quote.")


def _read_word(body: str, pos: int) -> tuple[str, int]:
    end = pos
    while end < len(body) and not body[end].isspace():
        end += 1
    return body[pos:end], end


def _duplicate(name: str) -> Exception:
    return UsageError(f"`{excerpt(name, 40)}` is given twice; give each option once.")


def pop_option(text: str, name: str) -> tuple[str, str | None]:
    """`text` without its unquoted `name:value` option, and that value (None when absent).

    A `name:` inside a quoted value is text, not an option; a line the parser would refuse
    (an unclosed quote) is returned whole, for the parser to explain.
    """
    pos = 0
    try:
        while pos < len(text):
            if text[pos].isspace():
                pos += 1
                continue
            key = _KEY.match(text, pos)
            if key and not _looks_like_url(text, pos):
                value, end = _read_value(text, key.end())
                if key.group(1).lower() == name:
                    return f"{text[:pos].rstrip()} {text[end:].lstrip()}".strip(), value
                pos = end
                continue
            _, pos = _read_word(text, pos)
    except UsageError:
        pass
    return text, None
