"""A setting that names a channel or a role, kept by id between starts: after a rename the
configured name no longer matches, and the id found at an earlier start still serves (the
managers are told, so they can put the new name in the configuration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from bot.core.adapter import Core

T = TypeVar("T")


async def resolve(
    app: Core,
    platform: str,
    key: str,
    configured: str,
    find: Callable[[str], T | None],
    id_of: Callable[[T], str],
) -> tuple[T | None, bool]:
    """What `configured` names (`find` takes a name or an id), else what the id kept under
    `key` at an earlier start finds; and whether it was found so (renamed since). The id
    found is kept for the next start."""
    found = find(configured)
    kept = await app.recall(platform, key)
    renamed = False
    if found is None and kept:
        found = find(kept)
        renamed = found is not None
    if found is not None and id_of(found) != kept:
        await app.keep(platform, key, id_of(found))
    return found, renamed


def renamed_notice(
    platform: str, key: str, configured: str, found_id: str, name: str, sigil: str
) -> tuple[str, str]:
    """What the managers are told of a renamed channel or role that Steward goes on using,
    and the key it is told once under (per id and new name)."""
    text = (
        f"ℹ️ [{platform}] {key} names {sigil}{configured.lstrip(sigil)}, which is now called "
        f"{sigil}{name}: Steward goes on using it. Fix: put the new name (or its id) in the "
        "configuration."
    )
    return f"renamed:{key}:{found_id}:{name}", text
