"""The console's `file:PATH` option: a local file sent as an attachment."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.events import Attachment

_FILE_OPTION = re.compile(r'(?:^|\s)file:(?:"([^"]*)"|(\S+))')


def extract_attachment(body: str) -> tuple[str, tuple[Attachment, ...]]:
    """Turn a console-only `file:PATH` option into an attachment, as a platform upload would."""
    match = _FILE_OPTION.search(body)
    if not match:
        return body, ()
    path = Path(match.group(1) or match.group(2)).expanduser()
    data = path.read_bytes()
    rest = (body[: match.start()] + body[match.end() :]).strip()
    return rest, (Attachment(path.name, data),)
