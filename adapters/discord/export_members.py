"""Who wrote and reacted in a DiscordChatExporter export, as MemberRefs, and the managers'
role and channel as configured (by name or id)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.core.events import MemberRef
from bot.text.json_kinds import json_kind

PLATFORM = "discord"
_ID = re.compile(r"<[#@][!&]?(\d+)>|(\d{15,21})")


class Misshapen(TypeError):
    """A part of a message DiscordChatExporter never writes so (an id that is a number)."""


def as_string(value: object, what: str) -> str:
    """`value`, which DCE writes as a string (ids always); Misshapen saying `what` it is
    ("an author whose id is a number, not a string") when it is not one."""
    if type(value) is not str:
        raise Misshapen(f"{what} {json_kind(value)}, not a string")
    return value


@dataclass(frozen=True)
class Wanted:
    """A role or channel as configured: by id (`<#id>`, `<@&id>`, digits) or by name."""

    id: str = ""
    name: str = ""  # casefolded, without a leading # or @

    @classmethod
    def parse(cls, text: str) -> Wanted:
        text = text.strip()
        found = _ID.fullmatch(text)
        if found:
            return cls(id=found.group(1) or found.group(2))
        return cls(name=text.lstrip("#@").casefold())

    def __bool__(self) -> bool:
        return bool(self.id or self.name)

    def matches(self, some_id: object, name: object) -> bool:
        if self.id:
            return some_id == self.id
        return bool(self.name) and isinstance(name, str) and name.casefold() == self.name


@dataclass
class People:
    """Authors and reactors as MemberRefs, built once per user id for a whole export and
    kept: a file read again (the import may) gives the same refs."""

    manager_role: Wanted
    authors: dict[str, MemberRef] = field(default_factory=dict)
    reactors: dict[str, MemberRef] = field(default_factory=dict)

    def author(self, user: dict[str, Any]) -> MemberRef:
        """A message's author: DCE gives their roles, so whether they are a manager."""
        roles = user.get("roles") or ()
        wanted = self.manager_role
        ref = MemberRef(
            PLATFORM,
            user["id"],
            user.get("nickname") or user.get("name") or user["id"],
            is_manager=bool(wanted)
            and any(wanted.matches(r.get("id"), r.get("name")) for r in roles),
            is_bot=bool(user.get("isBot")),
            roles=tuple([as_string(r["id"], "a role whose id is") for r in roles]) if roles else (),
        )
        self.authors[ref.user_id] = ref
        return ref

    def reactor(self, user: dict[str, Any]) -> MemberRef:
        """A reactor: as an author when first seen reacting after authoring (DCE lists
        reactors without their roles), else by the name DCE gives."""
        user_id = user["id"]
        known = self.reactors.get(user_id)
        if known is None:
            known = self.authors.get(user_id) or MemberRef(
                PLATFORM,
                user_id,
                user.get("nickname") or user.get("name") or user_id,
                is_bot=bool(user.get("isBot")),
            )
            self.reactors[user_id] = known
        return known
