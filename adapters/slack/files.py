"""Files members share: read through `url_private_download` with the bot token (Slack's
private file URLs need it), after `files.info` when the event carries only the file's id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp

from bot.core.events import Attachment

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

MAX_BYTES = 25 * 1024 * 1024  # a calendar import is far smaller; a larger file is refused


class FileUnreadable(RuntimeError):
    """Slack did not give the shared file (no files:read scope, or deleted meanwhile)."""


async def download(adapter: SlackAdapter, shared: dict[str, Any]) -> Attachment:
    """The shared file's name, bytes and type."""
    if not shared.get("url_private_download") and not shared.get("url_private"):
        shared = (await adapter.client.files_info(file=shared["id"]))["file"]
    url = shared.get("url_private_download") or shared["url_private"]
    token = adapter.config.bot_token.get_secret_value()
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False
        ) as answer,
    ):
        if answer.status != 200 or "text/html" in answer.headers.get("Content-Type", ""):
            raise FileUnreadable(
                f"Slack did not give {shared.get('name')!r} (HTTP {answer.status})"
            )
        data = await answer.content.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise FileUnreadable(f"{shared.get('name')!r} is larger than {MAX_BYTES // 2**20} MB")
    return Attachment(shared.get("name") or "file", data, shared.get("mimetype") or "")
