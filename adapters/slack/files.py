"""Files members share: read through `url_private_download` with the bot token (Slack's
private file URLs need it), after `files.info` when the event carries only the file's id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.core.events import Attachment

if TYPE_CHECKING:
    from adapters.slack.adapter import SlackAdapter

MAX_BYTES = 25 * 1024 * 1024  # a calendar import is far smaller; a larger file is refused
CHUNK = 64 * 1024


class FileUnreadable(RuntimeError):
    """Slack did not give the shared file (no files:read scope, or deleted meanwhile); the
    message is short enough to show a member, the cause (if any) has the details."""


async def download(adapter: SlackAdapter, shared: dict[str, Any]) -> Attachment:
    """The shared file's name, bytes and type; FileUnreadable if Slack did not give them."""
    try:
        if not shared.get("url_private_download") and not shared.get("url_private"):
            shared = (await adapter.client.files_info(file=shared["id"]))["file"]
        data = await _read(adapter, shared)
    except SlackApiError as exc:
        raise FileUnreadable(f"Slack answered {exc.response.get('error')}") from exc
    except aiohttp.ClientError as exc:
        raise FileUnreadable(str(exc) or type(exc).__name__) from exc
    return Attachment(shared.get("name") or "file", data, shared.get("mimetype") or "")


async def _read(adapter: SlackAdapter, shared: dict[str, Any]) -> bytes:
    """The file's bytes, every chunk of them (refused once past MAX_BYTES)."""
    url = shared.get("url_private_download") or shared["url_private"]
    token = adapter.config.bot_token.get_secret_value()
    name = shared.get("name")
    data = bytearray()
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False
        ) as answer,
    ):
        if answer.status != 200 or "text/html" in answer.headers.get("Content-Type", ""):
            raise FileUnreadable(f"Slack did not give {name!r} (HTTP {answer.status})")
        async for chunk in answer.content.iter_chunked(CHUNK):
            data += chunk
            if len(data) > MAX_BYTES:
                raise FileUnreadable(f"{name!r} is larger than {MAX_BYTES // 2**20} MB")
    return bytes(data)
