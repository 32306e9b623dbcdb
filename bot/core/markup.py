"""Neutral markup: the core writes bold, italic, code, links and mentions once; adapters render.

A span is an opening character from Unicode's private-use area, its payload and `END`
(a link, mention or channel mention separates its two parts with `SEP`), so no ordinary text
a member writes can be read as markup. `render(text, dialect)` writes a text as
Discord markdown, Slack mrkdwn or plain console text (`plain(text)`).

Member text around and inside spans is escaped for the dialect, so it cannot break the
message or fake markup: Slack gets `&`, `<`, `>` as entities (no `<!channel>`, no `<@U…>`
from a member); Discord gets `\\` before `* _ ~ | \\`, before `>`/`#` that start a line, before
`<@`/`<#` and `](`, and a zero-width space in `@everyone`/`@here` (the Discord adapter should
still restrict allowed mentions to the members the message names). URLs and backtick code
spans in ordinary text are left as they are: a pair of plain backticks *is* the neutral code
form for fixed text ("`/poll create …`" reads the same on Discord, Slack and the console);
`code(text)` is for text that may itself hold a backtick (a member's words). Private-use
characters a member typed are removed by `literal(text)` (every markup function applies it to
its payload; an adapter may apply it to inbound text), and an unbalanced one is dropped when
rendering.

Button labels, form titles and labels are not markup: adapters show them as `plain(...)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.capabilities import Dialect

BOLD, ITALIC, CODE, LINK, MENTION, CHANNEL = (chr(0xE000 + n) for n in range(6))
SEP, END = "\ue00e", "\ue00f"
OPENERS = frozenset((BOLD, ITALIC, CODE, LINK, MENTION, CHANNEL))
ATOMIC = frozenset((CODE, LINK, MENTION, CHANNEL))  # spans that are never cut in two
_MARKUP = re.compile("([\ue000-\ue00f])")
_ANY_MARK = re.compile("[\ue000-\ue00f]")


def literal(text: str) -> str:
    """`text` with every markup character removed: safe to put inside any span."""
    return _ANY_MARK.sub("", text)


def bold(text: str) -> str:
    """`text` in bold (it may hold other spans: `bold(link(url, "here"))`)."""
    return f"{BOLD}{text}{END}" if text else ""


def italic(text: str) -> str:
    """`text` in italics (it may hold other spans)."""
    return f"{ITALIC}{text}{END}" if text else ""


def code(text: str) -> str:
    """`text` as code, shown as is (a backtick inside cannot end the span)."""
    return f"{CODE}{literal(text)}{END}" if text else ""


def link(url: str, label: str = "") -> str:
    """A link to `url` reading `label` (the url itself when no label is given)."""
    return f"{LINK}{literal(url)}{SEP}{literal(label)}{END}"


def mention(member_id: str, name: str) -> str:
    """A mention of member `member_id` (`@name` where the platform cannot mention)."""
    return f"{MENTION}{literal(member_id)}{SEP}{literal(name)}{END}"


def channel_mention(channel_id: str, name: str) -> str:
    """A link to channel `channel_id` (`#name` where the platform cannot link it)."""
    return f"{CHANNEL}{literal(channel_id)}{SEP}{literal(name)}{END}"


def render(text: str, dialect: Dialect) -> str:
    """`text` (neutral markup) as `dialect` writes it."""
    if not _ANY_MARK.search(text):
        return _WRITERS[dialect].text(text)
    return _write(_parse(text), _WRITERS[dialect])


def plain(text: str) -> str:
    """`text` as plain console text: bold and italics as the bare words, links `label (url)`."""
    return render(text, Dialect.PLAIN)


def tidy(text: str, dialect: Dialect = Dialect.PLAIN, longest: int | None = None) -> str:
    """`text` with unbalanced markup characters removed; with `longest`, a code span, link or
    mention longer than that once rendered in `dialect` is written out as its plain words."""
    if not _ANY_MARK.search(text):
        return text
    return _unparse(_parse(text), _WRITERS[dialect], longest)


def _unparse(nodes: list[str | _Span], writer: _Writer, longest: int | None) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node.kind in (BOLD, ITALIC):
            out.append(f"{node.kind}{_unparse(node.children, writer, longest)}{END}")
        else:
            span = f"{node.kind}{node.words()}{END}"
            too_long = longest is not None and len(_write([node], writer)) > longest
            out.append(literal(plain(span)) if too_long else span)
    return "".join(out)


# ---- parsing ------------------------------------------------------------------------------
@dataclass
class _Span:
    kind: str
    children: list[str | _Span]

    def words(self) -> str:
        """Every character inside, without markup (the payload of an atomic span)."""
        return "".join(c if isinstance(c, str) else c.words() for c in self.children)


def _parse(text: str) -> list[str | _Span]:
    """The spans of `text`; an END with nothing open and an opener never closed are dropped."""
    root: list[str | _Span] = []
    stack: list[_Span] = []
    for piece in _MARKUP.split(text):
        into = stack[-1].children if stack else root
        if piece in OPENERS:
            stack.append(_Span(piece, []))
        elif piece == END:
            if stack:
                span = stack.pop()
                (stack[-1].children if stack else root).append(span)
        elif piece:
            into.append(piece)
    while stack:  # never closed: keep what it held, without the span
        span = stack.pop()
        (stack[-1].children if stack else root).extend(span.children)
    return root


def _write(nodes: list[str | _Span], writer: _Writer, inside: tuple[str, ...] = ()) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_guarded(writer.text(node.replace(SEP, "")), writer, inside))
        elif node.kind in (BOLD, ITALIC):
            inner = _write(node.children, writer, (*inside, node.kind))
            out.append(_wrapped(inner, writer.bold if node.kind == BOLD else writer.italic))
        else:
            first, _, second = node.words().partition(SEP)
            out.append(_ATOMS[node.kind](writer, first, second.replace(SEP, "")))
    return "".join(out)


def _guarded(text: str, writer: _Writer, inside: tuple[str, ...]) -> str:
    """Text inside bold or italics without the character that would end the span early."""
    for kind in inside:
        if kind in writer.guards:
            mark, lookalike = writer.guards[kind]
            text = text.replace(mark, lookalike)
    return text


def _wrapped(inner: str, mark: str) -> str:
    """`inner` between `mark`s, its surrounding spaces outside them (or markup fails)."""
    core = inner.strip()
    if not core or not mark:
        return inner
    start = inner.index(core[0])
    return f"{inner[:start]}{mark}{core}{mark}{inner[start + len(core) :]}"


# ---- dialects -----------------------------------------------------------------------------
@dataclass(frozen=True)
class _Writer:
    text: Callable[[str], str]
    bold: str
    italic: str
    code: Callable[[str], str]
    link: Callable[[str, str], str]
    mention: Callable[[str, str], str]
    channel: Callable[[str, str], str]
    guards: dict[str, tuple[str, str]] = field(default_factory=dict)  # no escape in mrkdwn


_ATOMS: dict[str, Callable[[_Writer, str, str], str]] = {
    CODE: lambda w, content, _: w.code(content) if content else "",
    LINK: lambda w, url, label: w.link(url, label),
    MENTION: lambda w, key, name: w.mention(key, name),
    CHANNEL: lambda w, key, name: w.channel(key, name),
}
_PLATFORM_ID = re.compile(r"[A-Za-z0-9]+")


def _tick(content: str) -> str:
    """A code span; a backtick inside becomes `ˋ`, which cannot end it."""
    return f"`{content.replace('`', 'ˋ')}`"


def _plain_link(url: str, label: str) -> str:
    return f"{label} ({url})" if label and label != url else url


def _by_id(prefix: str, sign: str, escape: Callable[[str], str]) -> Callable[[str, str], str]:
    def write(key: str, name: str) -> str:
        if _PLATFORM_ID.fullmatch(key):
            return f"<{prefix}{key}>"
        return escape(f"{sign}{name or key}")

    return write


# Discord: escape markdown in ordinary text, but not inside URLs or backtick code spans
_DISCORD_KEEP = re.compile(r"(`[^`\n]+`|https?://[^\s<>]+)")
_DISCORD_MARKS = re.compile(r"[\\*_~|]|^(?:>|#{1,3} |-# )|<[@#]|\]\(", re.MULTILINE)
_DISCORD_LABEL = re.compile(r"[\\*_~|\[\]]")
_DISCORD_PINGS = re.compile(r"@(everyone|here)\b")


def _discord_escape(text: str) -> str:
    text = _DISCORD_MARKS.sub(lambda m: "\\" + m.group(0), text)
    return _DISCORD_PINGS.sub("@\u200b\\1", text)


def _discord_text(text: str) -> str:
    pieces = _DISCORD_KEEP.split(text)
    return "".join(p if n % 2 else _discord_escape(p) for n, p in enumerate(pieces))


def _discord_link(url: str, label: str) -> str:
    target = re.sub(r"[\s()<>]", lambda m: f"%{ord(m.group(0)):02X}", url)
    if not label or label == url:
        return target
    label = _DISCORD_PINGS.sub("@\u200b\\1", _DISCORD_LABEL.sub(lambda m: "\\" + m.group(0), label))
    return f"[{label}]({target})"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _slack_link(url: str, label: str) -> str:
    target = _slack_escape(url).replace("|", "%7C")
    return f"<{target}|{_slack_escape(label)}>" if label and label != url else f"<{target}>"


_WRITERS: dict[Dialect, _Writer] = {
    Dialect.PLAIN: _Writer(
        text=lambda s: s,
        bold="",
        italic="",
        code=_tick,
        link=_plain_link,
        mention=lambda key, name: f"@{name or key}",
        channel=lambda key, name: f"#{name or key}",
    ),
    Dialect.DISCORD: _Writer(
        text=_discord_text,
        bold="**",
        italic="*",
        code=_tick,
        link=_discord_link,
        mention=_by_id("@", "@", _discord_escape),
        channel=_by_id("#", "#", _discord_escape),
    ),
    Dialect.SLACK: _Writer(
        text=_slack_escape,
        bold="*",
        italic="_",
        code=lambda s: _tick(_slack_escape(s)),
        link=_slack_link,
        mention=_by_id("@", "@", _slack_escape),
        channel=_by_id("#", "#", _slack_escape),
        guards={BOLD: ("*", "∗"), ITALIC: ("_", "ˍ")},
    ),
}
