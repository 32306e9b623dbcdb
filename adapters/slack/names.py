"""The managers' and digest channels, by the name or id the configuration gives, kept by id
(bot.core.kept_names): after a rename the channel found before still serves. They are looked
up again whenever Steward learns of a channel, so a private managers' channel, invisible
until Steward is invited, serves from the invitation on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.slack.directory import Place
from adapters.slack.inbound import PLATFORM
from bot.core import kept_names

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

Notice = tuple[str, str]  # (notice key, text)


async def resolve(adapter: SlackAdapter) -> None:
    """Point the managers' channel (the translator's too) and the digest channel at the
    channels' ids where they are found (else leave them as they were); tell the managers
    of one found by its id after a rename."""
    config, notices = adapter.config, []
    admin = await _find(adapter, "admin_channel", config.admin_channel, notices)
    if admin is not None:
        adapter.admin_channel = adapter.translator.admin_channel_id = admin.channel_id
    if config.digest_channel:
        digest = await _find(adapter, "digest_channel", config.digest_channel, notices)
        if digest is not None:
            adapter.digest_channel = digest.channel_id
    for key, text in notices:  # the managers' channel is known by now
        await adapter.tell_once(key, text)


async def _find(
    adapter: SlackAdapter, key: str, configured: str, notices: list[Notice]
) -> Place | None:
    place, renamed = await kept_names.resolve(
        adapter.require_app(),
        PLATFORM,
        key,
        configured,
        adapter.directory.find_place,
        lambda found: found.channel_id,
    )
    if place is not None and renamed:
        notices.append(
            kept_names.renamed_notice(PLATFORM, key, configured, place.channel_id, place.name, "#")
        )
    return place
