"""Calendar channels by platform id, and the platform limits a post must fit.

A manager names a channel (`channel:#general`, a CSV cell, `X-STEWARD-CHANNEL`); it is resolved
to the platform's id when the post is created, and the post keeps that id: renaming the channel
changes nothing, and two channels with one name stay apart. Wherever a post is shown, the
channel's current name is asked for by id; the name stored with the post is the last one known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sqlmodel import Session, select

from bot.core.capabilities import Capabilities
from bot.core.events import ChannelRef
from bot.store.models import Channel

if TYPE_CHECKING:
    from bot.core.app import Steward

Key = tuple[str, str]  # (platform, platform channel id)
UNCONNECTED = Capabilities()  # no adapter here (the command line): the strictest limits


class Placed(Protocol):
    """A post, or a draft of one: where it goes."""

    platform: str
    channel_id: str
    channel_name: str


def channel_of(value: object) -> str:
    """What a channel option or a file's cell names: a channel's id, or a name without `#`."""
    if isinstance(value, ChannelRef):
        return value.channel_id or value.name
    return bare_name(value)


def bare_name(value: object) -> str:
    """A channel's name as written (`#general`, ` general `), without its `#` and spaces."""
    return str(value or "").strip().lstrip("#").strip()


def shown_name(post: Placed) -> str:
    """The channel's name as last known (its id when no name was ever known)."""
    return post.channel_name or post.channel_id


def limits(app: Steward, platform: str) -> Capabilities:
    """What `platform` allows; the strictest defaults when its adapter is not running here."""
    adapter = app.adapters.get(platform)
    return adapter.capabilities if adapter is not None else UNCONNECTED


@dataclass(frozen=True)
class Lookup:
    """The channels some names (or ids) stand for on one platform, looked up at once.

    `connected`: an adapter answered. Without one (the command line) the names found in the
    channels Steward has seen are used, and the rest cannot be checked until a post goes out.
    """

    platform: str
    found: Mapping[str, ChannelRef | None]
    connected: bool

    def known(self, name: str) -> bool | None:
        """True if the channel exists, False if not, None when nobody here can tell."""
        if not self.connected:
            return None
        return self.found.get(name) is not None

    def ref(self, name: str) -> ChannelRef | None:
        """The channel `name` stands for; unchecked, the name itself serves as its id (as on
        the console, whose channel ids are their names; the id is settled when it goes out)."""
        found = self.found.get(name)
        if found is not None or self.connected:
            return found
        return ChannelRef(self.platform, name, name)


async def look_up(app: Steward, platform: str, names: Iterable[str]) -> Lookup:
    """Look every name up on `platform`: by its adapter, else among the channels seen."""
    wanted = {name for name in names if name}
    adapter = app.adapters.get(platform)
    if adapter is None:
        seen = await app.store.run(_seen_channels, platform, wanted)
        return Lookup(platform, seen, connected=False)
    return Lookup(platform, {name: await adapter.find_channel(name) for name in wanted}, True)


def _seen_channels(session: Session, platform: str, names: set[str]) -> dict[str, ChannelRef]:
    """Channels the core has seen called (or with the id) one of `names`; the first seen wins."""
    rows = session.exec(
        select(Channel)
        .where(Channel.platform == platform)
        .where(Channel.name.in_(names) | Channel.platform_channel_id.in_(names))
        .order_by(Channel.id)
    ).all()
    found: dict[str, ChannelRef] = {}
    for row in rows:
        ref = ChannelRef(platform, row.platform_channel_id, row.name or row.platform_channel_id)
        for key in (row.platform_channel_id, row.name):
            if key in names:
                found.setdefault(key, ref)
    return found


async def channel_names(app: Steward, platform: str) -> list[str]:
    """The channels on `platform`: from the adapter when it can list them, else those seen."""
    adapter = app.adapters.get(platform)
    listing = getattr(adapter, "channel_names", None)
    if listing is not None:
        return sorted(await listing())
    return await app.store.run(_seen_channel_names, platform)


def _seen_channel_names(session: Session, platform: str) -> list[str]:
    rows = select(Channel.name).where(Channel.platform == platform).order_by(Channel.name)
    return [name for name in session.exec(rows).all() if name]


async def current_names(app: Steward, keys: Iterable[Key]) -> dict[Key, str]:
    """The current name of each channel (by platform and id) whose adapter still has it."""
    names: dict[Key, str] = {}
    for platform, channel_id in set(keys):
        adapter = app.adapters.get(platform)
        found = await adapter.find_channel(channel_id) if adapter is not None else None
        if found is not None:
            names[(platform, channel_id)] = found.name
    return names


async def name_channels(app: Steward, posts: Iterable[Placed]) -> None:
    """Give each post (as loaded, not stored) its channel's current name, to show it."""
    posts = list(posts)
    names = await current_names(app, ((p.platform, p.channel_id) for p in posts))
    for post in posts:
        post.channel_name = names.get((post.platform, post.channel_id), post.channel_name)
