"""Channel, user and role options: a platform's typed refs pass through, text is looked up.

Discord delivers a channel option as the channel itself; Slack text, the console and typed
lines deliver words: `#general`, `<#C123|general>`, `@bob`, `<@U123>`, a bare name or an id.
Those are looked up through the adapter (`find_channel`, and the optional `find_member`,
`find_role`), so a handler always gets a ChannelRef, MemberRef or RoleRef.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.core.commands import ECHO_LIMIT, REF_TYPES, CommandSpec, Option, OptionType
from bot.core.errors import UsageError
from bot.text.excerpts import excerpt


def _mention(pattern: str) -> re.Pattern[str]:
    """A mention with its id in group `id` and, when the platform writes one, a `label`."""
    return re.compile(pattern.replace("ID", r"(?P<id>[^|>]+)") + r"(?:\|(?P<label>[^>]*))?>")


@dataclass(frozen=True)
class RefKind:
    """How one kind of ref is written in text and which adapter methods look it up."""

    noun: str  # "channel"
    sigil: str  # "#": how a name is shown
    mentions: tuple[re.Pattern[str], ...]  # how platforms write one in text
    finder: str  # the adapter method that takes a name or an id
    lister: str | None  # the optional adapter method naming every one (None: never listed)

    def key(self, text: str) -> tuple[str, str]:
        """What to look up for `text` (the id of a mention, else the bare name), and how to
        show it in a refusal."""
        for mention in self.mentions:
            found = mention.fullmatch(text)
            if found:
                label = (found.group("label") or "").lstrip(self.sigil)
                return found.group("id"), self.sigil + (label or found.group("id"))
        name = text.removeprefix(self.sigil).strip()
        return name, self.sigil + name


KINDS = {
    # Slack <#C123|general>, Discord <#123>
    OptionType.CHANNEL: RefKind(
        "channel", "#", (_mention("<#ID"),), "find_channel", "channel_names"
    ),
    # Slack <@U123|bob>, Discord <@123> and <@!123>; members are never listed to a typo
    OptionType.USER: RefKind(
        "member", "@", (_mention("<@!?(?![&!])ID"),), "find_member", None
    ),
    # Discord <@&123>, Slack user groups <!subteam^S123|@team>
    OptionType.ROLE: RefKind(
        "role", "@", (_mention("<@&ID"), _mention(r"<!subteam\^ID")), "find_role", "role_names"
    ),
}  # fmt: skip


def name_list(names: Iterable[str], sigil: str, none: str = "none known yet") -> str:
    """`names` as a refusal lists them (`#general, #help`), or `none` when there are none."""
    return ", ".join(sigil + name for name in names) or none


async def resolve_refs(adapter: Any, spec: CommandSpec, values: dict[str, Any]) -> dict[str, Any]:
    """`values` with every channel, user and role option given as text looked up.

    An empty optional one is left out; one the adapter does not know is a UsageError naming
    the option and, where the adapter can list them, what exists.
    """
    resolved = dict(values)
    for option in spec.options:
        value = values.get(option.name)
        if option.type not in REF_TYPES or not isinstance(value, str):
            continue
        if not value:
            del resolved[option.name]
            continue
        resolved[option.name] = await _look_up(adapter, spec, option, value)
    return resolved


async def _look_up(adapter: Any, spec: CommandSpec, option: Option, text: str) -> object:
    kind = KINDS[option.type]
    key, shown = kind.key(text)
    finder = getattr(adapter, kind.finder, None)
    if finder is None:
        raise UsageError(
            f"`{option.name}` takes a {kind.noun}, and {kind.noun}s cannot be looked up here "
            "by name.",
            spec.usage(),
        )
    found = await finder(key) if key else None
    if isinstance(found, REF_TYPES[option.type]):
        return found
    message = f"`{option.name}`: there is no {kind.noun} {excerpt(shown, ECHO_LIMIT)}."
    lister = getattr(adapter, kind.lister, None) if kind.lister else None
    if lister is not None:
        names = sorted(await lister())
        message += f" {kind.noun.capitalize()}s: {name_list(names, kind.sigil)}."
    raise UsageError(message, spec.usage())
